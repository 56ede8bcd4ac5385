"""CLLCTCModuleLoss: targets the output cannot spell are left out of the
loss (the original's effect), not cut as MMOCR's CTCModuleLoss does."""
import math

import pytest
import torch
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from cllstr_mm.models.decoders import cll_ctc_module_loss
from cllstr_mm.models.decoders.cll_ctc_module_loss import ctc_min_steps

C = 4680  # classes of the MLT19 dictionary
T = 3


def build(type_='CLLCTCModuleLoss', **kwargs):
    return MODELS.build(
        dict(type=type_, dictionary=dict(type='MultilingualDictionary'),
             zero_infinity=True, **kwargs))


def samples(loss, labels):
    out = []
    for label in labels:
        sample = TextRecogDataSample(
            metainfo=dict(valid_ratio=1.0, img_path=f'lmdb/{label}'))
        sample.gt_text = LabelData(item=label)
        out.append(sample)
    return loss.get_targets(out)


def test_min_steps():
    assert ctc_min_steps(torch.tensor([])) == 0
    assert ctc_min_steps(torch.tensor([5, 6])) == 2
    assert ctc_min_steps(torch.tensor([5, 5, 6, 6, 6])) == 8


def test_unspellable_targets_are_dropped_and_counted(monkeypatch):
    """Uniform outputs over T = 3 steps give every path probability C^-3.
    'ab' has 5 paths (aab, abb, -ab, a-b, ab-), 'aa' one (a-a); 'abcd' (4
    tokens) and 'aab' (3 tokens + a blank between the a's) need 4 steps."""
    logged = []
    monkeypatch.setattr(cll_ctc_module_loss, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    loss = build()
    batch = samples(loss, ['ab', 'aa', 'abcd', 'aab'])
    logits = torch.zeros(4, T, C, requires_grad=True)
    out = loss(logits, batch)
    ab, aa = 3 * math.log(C) - math.log(5), 3 * math.log(C)
    # 'mean': each loss over its target length, summed, over the batch
    expected = (ab / 2 + aa / 2) / 4
    assert out['loss_ctc'].item() == pytest.approx(expected, rel=1e-6)
    assert out['ctc_dropped'].item() == 2.0 and loss.num_dropped == 2
    out['loss_ctc'].backward()
    assert (logits.grad[2:] == 0).all() and (logits.grad[:2] != 0).any()
    assert len(logged) == 1 and "lmdb/abcd ('abcd') needs 4 output " \
        "steps" in logged[0] and "more than the model's 3" in logged[0]
    loss(logits, batch)
    assert loss.num_dropped == 4 and len(logged) == 1

    # the original: whole targets, infinite losses zeroed
    original = torch.nn.CTCLoss(blank=0, zero_infinity=True)(
        logits.log_softmax(2).permute(1, 0, 2),
        torch.cat([s.gt_text.indexes for s in batch]),
        torch.full((4, ), T), torch.tensor([2, 2, 4, 3]))
    assert out['loss_ctc'].item() == pytest.approx(original.item(),
                                                   rel=1e-6)
    # MMOCR trains on 'abc', 'abcd' cut to T tokens (one path, over 3)
    mmocr = build('CTCModuleLoss')(logits, batch)['loss_ctc']
    assert mmocr.item() == pytest.approx((ab / 2 + aa / 2 + aa / 3) / 4,
                                         rel=1e-6)


def test_sum_none_and_a_batch_left_empty():
    for reduction, expected in (
            ('sum', 3 * math.log(C) - math.log(5)),
            ('none', [3 * math.log(C) - math.log(5), 0.0])):
        loss = build(reduction=reduction)
        out = loss(torch.zeros(2, T, C), samples(loss, ['ab', 'abcd']))
        assert out['loss_ctc'].tolist() == pytest.approx(expected, rel=1e-6)
    loss = build()
    logits = torch.zeros(1, T, C, requires_grad=True)
    out = loss(logits, samples(loss, ['abcd']))
    assert out['loss_ctc'].item() == 0 and out['ctc_dropped'].item() == 1
    out['loss_ctc'].backward()
    assert (logits.grad == 0).all()
