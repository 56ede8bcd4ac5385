# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cllstr_checkpoint import (convert_cllstr_checkpoint,
                                convert_cllstr_state_dict,
                                detect_cllstr_model, is_original_state_dict,
                                load_cllstr_checkpoint)
from .cllstr_init import CLLSTRInit
from .strict_recognizers import CLLCRNN, CLLSVTR, LMIMNRTR, ViTCTC

__all__ = [
    'CLLSTRInit', 'CLLCRNN', 'CLLSVTR', 'LMIMNRTR', 'ViTCTC',
    'convert_cllstr_checkpoint', 'convert_cllstr_state_dict',
    'detect_cllstr_model', 'is_original_state_dict', 'load_cllstr_checkpoint'
]
