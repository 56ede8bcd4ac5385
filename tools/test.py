"""Evaluate a checkpoint per language, MMOCR-style, and print the original
CLL-STR result row (CHI BEN HIN JPN ARA KOR LAT total; 1-NED and word
accuracy; ms per image; parameters). The same figures go to a JSON file.

    python tools/test.py CONFIG CHECKPOINT [--out results.json]
        [--work-dir DIR] [--beam-width K] [--cfg-options k=v ...]

CHECKPOINT must fit the config's model: a missing, unexpected or differently
shaped key is an error that lists them. If the test fails part-way, what was
measured (images read, their scores, the error) goes to
``<out>.partial.json`` (e.g. ``test_results.partial.json``) before the error
is raised.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

import cllstr_mm  # noqa: F401  (compat layer + registration)
from mmengine.hooks import Hook
from mmengine.registry import RUNNERS
from mmengine.runner import Runner
from mmengine.utils import ProgressBar

from cllstr_mm.utils.checkpoint import CheckpointMismatchError
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
    parser.add_argument(
        '--beam-width',
        type=int,
        default=0,
        help='beam search of this width for decoders that have one '
        '(LMIMNRTRDecoder); 0 (default) decodes greedily')
    add_runner_args(parser, 'test_dataloader.dataset.select_data=lang_K')
    return parse_runner_args(parser, argv)


def measured_metrics(runner) -> dict:
    """The test metrics over the samples processed so far (for a run that
    failed part-way), or ``{'error': ...}`` if they cannot be computed."""
    try:
        metrics = {}
        for metric in runner.test_loop.evaluator.metrics:
            if not metric.results:
                continue
            scores = metric.compute_metrics(metric.results)
            metrics.update({
                f'{metric.prefix}/{key}' if metric.prefix else key: value
                for key, value in scores.items()
            })
        return metrics
    except Exception as error:
        return dict(error=f'{type(error).__name__}: {error}')


def write_json(path: str, results: dict) -> None:
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(results, f, indent=2)


def main():
    args = parse_args()
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint {args.checkpoint} not found')
    cfg = load_runner_config(args)
    cfg.load_from = args.checkpoint
    if args.beam_width:
        decoder = cfg.model.get('decoder', {})
        if 'beam_width' not in decoder:
            sys.exit(f'error: --beam-width: the decoder of {args.config} '
                     f'({decoder.get("type")}) has no beam search')
        decoder.beam_width = args.beam_width
    out = args.out or osp.join(cfg.work_dir, 'test_results.json')
    partial_out = osp.splitext(out)[0] + '.partial.json'

    runner = RUNNERS.build(cfg) if 'runner_type' in cfg else \
        Runner.from_cfg(cfg)
    timer = InferenceTimer()
    runner.register_hook(timer)
    results = dict(config=args.config, checkpoint=args.checkpoint)
    try:
        metrics = runner.test()
    except CheckpointMismatchError as error:
        sys.exit(f'error: {error}')
    except BaseException as error:
        # Keep what was measured: the scores of the images read so far.
        write_json(
            partial_out,
            dict(
                results,
                complete=False,
                error=f'{type(error).__name__}: {error}',
                num_images=timer.images,
                ms_per_image=timer.ms_per_image,
                metrics=measured_metrics(runner)))
        print(
            f'\ntest failed after {timer.images} images; what was measured '
            f'is in {partial_out}',
            file=sys.stderr)
        raise

    num_params = sum(p.numel() for p in runner.model.parameters())
    name = osp.splitext(osp.basename(args.checkpoint))[0]
    print()
    print(format_table(metrics, name=name, ms_per_image=timer.ms_per_image,
                       num_params=num_params))
    write_json(
        out,
        dict(
            results,
            complete=True,
            metrics=metrics,
            ms_per_image=timer.ms_per_image,
            num_images=timer.images,
            num_params=num_params))
    if osp.exists(partial_out):
        os.remove(partial_out)  # from an earlier failed run
    print(f'results written to {out}')


if __name__ == '__main__':
    main()
