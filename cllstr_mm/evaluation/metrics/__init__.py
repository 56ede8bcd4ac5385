from .lmim_word_metric import LMIMWordMetric, lmim_normalize
from .multilingual_recog_metric import (UNKNOWN_LANGUAGE,
                                        MultilingualRecogMetric,
                                        one_minus_ned)

__all__ = [
    'UNKNOWN_LANGUAGE', 'MultilingualRecogMetric', 'one_minus_ned',
    'LMIMWordMetric', 'lmim_normalize'
]
