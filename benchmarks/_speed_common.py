"""Helpers shared by the Runner-vs-bare speed benchmarks (``lmim_speed.py``,
``train_speed.py``, ``infer_speed.py``): the optimiser the Runner would
build, the data preprocessor's work done by hand, one measurement per fresh
process, and a one-line description of the machine."""
import argparse
import multiprocessing as mp
import os
import os.path as osp
from typing import Callable, Iterable, List, Sequence, Union

import torch
from mmengine.config import DictAction
from mmocr.registry import OPTIM_WRAPPER_CONSTRUCTORS


def build_optimizer(model: torch.nn.Module,
                    optim_wrapper_cfg) -> torch.optim.Optimizer:
    """The torch optimiser the Runner builds from ``optim_wrapper_cfg`` (the
    same constructor and parameter groups), without the wrapper, for a bare
    training loop."""
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(
            type=optim_wrapper_cfg.get('constructor',
                                       'DefaultOptimWrapperConstructor'),
            optim_wrapper_cfg=dict(
                type='OptimWrapper', optimizer=optim_wrapper_cfg.optimizer),
            paramwise_cfg=optim_wrapper_cfg.get('paramwise_cfg')))
    return constructor(model).optimizer


def normalise_batch(inputs: Union[torch.Tensor, Sequence[torch.Tensor]],
                    preprocessor_cfg) -> torch.Tensor:
    """What an ``ImgDataPreprocessor`` (``mean``, ``std``, ``bgr_to_rgb``)
    does to same-sized images, in one vectorised step.

    Args:
        inputs (Tensor or list[Tensor]): uint8 images, BGR when the
            preprocessor flips channels: a list of (C, H, W) images
            (``pseudo_collate``) or one (N, C, H, W) batch
            (``default_collate``).
        preprocessor_cfg (dict): the model's ``data_preprocessor`` config.

    Returns:
        Tensor: float32 batch of shape (N, C, H, W).
    """
    batch = inputs if isinstance(inputs, torch.Tensor) else torch.stack(
        list(inputs))
    if preprocessor_cfg.get('bgr_to_rgb', False):
        batch = batch[:, [2, 1, 0]]
    mean = torch.tensor(preprocessor_cfg['mean']).view(1, -1, 1, 1)
    std = torch.tensor(preprocessor_cfg['std']).view(1, -1, 1, 1)
    return (batch.float() - mean) / std


def in_fresh_process(fn: Callable, args: tuple, start_method: str):
    """``fn(*args)`` in a new process, so that every measurement starts
    from the same state (allocator, thread pools, caches).

    ``'spawn'`` re-imports everything (safe with CUDA); ``'fork'`` starts
    in milliseconds from a parent that has imported torch and MMOCR but run
    no multi-threaded torch work (an OpenMP pool in use is not fork-safe).
    """
    with mp.get_context(start_method).Pool(1) as pool:
        return pool.apply(fn, args)


def machine_description() -> str:
    """CPU model, logical cores and torch version, for the printed header
    and ``benchmarks/README.md``."""
    cpu = 'unknown CPU'
    if osp.exists('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as f:
            names = [
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name')
            ]
        cpu = names[0] if names else cpu
    return f'{cpu}, {os.cpu_count()} cores, torch {torch.__version__}'


def parse_speed_args(description: str, models: Iterable[str],
                     batch_size: int, iters: int, warmup: int,
                     argv: List[str] = None) -> argparse.Namespace:
    """The options train_speed.py and infer_speed.py share (``--models``,
    ``--batch-size``, ``--iters``, ``--warmup``, ``--threads``,
    ``--data-root``, ``--cfg-options``), checked, with these defaults."""
    repo = osp.dirname(osp.dirname(osp.abspath(__file__)))
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        '--models', nargs='+', choices=list(models), default=list(models))
    parser.add_argument('--batch-size', type=int, default=batch_size)
    parser.add_argument(
        '--iters', type=int, default=iters, help='timed batches')
    parser.add_argument(
        '--warmup', type=int, default=warmup, help='untimed batches first')
    parser.add_argument(
        '--threads',
        type=int,
        default=torch.get_num_threads(),
        help='torch threads (both paths run in one process)')
    parser.add_argument(
        '--data-root',
        default=osp.join(repo, 'data', 'cllstr_mini'),
        help='CLL-STR data root whose training split feeds the batches')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override settings of both models\' configs, e.g. '
        'model.encoder.drop_path_rate=0')
    args = parser.parse_args(argv)
    for name in ('batch_size', 'iters', 'threads'):
        if getattr(args, name) < 1:
            parser.error(f'--{name.replace("_", "-")} must be at least 1')
    if args.warmup < 0:
        parser.error('--warmup must be at least 0')
    return args
