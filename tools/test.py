"""Evaluate a checkpoint per language, MMOCR-style, and print the original
CLL-STR result row (CHI BEN HIN JPN ARA KOR LAT total; 1-NED and word
accuracy; ms per image; parameters). The same figures go to a JSON file.

    python tools/test.py CONFIG CHECKPOINT [--out results.json]
        [--work-dir DIR] [--cfg-options k=v ...]
"""
import argparse
import json
import os
import os.path as osp
import time

import cllstr_mm  # noqa: F401  (compat layer + registration)
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmengine.utils import ProgressBar

from cllstr_mm.utils.cli import (add_runner_args, load_runner_config,
                                 parse_runner_args)
from cllstr_mm.utils.report import format_table


class InferenceTimer(Hook):
    """Times each test batch (preprocess + forward + decode), counts the
    images and shows a progress bar."""

    priority = 'VERY_LOW'

    def __init__(self):
        self.seconds = 0.0
        self.images = 0
        self._bar = None
        self._start = 0.0

    def before_test(self, runner):
        self._bar = ProgressBar(len(runner.test_dataloader.dataset))

    def before_test_iter(self, runner, batch_idx, data_batch=None):
        self._start = time.perf_counter()

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None):
        self.seconds += time.perf_counter() - self._start
        n = len(outputs) if outputs is not None else 0
        self.images += n
        self._bar.update(n)

    @property
    def ms_per_image(self) -> float:
        return 1000 * self.seconds / max(self.images, 1)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a text recogniser')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out',
        help='JSON file for the figures (default: '
        '<work-dir>/test_results.json)')
    add_runner_args(parser, 'test_dataloader.dataset.select_data=lang_K')
    return parse_runner_args(parser, argv)


def main():
    args = parse_args()
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint {args.checkpoint} not found')
    cfg = load_runner_config(args)
    cfg.load_from = args.checkpoint

    runner = Runner.from_cfg(cfg)
    timer = InferenceTimer()
    runner.register_hook(timer)
    metrics = runner.test()

    num_params = sum(p.numel() for p in runner.model.parameters())
    name = osp.splitext(osp.basename(args.checkpoint))[0]
    print()
    print(format_table(metrics, name=name, ms_per_image=timer.ms_per_image,
                       num_params=num_params))
    out = args.out or osp.join(cfg.work_dir, 'test_results.json')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w', encoding='utf-8') as f:
        json.dump(
            dict(
                config=args.config,
                checkpoint=args.checkpoint,
                metrics=metrics,
                ms_per_image=timer.ms_per_image,
                num_images=timer.images,
                num_params=num_params),
            f,
            indent=2)
    print(f'results written to {out}')


if __name__ == '__main__':
    main()
