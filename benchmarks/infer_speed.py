"""Inference speed of the CLL-STR recognisers: tools/test.py's path vs the
bare model.

    python benchmarks/infer_speed.py [--models svtr-tiny crnn]
        [--batch-size 512] [--iters 3] [--warmup 1] [--threads N]
        [--data-root data/cllstr_mini] [--cfg-options KEY=VALUE ...]

Each model of ``configs/textrecog/cllstr/*_1xb128-100k_mlt19-joint.py`` runs
two ways on the same batches with the same torch threads, in one fresh
process per model:

- ``tools/test.py``: what ``tools/test.py CONFIG CHECKPOINT`` runs:
  ``Runner.from_cfg`` loading the model's initial weights (``CLLSTRInit``,
  seeded, saved as a checkpoint first) with its ``InferenceTimer`` hook,
  then ``runner.test()``: test dataloader and pipeline, data preprocessor,
  forward and CTC decoding, ``MultilingualRecogMetric``. Its images/s come
  from ``InferenceTimer`` (per batch: preprocess + forward + decode +
  metric, data loading excluded: the figure test.py prints as ms per
  image); the wall clock including data loading is printed too.
- ``bare``: the same model object called directly on the same batch right
  after the Runner's turn: stack and normalise the uint8 images, forward in
  ``'predict'`` mode (CTC greedy decoding to text) under ``torch.no_grad``.

Taking turns batch by batch lets the load of a shared machine fall on both
alike. The test dataloader reads ``--data-root``'s training split (the
largest; only the images matter here), capped per script with
``data_usage`` to exactly ``(warmup + iters) * batch`` images in order, with
no loader workers, so that none competes with the timed work for the CPU.
The first ``--warmup`` batches are not timed. The overhead of
tools/test.py's path is ``(bare - test.py) / bare``.
"""
import importlib.util
import os.path as osp
import tempfile
import time
from typing import Dict, List

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmocr.registry import MODELS

from _speed_common import (in_fresh_process, machine_description,
                           normalise_batch, parse_speed_args)
from cllstr_mm.utils.checkpoint import save_atomic
from cllstr_mm.utils.languages import LANGUAGES

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = {
    'svtr-tiny': 'svtr-tiny_1xb128-100k_mlt19-joint.py',
    'crnn': 'crnn_vgg-bilstm_1xb128-100k_mlt19-joint.py',
}


