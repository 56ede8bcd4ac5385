# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cll_svtr_encoder import CLLSVTREncoder

__all__ = ['CLLSVTREncoder']
