# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cll_ctc_decoder import CLLCTCDecoder
from .cll_ctc_module_loss import CLLCTCModuleLoss
from .lmim_ce_module_loss import LabelSmoothCEModuleLoss
from .lmim_nrtr_decoder import LMIMNRTRDecoder

__all__ = [
    'CLLCTCDecoder', 'CLLCTCModuleLoss', 'LabelSmoothCEModuleLoss',
    'LMIMNRTRDecoder'
]
