from .base_mim_pretrainer import BaseMIMPretrainer
from .lmim_pretrainer import LMIMPretrainer
from .mae_pretrainer import MAEPretrainer
from .multiview_data_preprocessor import MultiViewDataPreprocessor

__all__ = [
    'BaseMIMPretrainer', 'LMIMPretrainer', 'MAEPretrainer',
    'MultiViewDataPreprocessor'
]
