"""bfloat16 mixed precision for training on CPUs."""
from contextlib import contextmanager

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmocr.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class CPUBF16OptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward passes run under CPU autocast to
    bfloat16, MMEngine's ``AmpOptimWrapper`` being GPU-only.

    Matrix products and convolutions compute in bfloat16 (which CPUs with
    AVX512-BF16 or AMX run natively: SVTR-Tiny trains about twice as fast
    per step on the project's CPU, ``benchmarks/cpu_bf16.py``); weights,
    gradients and the optimiser state stay float32, and the CTC loss
    (``CLLCTCModuleLoss``) takes its log-softmax in float32. bfloat16 has
    float32's exponent range, so unlike float16 no loss scaling is needed.
    Validation and inference (outside ``optim_context``) stay float32.

    Use it in a config as
    ``optim_wrapper = dict(type='CPUBF16OptimWrapper', optimizer=...)``.
    """

    @contextmanager
    def optim_context(self, model: nn.Module):
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=torch.bfloat16):
            yield
