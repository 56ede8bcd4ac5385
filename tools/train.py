"""Train a cllstr_mm (or any MMOCR) model from a config, MMOCR-style.

    python tools/train.py configs/textrecog/cllstr/<config>.py \
        [--work-dir DIR] [--resume [CKPT]] [--amp] [--cfg-options k=v ...]
"""
import argparse
import glob
import logging
import os
import os.path as osp
import sys

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from cllstr_mm.engine import fit_param_schedulers
from cllstr_mm.utils.checkpoint import CheckpointMismatchError
from cllstr_mm.utils.cli import (add_runner_args, load_runner_config,
                                 newest_match, parse_runner_args)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a text recogniser')
    # Optional here so that `--resume CONFIG` can be told apart below.
    parser.add_argument('config', nargs='?', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        metavar='CKPT',
        help='resume from CKPT, or from the latest checkpoint in the work '
        'dir when no path is given (a .py right after --resume is the '
        'config, not CKPT)')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision (CUDA only; ignored on CPU)')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by the total batch size (needs auto_scale_lr in '
        'the config)')
    add_runner_args(
        parser, 'train_cfg.max_iters=2000 '
        'train_dataloader.dataset.select_data=lang_K')
    args = parse_runner_args(parser, argv)
    # argparse gives `--resume CONFIG` the config as the checkpoint.
    if args.config is None and args.resume and args.resume.endswith('.py'):
        args.config, args.resume = args.resume, 'auto'
    if args.config is None:
        parser.error('the following arguments are required: config')
    return args


def expand_load_from(cfg: Config) -> None:
    """Resolve a ``load_from`` pattern (e.g. a previous run's
    ``best_*_iter_*.pth``) to the newest matching checkpoint."""
    pattern = cfg.get('load_from')
    if not pattern or not glob.has_magic(pattern):
        return
    newest = newest_match(pattern)
    if newest is None:
        raise FileNotFoundError(
            f'load_from: no checkpoint matches {pattern!r}. Train the run '
            'it names first, or pass --cfg-options load_from=PATH')
    cfg.load_from = newest
    print_log(f'load_from: {cfg.load_from}', logger='current')


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Distributed training on CPU processes with gloo.

    MMEngine's pytorch launcher calls ``torch.cuda.set_device`` and gives the
    DDP wrapper CUDA device ids; without CUDA, start the gloo process group
    here (the Runner then uses it as is) and wrap without device ids.
    """
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    cfg.env_cfg.dist_cfg.backend = 'gloo'
    if launcher == 'pytorch' and not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    cfg.model_wrapper_cfg = dict(
        type='MMDistributedDataParallel',
        device_ids=None,
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))


def setup_cfg(args) -> Config:
    cfg = load_runner_config(args)
    fit_param_schedulers(cfg)
    if not args.resume:
        expand_load_from(cfg)

    if args.launcher != 'none' and not torch.cuda.is_available():
        setup_cpu_distributed(cfg, args.launcher)
    if args.amp:
        if not torch.cuda.is_available():
            print_log(
                '--amp needs CUDA; training in fp32 on CPU',
                logger='current',
                level=logging.WARNING)
        elif cfg.optim_wrapper.get('type', 'OptimWrapper') == 'OptimWrapper':
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(
                f'--resume {args.resume}: no such checkpoint file')
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise RuntimeError(
                '--auto-scale-lr needs auto_scale_lr.base_batch_size in the '
                f'config {args.config}')
        cfg.auto_scale_lr.enable = True
    return cfg


def main():
    args = parse_args()
    cfg = setup_cfg(args)
    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    try:
        runner.train()
    except CheckpointMismatchError as error:
        sys.exit(f'error: {error}')
    if dist.is_available() and dist.is_initialized():
        # Once every rank is past the barrier, all work is saved. Leave
        # without running C++ destructors: gloo's can abort a rank whose peer
        # has already gone ("terminate called without an active exception",
        # about 1 run in 8 here, with or without destroy_process_group).
        dist.barrier()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == '__main__':
    main()
