# Copyright (c) cllstr_mm contributors. All rights reserved.
import logging
import math
from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from mmocr.models.textrecog.module_losses import CTCModuleLoss
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


def ctc_min_steps(target: torch.Tensor) -> int:
    """Fewest output steps a CTC alignment of ``target`` needs: one per
    token plus a blank between each pair of equal neighbours."""
    return len(target) + int((target[1:] == target[:-1]).sum())


@MODELS.register_module()
class CLLCTCModuleLoss(CTCModuleLoss):
    """MMOCR's CTC loss, except that a target no alignment of the ``T``
    output steps can spell is left out of the loss instead of cut.

    MMOCR's :class:`CTCModuleLoss` cuts a target to ``T`` tokens (25 for
    SVTR, 24 for CRNN) and trains on the cut label. The original keeps the
    target whole, so such a sample's loss is infinite, ``zero_infinity``
    zeroes it and it teaches nothing. Here a sample whose target needs more
    than its input length (:func:`ctc_min_steps`: tokens plus the blanks
    between repeated tokens) is dropped before the loss; with
    ``reduction='mean'`` the sum over the kept samples (each divided by its
    target length) is still divided by the whole batch, so the loss and its
    gradients are the original's. The dropped samples of each batch are
    logged as ``ctc_dropped`` (the key holds no ``'loss'``, so MMEngine logs
    it without adding it to the loss), :attr:`num_dropped` counts them over
    the run, and the first one is reported with a warning.

    Args:
        dictionary, letter_case, flatten, reduction, zero_infinity: As in
            :class:`CTCModuleLoss`.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.num_dropped = 0

    def forward(self, outputs: torch.Tensor,
                data_samples: Sequence[TextRecogDataSample]
                ) -> Dict[str, torch.Tensor]:
        """
        Args:
            outputs (Tensor): Raw logits :math:`(N, T, C)`.
            data_samples (list[TextRecogDataSample]): With
                ``gt_text.indexes`` (from :meth:`get_targets`) and, when
                ``flatten=False``, ``valid_ratio`` setting the input length
                :math:`\\lceil valid\\_ratio \\cdot T \\rceil` as in MMOCR.

        Returns:
            dict: ``loss_ctc`` (scalar, or :math:`(N,)` with
            ``reduction='none'``, 0 for a dropped sample) and
            ``ctc_dropped`` (float count of this batch's dropped samples).
        """
        # float32 also under bf16 autocast (CPUBF16OptimWrapper), which
        # would leave the log-probabilities the loss sums in bfloat16
        log_probs = torch.log_softmax(outputs.float(), dim=2)
        batch_size, seq_len = log_probs.shape[:2]
        targets = [sample.gt_text.indexes for sample in data_samples]
        input_lengths = [
            seq_len if self.flatten else math.ceil(
                sample.get('valid_ratio', 1.0) * seq_len)
            for sample in data_samples
        ]
        kept = [
            i for i in range(batch_size)
            if ctc_min_steps(targets[i]) <= input_lengths[i]
        ]
        dropped = batch_size - len(kept)
        if dropped:
            self._report(data_samples, targets, input_lengths, kept)
        if kept:
            index = torch.tensor(kept, device=log_probs.device)
            target_lengths = torch.tensor([len(targets[i]) for i in kept])
            kept_loss = F.ctc_loss(
                log_probs.permute(1, 0, 2)[:, index],
                torch.cat([targets[i] for i in kept]).long(),
                torch.tensor([input_lengths[i] for i in kept]),
                target_lengths,
                blank=self.ctc_loss.blank,
                reduction='none',
                zero_infinity=self.ctc_loss.zero_infinity)
            if self.ctc_loss.reduction == 'mean':
                kept_loss = kept_loss / target_lengths.clamp(min=1).to(
                    kept_loss.device)
            per_sample = log_probs.new_zeros(batch_size).index_put(
                (index, ), kept_loss)
        else:
            # a zero loss that keeps the graph (and DDP's gradient hooks)
            per_sample = 0 * log_probs.sum(dim=(1, 2))
        if self.ctc_loss.reduction == 'mean':
            loss = per_sample.sum() / batch_size
        elif self.ctc_loss.reduction == 'sum':
            loss = per_sample.sum()
        else:
            loss = per_sample
        return dict(
            loss_ctc=loss, ctc_dropped=log_probs.new_tensor(float(dropped)))

    def _report(self, data_samples: Sequence[TextRecogDataSample],
                targets: List[torch.Tensor], input_lengths: List[int],
                kept: List[int]) -> None:
        first = self.num_dropped == 0
        dropped = [i for i in range(len(targets)) if i not in kept]
        self.num_dropped += len(dropped)
        if first:
            i = dropped[0]
            print_log(
                f'CLLCTCModuleLoss: the target of '
                f'{data_samples[i].get("img_path", "a sample")} '
                f'({data_samples[i].gt_text.item!r}) needs '
                f'{ctc_min_steps(targets[i])} output steps (tokens plus '
                f'blanks between repeats), more than the model\'s '
                f'{input_lengths[i]}; such samples are left out of the loss, '
                'as the original effectively did, and counted as '
                'ctc_dropped in the training log',
                logger='current',
                level=logging.WARNING)
