"""Sequence cross-entropy with label smoothing (LMIM's ``--smoothing``)."""
from typing import Dict, Union

import torch.nn as nn
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.module_losses import CEModuleLoss
from mmocr.registry import MODELS


@MODELS.register_module()
class LabelSmoothCEModuleLoss(CEModuleLoss):
    """:class:`CEModuleLoss` with label smoothing.

    MMOCR 1.0's ``CEModuleLoss`` has no smoothing option. With smoothing
    ``eps`` the target puts ``1 - eps`` on the true class and spreads ``eps``
    uniformly over all classes, the formula of the original's
    ``SeqLabelSmoothingCrossEntropyLoss`` (and of PyTorch's
    ``label_smoothing``). Ignored targets (padding by default) contribute
    nothing, as before.

    Args:
        dictionary (dict or Dictionary): The dictionary.
        label_smoothing (float): ``eps`` in [0, 1). LMIM's recipes use 0.
            Defaults to 0.
        **kwargs: Other ``CEModuleLoss`` arguments (``max_seq_len``,
            ``ignore_first_char``, ``flatten``, ``reduction`` ...).
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 label_smoothing: float = 0.,
                 **kwargs) -> None:
        super().__init__(dictionary=dictionary, **kwargs)
        if not 0. <= label_smoothing < 1.:
            raise ValueError(
                f'label_smoothing must be in [0, 1), got {label_smoothing}')
        self.label_smoothing = label_smoothing
        self.loss_ce = nn.CrossEntropyLoss(
            ignore_index=self.ignore_index,
            reduction=self.loss_ce.reduction,
            label_smoothing=label_smoothing)
