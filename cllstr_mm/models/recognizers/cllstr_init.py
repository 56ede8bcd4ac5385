# Copyright (c) cllstr_mm contributors. All rights reserved.
import torch.nn as nn
from mmengine.model.weight_init import BaseInit, update_init_info
from mmocr.registry import WEIGHT_INITIALIZERS

# The last layer of each SVTR residual branch (attention and MLP) as MMOCR's
# MixingBlock names it.
RESIDUAL_BRANCH_OUTPUTS = ('mixer.proj.weight', 'mlp.fc2.weight')


@WEIGHT_INITIALIZERS.register_module(name='CLLSTRInit')
class CLLSTRInit(BaseInit):
    """The whole-model initialisation of CLL-STR's ``train.py``.

    It goes by parameter name, not layer type, so it also reaches LSTM
    weights, which MMEngine's layer-based initialisers skip: every parameter
    whose name contains ``bias`` is set to 0; every other one whose name
    contains ``weight`` gets ``kaiming_normal_`` (fan-in, gain sqrt(2)) when
    it has 2 or more dimensions and 1 otherwise (norm layers). Parameters
    named otherwise, such as the SVTR position embedding, keep the values
    their module gave them.

    Use it as the recognizer's ``init_cfg=dict(type='CLLSTRInit')``.

    Args:
        zero_residual_branches (bool): Not in the original. Also set the
            output layer of every SVTR residual branch (``mixer.proj`` and
            ``mlp.fc2``) to zero, so that SVTR starts as its convolutional
            path (stem, merging convs, head) and its attention and MLP
            branches grow from there. With the original init, SVTR-Tiny stays
            in CTC's all-blank phase for about 1,000 iterations of batch 32
            on seven scripts; with this it leaves it after about 250 (see
            ``docs/quickstart_tuning.md``). The model is unchanged. Defaults
            to False.
    """

    def __init__(self, zero_residual_branches: bool = False) -> None:
        super().__init__()
        self.zero_residual_branches = zero_residual_branches

    def __call__(self, module: nn.Module) -> None:
        for name, param in module.named_parameters():
            if 'bias' in name:
                nn.init.zeros_(param)
            elif (self.zero_residual_branches
                  and name.endswith(RESIDUAL_BRANCH_OUTPUTS)):
                nn.init.zeros_(param)
            elif 'weight' in name:
                if param.dim() >= 2:
                    nn.init.kaiming_normal_(param)
                else:
                    nn.init.ones_(param)
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())

    def _get_init_info(self) -> str:
        info = (f'{self.__class__.__name__}: bias=0, weight=kaiming_normal '
                '(fan_in) or 1 for 1-d weights')
        if self.zero_residual_branches:
            info += ', residual branch outputs=0'
        return info
