"""Training speed of the CLL-STR recognisers: MMEngine Runner vs bare loop.

    python benchmarks/train_speed.py [--models svtr-tiny crnn]
        [--batch-size 128] [--iters 5] [--warmup 2] [--threads N]
        [--data-root data/cllstr_mini] [--cfg-options KEY=VALUE ...]

Each model of ``configs/textrecog/cllstr/*_1xb128-100k_mlt19-joint.py`` is
trained two ways on the same batches with the same torch threads:

- ``Runner``: MMEngine's Runner built from the config (data preprocessor,
  ``OptimWrapper`` with AdamW and gradient clipping, OneCycle, the config's
  default hooks and log processor), ``IterBasedTrainLoop``, no validation;
- ``bare``: a plain PyTorch loop doing the same work on a second copy of the
  model: stack and normalise the uint8 batch, forward in ``'loss'`` mode
  (CTC), backward, clip the gradient norm, AdamW step with the same
  parameter groups, OneCycle step.

The two take turns iteration by iteration in one fresh process per model
(a hook runs the bare iteration after each Runner iteration), so that the
load of a shared machine falls on both alike. A Runner iteration is timed
from the end of the previous bare iteration to the end of its per-iteration
hooks: data fetch, ``train_step`` and hooks, everything but
``CheckpointHook``, whose save after the last iteration is once-per-run
work.

The ``warmup + iters`` batches are read from ``--data-root`` once, through
the config's training pipeline (LMDB read, decode, resize to 32x100, pack)
and collate function, samples in a seeded random order as the shuffled
sampler gives them, before anything is timed: data loading is not timed and
both loops see the same label lengths. The bare loop gets its own copy, and
each batch is used once per loop, because MMOCR caches CTC targets on the
samples. Samples/s are taken over the iterations after ``--warmup``; the
Runner's overhead is ``(bare - runner) / bare``. ``--cfg-options`` applies
to both loops (e.g. to try a config change).
"""
import copy
import functools
import operator
import os.path as osp
import tempfile
import time
from typing import Callable, Dict, Iterator, List, Tuple

import cllstr_mm  # noqa: F401  (compat layer + registration)
import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.registry import FUNCTIONS, init_default_scope
from mmengine.runner import Runner
from mmocr.registry import DATASETS, MODELS, PARAM_SCHEDULERS

from cllstr_mm.engine import fit_param_schedulers

from _speed_common import (build_optimizer, in_fresh_process,
                           machine_description, normalise_batch,
                           parse_speed_args)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = {
    'svtr-tiny': 'svtr-tiny_1xb128-100k_mlt19-joint.py',
    'crnn': 'crnn_vgg-bilstm_1xb128-100k_mlt19-joint.py',
}


class PreloadedBatches(torch.utils.data.Dataset):
    """Collated batches kept in memory; item ``i`` is batch ``i``."""

    metainfo: dict = {}

    def __init__(self, batches: List[dict]) -> None:
        self.batches = batches

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, idx: int) -> dict:
        return self.batches[idx]


class BareTrainer:
    """The bare PyTorch loop: a second copy of the config's model with the
    optimiser, clipping and lr schedule the Runner would use; with
    ``bf16``, its forward and loss under CPU autocast to bfloat16, as
    ``CPUBF16OptimWrapper`` runs them."""

    def __init__(self, cfg: Config, batches: List[dict],
                 bf16: bool = False) -> None:
        self.bf16 = bf16
        init_default_scope(cfg.default_scope)
        torch.manual_seed(cfg.randomness.seed)
        self.model = MODELS.build(cfg.model)
        self.model.init_weights()
        self.model.train()
        self.optimizer = build_optimizer(self.model, cfg.optim_wrapper)
        self.schedulers = [
            PARAM_SCHEDULERS.build(dict(s, optimizer=self.optimizer))
            for s in cfg.param_scheduler
        ]
        self.clip_grad = cfg.optim_wrapper.get('clip_grad')
        self.preprocessor = cfg.model.data_preprocessor
        self.batches = batches

    def step(self, index: int) -> float:
        """One training iteration on batch ``index``; returns its loss."""
        batch = self.batches[index]
        inputs = normalise_batch(batch['inputs'], self.preprocessor)
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=self.bf16):
            losses = self.model(inputs, batch['data_samples'], mode='loss')
            loss = sum(v for k, v in losses.items() if 'loss' in k)
        loss.backward()
        if self.clip_grad:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(),
                                           **self.clip_grad)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        for scheduler in self.schedulers:
            scheduler.step()
        return loss.item()


class LockStep(Hook):
    """After each Runner iteration, one bare iteration; the durations of
    both are recorded (seconds, one per iteration)."""

    # after the hooks that run every iteration (timer, logger, lr
    # scheduler), before CheckpointHook
    priority = 'LOW'

    def __init__(self, bare: BareTrainer) -> None:
        self.bare = bare
        self.runner_s: List[float] = []
        self.bare_s: List[float] = []
        self._start = 0.0

    def before_train(self, runner) -> None:
        self._start = time.perf_counter()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        runner_end = time.perf_counter()
        self.runner_s.append(runner_end - self._start)
        self.bare.step(batch_idx)
        self._start = time.perf_counter()
        self.bare_s.append(self._start - runner_end)


