"""CPU seconds per training iteration and per test image of a run, as
its task would train it, measured inside this process on its thread's CPU
clock (which other processes on a loaded machine do not inflate), and of
starting a tool process and of generating an image."""
import resource
import subprocess
import sys
import time
from typing import Dict, List, Optional

from mmengine.hooks import Hook
from mmengine.runner import Runner

from . import REPO, load_tool
from .tasks import Task


class ThreadClock(Hook):
    """Thread CPU seconds of training iterations (from the end of one to
    the end of the next, so data loading in the main thread counts) after
    the first ``warmup``, and of test or validation batches per image."""

    priority = 'VERY_LOW'

    def __init__(self, warmup: int) -> None:
        self.warmup = warmup
        self.iters = 0
        self.train_seconds: List[float] = []
        self.infer_seconds = 0.
        self.images = 0
        self._last: Optional[float] = None
        self._start = 0.

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        now = time.thread_time()
        self.iters += 1
        if self._last is not None and self.iters > self.warmup:
            self.train_seconds.append(now - self._last)
        self._last = now

    def before_val_iter(self, runner, batch_idx, data_batch=None) -> None:
        self._start = time.thread_time()

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None) -> None:
        self.infer_seconds += time.thread_time() - self._start
        self.images += len(outputs or ())
        # the validation's time is not a training iteration's
        self._last = time.thread_time()


def measure_task(task: Task, work_dir: str, iters: int, warmup: int,
                 validate: bool) -> Dict[str, float]:
    """Train ``task``'s config for ``warmup + iters`` iterations into
    ``work_dir`` (validating once, at the end, if ``validate``): CPU
    seconds per iteration (``seconds_per_iter``, the median) and, with a
    validation, per image (``infer_per_image``)."""
    train = load_tool('tools/train.py')
    total = warmup + iters
    options = [
        *task.options, f'train_cfg.max_iters={total}',
        f'default_hooks.checkpoint.interval={total}'
    ]
    if validate:
        options += ['train_cfg.dynamic_intervals=None',
                    f'train_cfg.val_interval={total}']
    args = train.parse_args([
        task.config, '--work-dir', work_dir, *task.train_args,
        '--cfg-options', *options
    ])
    runner = Runner.from_cfg(train.setup_cfg(args))
    clock = ThreadClock(warmup)
    runner.register_hook(clock)
    runner.train()
    seconds = sorted(clock.train_seconds)
    out = dict(seconds_per_iter=seconds[len(seconds) // 2],
               iterations=len(seconds))
    if clock.images:
        out['infer_per_image'] = clock.infer_seconds / clock.images
    return out


def children_cpu() -> float:
    """CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_start() -> float:
    """CPU seconds a tool process spends importing the stack (each
    tools/train.py and tools/test.py call pays it)."""
    before = children_cpu()
    subprocess.run([
        sys.executable, '-c',
        'import cllstr_mm, mmocr.models, mmengine.runner'
    ], cwd=REPO, check=True)
    return children_cpu() - before


