"""Sequence cross-entropy of LMIM: its scale and its label smoothing."""
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.module_losses import CEModuleLoss
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

@MODELS.register_module()
class LabelSmoothCEModuleLoss(CEModuleLoss):
    """:class:`CEModuleLoss` with the original's scale and label smoothing.

    - ``normalize='batch'`` (the original's ``SeqCrossEntropyLoss``): the
      sum of the token losses over every target token (characters and EOS;
      padding is ignored) divided by the batch size, i.e. about
      ``word length + 1`` times a mean over tokens. ``None``:
      ``CEModuleLoss``'s own ``reduction`` (its default ``'none'`` returns
      per-position losses that MMEngine averages over every position,
      padding included). Same minimiser, different gradient scale.
    - ``label_smoothing`` ``eps``: the target puts ``1 - eps`` on the true
      class and spreads ``eps`` uniformly over all classes, the formula the
      original's ``SeqLabelSmoothingCrossEntropyLoss`` means (that class
      broadcasts its smoothing term over a ``[N*T, N*T]`` matrix; its
      recipes use ``--smoothing 0``, which selects ``SeqCrossEntropyLoss``).

    Args:
        dictionary (dict or Dictionary): The dictionary.
        label_smoothing (float): ``eps`` in [0, 1). LMIM's recipes use 0.
            Defaults to 0.
        normalize (str, optional): ``'batch'`` or None, see above. Defaults
            to ``'batch'``.
        **kwargs: Other ``CEModuleLoss`` arguments (``max_seq_len``,
            ``ignore_first_char``, ``flatten``, ``reduction`` ...);
            ``reduction`` only with ``normalize=None``.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 label_smoothing: float = 0.,
                 normalize: Optional[str] = 'batch',
                 **kwargs) -> None:
        if normalize not in ('batch', None):
            raise ValueError(f'normalize must be "batch" or None, got '
                             f'{normalize!r}')
        if normalize == 'batch' and 'reduction' in kwargs:
            raise ValueError(
                'normalize="batch" sums the token losses and divides by the '
                'batch size; reduction= applies only with normalize=None')
        super().__init__(dictionary=dictionary, **kwargs)
        if not 0. <= label_smoothing < 1.:
            raise ValueError(
                f'label_smoothing must be in [0, 1), got {label_smoothing}')
        self.label_smoothing = label_smoothing
        self.normalize = normalize
        self.loss_ce = nn.CrossEntropyLoss(
            ignore_index=self.ignore_index,
            reduction='sum' if normalize == 'batch' else
            self.loss_ce.reduction,
            label_smoothing=label_smoothing)

    def forward(self, outputs: torch.Tensor,
                data_samples: Sequence[TextRecogDataSample]) -> Dict:
        """
        Args:
            outputs (Tensor): Raw logits ``[N, T, C]``.
            data_samples (list[TextRecogDataSample]): Processed by
                ``get_targets``.

        Returns:
            dict: ``loss_ce``.
        """
        losses = super().forward(outputs, data_samples)
        if self.normalize == 'batch':
            losses['loss_ce'] = losses['loss_ce'] / len(data_samples)
        return losses
