from .multilingual_recog_metric import (UNKNOWN_LANGUAGE,
                                        MultilingualRecogMetric,
                                        one_minus_ned)

__all__ = ['UNKNOWN_LANGUAGE', 'MultilingualRecogMetric', 'one_minus_ned']