def _load_test_tool():
    """``tools/test.py`` as a module (``tools`` is not a package, and the
    name ``test`` is taken by the standard library)."""
    spec = importlib.util.spec_from_file_location(
        'cllstr_test_tool', osp.join(REPO, 'tools', 'test.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEST_TOOL = _load_test_tool()


class LockStep(Hook):
    """After each test batch, the bare model on the same batch. Records per
    batch: ``InferenceTimer``'s seconds, the Runner's wall clock (data
    loading included) and the bare model's seconds."""

    # after InferenceTimer (VERY_LOW) has counted the batch
    priority = 'LOWEST'

    def __init__(self, timer, preprocessor_cfg: dict) -> None:
        self.timer = timer
        self.preprocessor_cfg = preprocessor_cfg
        self.images: List[int] = []
        self.test_s: List[float] = []
        self.wall_s: List[float] = []
        self.bare_s: List[float] = []
        self._start = 0.0
        self._timer_seconds = 0.0

    def before_test_epoch(self, runner) -> None:
        self._start = time.perf_counter()

    @torch.no_grad()
    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        runner_end = time.perf_counter()
        self.wall_s.append(runner_end - self._start)
        self.test_s.append(self.timer.seconds - self._timer_seconds)
        self._timer_seconds = self.timer.seconds
        self.images.append(len(data_batch['inputs']))
        inputs = normalise_batch(data_batch['inputs'], self.preprocessor_cfg)
        runner.model(inputs, data_batch['data_samples'], mode='predict')
        self._start = time.perf_counter()
        self.bare_s.append(self._start - runner_end)


def per_script_caps(total: int) -> Dict[str, int]:
    """``data_usage`` caps that keep ``total`` images over the seven
    scripts."""
    base, extra = divmod(total, len(LANGUAGES))
    return {
        lang: base + (i < extra)
        for i, lang in enumerate(LANGUAGES)
    }


def load_config(model: str, opts: dict) -> Config:
    """The model's config with the test dataloader set up as described in
    the module docstring, then ``opts['cfg_options']`` merged in."""
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/textrecog/cllstr', CONFIGS[model]))
    total = opts['num_batches'] * opts['batch_size']
    cfg.merge_from_dict({
        'test_dataloader.batch_size': opts['batch_size'],
        'test_dataloader.num_workers': 0,
        'test_dataloader.persistent_workers': False,
        'test_dataloader.dataset.data_root': opts['data_root'],
        'test_dataloader.dataset.split': 'training',
        'test_dataloader.dataset.data_usage': per_script_caps(total),
        'log_level': 'WARNING',
    })
    cfg.merge_from_dict(opts['cfg_options'])
    return cfg


def measure(model: str, opts: dict) -> Dict[str, float]:
    """Images/s of tools/test.py's path (without and with data loading) and
    of the bare model, taking turns; called in a fresh process."""
    torch.set_num_threads(opts['threads'])
    cfg = load_config(model, opts)
    init_default_scope(cfg.default_scope)
    torch.manual_seed(cfg.randomness.seed)
    initial = MODELS.build(cfg.model)
    initial.init_weights()
    with tempfile.TemporaryDirectory() as work_dir:
        cfg.work_dir = work_dir
        cfg.load_from = osp.join(work_dir, 'initial.pth')
        save_atomic(dict(state_dict=initial.state_dict()), cfg.load_from)
        runner = Runner.from_cfg(cfg)
        timer = TEST_TOOL.InferenceTimer()
        runner.register_hook(timer)
        lock_step = LockStep(timer, cfg.model.data_preprocessor)
        runner.register_hook(lock_step)
        runner.test()
    print()  # ends the progress bar's line, as tools/test.py does
    expected = opts['num_batches'] * opts['batch_size']
    if sum(lock_step.images) != expected:
        raise ValueError(
            f'{opts["data_root"]}/training holds {sum(lock_step.images)} '
            f'usable images where --batch-size x (--warmup + --iters) = '
            f'{expected} are needed: lower those options or pass a larger '
            '--data-root')
    warmup = opts['warmup']
    images = sum(lock_step.images[warmup:])
    return {
        key: images / sum(getattr(lock_step, key)[warmup:])
        for key in ('test_s', 'wall_s', 'bare_s')
    }


def main(argv: List[str] = None) -> None:
    args = parse_speed_args(
        __doc__.split('\n')[0], CONFIGS, batch_size=512, iters=3, warmup=1,
        argv=argv)
    # the Runner's log level for the initial model (the forked processes
    # inherit it): no per-parameter init table
    MMLogger.get_instance('infer_speed', log_level='WARNING')
    num_batches = args.warmup + args.iters
    print(f'machine: {machine_description()}; {args.threads} torch threads')
    print(f'inference: batch {args.batch_size}, {args.warmup} warm-up + '
          f'{args.iters} timed batches ({num_batches * args.batch_size} '
          f'images of {args.data_root}/training), 0 loader workers, '
          'taking turns')
    opts = dict(
        batch_size=args.batch_size,
        num_batches=num_batches,
        warmup=args.warmup,
        threads=args.threads,
        data_root=args.data_root,
        cfg_options=args.cfg_options)
    for model in args.models:
        speed = in_fresh_process(measure, (model, opts), 'fork')
        tool, bare = speed['test_s'], speed['bare_s']
        print(f'{model:10s} tools/test.py {tool:8.1f} images/s (with data '
              f'loading {speed["wall_s"]:6.1f}) | bare {bare:8.1f} images/s '
              f'| overhead {100 * (bare - tool) / bare:+.1f} %')


if __name__ == '__main__':
    main()
