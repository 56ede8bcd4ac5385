"""Training speed on the CPU in float32 vs bfloat16 autocast
(``CPUBF16OptimWrapper``), and what bfloat16 does to the loss.

    python benchmarks/cpu_bf16.py [--models svtr-tiny crnn]
        [--batch-size 64] [--iters 5] [--warmup 2] [--threads N]
        [--data-root data/cllstr_mini] [--cfg-options KEY=VALUE ...]

For each model of ``configs/textrecog/cllstr/*_1xb128-100k_mlt19-joint.py``
two copies with the same initial weights train on the same pre-loaded
batches, one iteration each in turn (``train_speed.py``'s bare loop:
normalise, forward and CTC loss, backward, clipping, AdamW, OneCycle), one
in float32 and one with the forward and loss under CPU autocast to
bfloat16, in one fresh process per model, so that the load of a shared
machine falls on both alike. It prints samples/s of both over the
iterations after ``--warmup``, the speed-up, the two losses of the first
iteration (the same weights, batch and dropout draws: the difference is
bfloat16's rounding alone) and their means over the timed iterations
(by then the two runs have diverged, as two seeds would).
bfloat16 is fast only where the CPU has native bfloat16 dot products
(AVX512-BF16 or AMX; ``lscpu`` lists ``avx512_bf16`` / ``amx_bf16``).
"""
import copy
import time
from typing import Dict, List

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch

from _speed_common import parse_speed_args
from train_speed import CONFIGS, BareTrainer, load_config, measure_models


def measure(model: str, batches: List[dict],
            opts: dict) -> Dict[str, Dict[str, float]]:
    """Samples/s of the float32 and bfloat16 loops for ``model``, taking
    turns, their first losses (same weights) and mean losses over the
    timed iterations; called in a fresh process."""
    torch.set_num_threads(opts['threads'])
    cfg = load_config(model, opts)
    loops = {
        precision: BareTrainer(cfg, copy.deepcopy(batches),
                               bf16=precision == 'bf16')
        for precision in ('fp32', 'bf16')
    }
    seconds = {precision: [] for precision in loops}
    losses = {precision: [] for precision in loops}
    for index in range(len(batches)):
        for precision, loop in loops.items():
            # the same dropout and drop-path draws for both
            torch.manual_seed(index)
            start = time.perf_counter()
            losses[precision].append(loop.step(index))
            seconds[precision].append(time.perf_counter() - start)
    timed = len(batches) - opts['warmup']
    samples = timed * opts['batch_size']
    speed = {p: samples / sum(s[-timed:]) for p, s in seconds.items()}
    first = {p: v[0] for p, v in losses.items()}
    last = {p: sum(v[-timed:]) / timed for p, v in losses.items()}
    return dict(speed=speed, first=first, last=last)


def main(argv: List[str] = None) -> None:
    args = parse_speed_args(
        __doc__.split('\n')[0], CONFIGS, batch_size=64, iters=5, warmup=2,
        argv=argv)
    for model, out in measure_models(args, 'cpu_bf16', measure,
                                     'precision'):
        speed, first, last = out['speed'], out['first'], out['last']
        gap = 100 * (first['bf16'] - first['fp32']) / first['fp32']
        print(f'{model:10s} fp32 {speed["fp32"]:7.2f} samples/s | bf16 '
              f'{speed["bf16"]:7.2f} samples/s | '
              f'x{speed["bf16"] / speed["fp32"]:.2f} | first loss fp32 '
              f'{first["fp32"]:.4f} bf16 {first["bf16"]:.4f} ({gap:+.2f} %) '
              f'| timed mean loss fp32 {last["fp32"]:.4f} bf16 '
              f'{last["bf16"]:.4f}')


if __name__ == '__main__':
    main()
