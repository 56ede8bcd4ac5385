# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cll_ctc_decoder import CLLCTCDecoder

__all__ = ['CLLCTCDecoder']