def load_config(model: str, opts: dict) -> Config:
    """The model's config reading ``opts['data_root']``, then
    ``opts['cfg_options']`` merged in, its schedule fitted as
    ``tools/train.py`` fits it."""
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/textrecog/cllstr', CONFIGS[model]))
    cfg.merge_from_dict(
        {'train_dataloader.dataset.data_root': opts['data_root']})
    cfg.merge_from_dict(opts['cfg_options'])
    fit_param_schedulers(cfg)
    return cfg


def preload_batches(cfg: Config, num: int, batch_size: int) -> List[dict]:
    """``num`` batches from the config's training dataset, collated as the
    Runner would (the dataloader's ``collate_fn``, MMEngine's default
    ``pseudo_collate``), samples in a seeded random order (repeated when the
    data set is smaller)."""
    init_default_scope(cfg.default_scope)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    collate_cfg = dict(
        cfg.train_dataloader.get('collate_fn', dict(type='pseudo_collate')))
    collate = functools.partial(
        FUNCTIONS.get(collate_cfg.pop('type')), **collate_cfg)
    order = np.resize(
        np.random.default_rng(0).permutation(len(dataset)), num * batch_size)
    return [
        collate([dataset[int(i)] for i in indices])
        for indices in order.reshape(num, batch_size)
    ]


def run_runner(cfg: Config, batches: List[dict], hook: Hook) -> None:
    """Train on ``batches`` with the Runner built from ``cfg``, ``hook``
    added."""
    with tempfile.TemporaryDirectory() as work_dir:
        runner = Runner(
            model=cfg.model,
            work_dir=work_dir,
            # One pre-collated batch per step; a batch sampler is kept
            # because DistSamplerSeedHook seeds it.
            train_dataloader=torch.utils.data.DataLoader(
                PreloadedBatches(batches),
                batch_size=1,
                collate_fn=operator.itemgetter(0)),
            train_cfg=dict(cfg.train_cfg, max_iters=len(batches)),
            optim_wrapper=cfg.optim_wrapper,
            param_scheduler=cfg.param_scheduler,
            default_hooks=cfg.default_hooks,
            custom_hooks=[*(cfg.get('custom_hooks') or []), hook],
            env_cfg=cfg.env_cfg,
            log_processor=cfg.log_processor,
            visualizer=cfg.visualizer,
            randomness=cfg.randomness,
            default_scope=cfg.default_scope,
            log_level='WARNING')
        runner.train()


def measure(model: str, batches: List[dict], opts: dict) -> Dict[str, float]:
    """Samples/s of the Runner and the bare loop for ``model``, taking
    turns; called in a fresh process."""
    torch.set_num_threads(opts['threads'])
    cfg = load_config(model, opts)
    lock_step = LockStep(BareTrainer(cfg, copy.deepcopy(batches)))
    run_runner(cfg, batches, lock_step)
    timed = len(batches) - opts['warmup']
    samples = timed * opts['batch_size']
    return dict(
        runner=samples / sum(lock_step.runner_s[-timed:]),
        bare=samples / sum(lock_step.bare_s[-timed:]))


def measure_models(args, logger_name: str, measure: Callable,
                   per: str) -> Iterator[Tuple[str, dict]]:
    """``(model, measure(model, batches, opts))`` for each of
    ``args.models``, measured in a fresh process on batches pre-loaded
    here, after printing the machine and the set-up (``per``: what the
    timed iterations are counted per, e.g. 'loop')."""
    # The Runner's log level for the data loading and the timed loops (the
    # forked processes inherit it): no per-language data set table, no
    # per-parameter init table.
    MMLogger.get_instance(logger_name, log_level='WARNING')
    opts = dict(
        batch_size=args.batch_size,
        warmup=args.warmup,
        threads=args.threads,
        data_root=args.data_root,
        cfg_options=args.cfg_options)
    num_batches = args.warmup + args.iters
    print(f'machine: {machine_description()}; {args.threads} torch threads')
    print(f'training: batch {args.batch_size}, {args.warmup} warm-up + '
          f'{args.iters} timed iterations per {per}, taking turns, on '
          f'{num_batches} batches pre-loaded from {args.data_root}/training')
    for model in args.models:
        batches = preload_batches(
            load_config(model, opts), num_batches, args.batch_size)
        yield model, in_fresh_process(measure, (model, batches, opts),
                                      'fork')


def main(argv: List[str] = None) -> None:
    args = parse_speed_args(
        __doc__.split('\n')[0], CONFIGS, batch_size=128, iters=5, warmup=2,
        argv=argv)
    for model, speed in measure_models(args, 'train_speed', measure,
                                       'loop'):
        runner, bare = speed['runner'], speed['bare']
        print(f'{model:10s} Runner {runner:8.2f} samples/s | bare '
              f'{bare:8.2f} samples/s | Runner overhead '
              f'{100 * (bare - runner) / bare:+.1f} %')


if __name__ == '__main__':
    main()
