# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cll_svtr_encoder import CLLSVTREncoder
from .vit_encoder import ViTEncoder

__all__ = ['CLLSVTREncoder', 'ViTEncoder']
