"""CPUBF16OptimWrapper: the training forward in bfloat16 on the CPU, the
weights and the CTC loss's log-softmax in float32."""
import math

import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from test_cll_ctc_loss import build, samples

import cllstr_mm  # noqa: F401  (registration)

C = 4680  # classes of the MLT19 dictionary


def wrapper_for(model):
    init_default_scope('mmocr')
    return build_optim_wrapper(
        model,
        dict(type='CPUBF16OptimWrapper',
             optimizer=dict(type='SGD', lr=0.1)))


def test_forward_in_bf16_ctc_log_softmax_in_fp32():
    """Zero weights give zero logits over T = 3 steps, so 'ab' (5 paths)
    costs exactly 3 log C - log 5; taken in bfloat16 the log-softmax would
    round -log C (-8.4510) to -8.4375."""
    head = torch.nn.Linear(8, C)
    torch.nn.init.zeros_(head.weight)
    torch.nn.init.zeros_(head.bias)
    wrapper = wrapper_for(head)
    loss = build(reduction='sum')
    with wrapper.optim_context(head):
        logits = head(torch.randn(1, 3, 8))
        assert logits.dtype == torch.bfloat16
        out = loss(logits, samples(loss, ['ab']))['loss_ctc']
    assert out.dtype == torch.float32
    assert out.item() == pytest.approx(3 * math.log(C) - math.log(5),
                                       rel=1e-6)
    assert head(torch.randn(1, 8)).dtype == torch.float32  # outside


def test_gradients_match_fp32_and_weights_stay_fp32():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(16, 64), torch.nn.GELU(), torch.nn.Linear(64, 10))
    inputs, targets = torch.randn(32, 16), torch.randint(0, 10, (32, ))
    wrapper = wrapper_for(model)
    grads = {}
    for bf16 in (False, True):
        model.zero_grad()
        context = wrapper.optim_context(model) if bf16 else \
            torch.autocast('cpu', enabled=False)
        with context:
            out = model(inputs)
            loss = torch.nn.functional.cross_entropy(out.float(), targets)
        loss.backward()
        grads[bf16] = torch.cat([p.grad.flatten() for p in model.parameters()])
    cosine = torch.nn.functional.cosine_similarity(grads[False], grads[True],
                                                   dim=0)
    assert cosine > 0.999
    assert (grads[True] - grads[False]).norm() < 0.02 * grads[False].norm()
    before = [p.detach().clone() for p in model.parameters()]
    with wrapper.optim_context(model):
        loss = torch.nn.functional.cross_entropy(model(inputs).float(),
                                                 targets)
    wrapper.update_params(loss)
    for old, new in zip(before, model.parameters()):
        assert new.dtype == torch.float32 and not torch.equal(old, new)
