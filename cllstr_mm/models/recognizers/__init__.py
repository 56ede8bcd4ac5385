# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cllstr_checkpoint import (CheckpointMismatchError, check_state_dict,
                                convert_cllstr_checkpoint,
                                convert_cllstr_state_dict,
                                detect_cllstr_model, is_original_state_dict,
                                load_cllstr_checkpoint)
from .cllstr_init import CLLSTRInit

__all__ = [
    'CLLSTRInit', 'CheckpointMismatchError', 'check_state_dict',
    'convert_cllstr_checkpoint', 'convert_cllstr_state_dict',
    'detect_cllstr_model', 'is_original_state_dict', 'load_cllstr_checkpoint'
]
