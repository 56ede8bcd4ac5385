# Copyright (c) cllstr_mm contributors. All rights reserved.
from .exclusive_script_ctc_postprocessor import \
    ExclusiveScriptCTCPostProcessor

__all__ = ['ExclusiveScriptCTCPostProcessor']
