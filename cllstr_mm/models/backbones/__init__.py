# Copyright (c) cllstr_mm contributors. All rights reserved.
from .cll_vgg import CLLVGG

__all__ = ['CLLVGG']
