# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cll_ctc_decoder import CLLCTCDecoder
from .lmim_ce_module_loss import LabelSmoothCEModuleLoss
from .lmim_nrtr_decoder import LMIMNRTRDecoder

__all__ = ['CLLCTCDecoder', 'LabelSmoothCEModuleLoss', 'LMIMNRTRDecoder']
