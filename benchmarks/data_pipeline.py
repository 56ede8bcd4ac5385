"""Throughput of a recipe's training data pipeline, and a data summary.

The dataset, its pipeline, the DataLoader and the data preprocessor are
built from the config (``--config``, by default the quick start's), so the
benchmark times what training runs: LMDB read, PIL decode, resize and
packing through the config's DataLoader, then the model's data
preprocessor, once per worker count::

    python benchmarks/data_pipeline.py --samples 1000 --workers 0 2
    python benchmarks/data_pipeline.py --data-root data --select-data lang_L

Summary (``--summary``): read ``--samples`` samples through the dataset one
by one (unreadable images are found and counted on the way) and print the
per-language kept / too long / capped / unreadable / unknown-token counts::

    python benchmarks/data_pipeline.py --data-root data --summary

Without ``--data-root`` a temporary tree of synthetic word images in the
seven languages is generated (tests/data_utils.py) and removed afterwards.
"""
import argparse
import os.path as osp
import shutil
import sys
import tempfile
import time
from typing import Dict, List

import cllstr_mm  # noqa: F401  (compat layer + registration)
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from cllstr_mm.datasets import to_cllstr_label
from mmocr.registry import DATASETS, MODELS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(ROOT, 'tests'))
from data_utils import make_cllstr_tree  # noqa: E402

DEFAULT_CONFIG = osp.join(
    ROOT, 'configs/textrecog/cllstr/svtr-tiny_1xb32-900it_cllstr-mini.py')
#: The counts of the summary, in column order.
SUMMARY_KEYS = ('num_samples', 'too_long', 'capped', 'unreadable', 'kept',
                'with_unknown')
# A few words per language, as the converter stores them.
WORDS = {
    'ARA': ['الباب', 'مطعم', 'شارع'],
    'BEN': ['রাখিবেন', 'বাজার'],
    'CHI': ['北京西', '上海', '饭店'],
    'HIN': ['मंडप', 'क्षत्रिय', 'बाजार'],
    'JPN': ['くすり', '東京', 'ラーメン'],
    'KOR': ['냉면은', '서울', '부산역'],
    'LAT': ['CUISINE', 'Strasse', 'PIZZERIA', 'exit'],
}


def make_synthetic_root(root: str, samples: int) -> str:
    """``root/training`` with ``samples`` words spread over the seven
    languages, LAT holding the largest share as in MLT19."""
    shares = dict(LAT=0.4, ARA=0.1, BEN=0.1, CHI=0.1, HIN=0.1, JPN=0.1,
                  KOR=0.1)
    tree = {}
    for lang, share in shares.items():
        words = [to_cllstr_label(w, lang) for w in WORDS[lang]]
        count = max(1, round(samples * share))
        tree[lang] = [words[i % len(words)] for i in range(count)]
    return make_cllstr_tree(root, {'training': tree})


def throughput(cfg: Config, dataset, samples: int, workers: int,
               batch_size: int) -> Dict[str, float]:
    """Samples per second through the config's training DataLoader (with
    ``workers`` workers and ``batch_size``) and data preprocessor.

    Returns:
        dict: ``samples_per_s`` (after the first batch, so worker start-up
        is excluded), ``startup_s`` (time to the first batch) and
        ``samples`` (how many were read).
    """
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    loader = Runner.build_dataloader(
        dict(
            cfg.train_dataloader,
            dataset=dataset,
            batch_size=batch_size,
            num_workers=workers,
            persistent_workers=False),
        seed=0)
    seen = 0
    start = time.perf_counter()
    first = None
    while seen < samples:
        for batch in loader:
            inputs = preprocessor(batch, training=True)['inputs']
            if first is None:
                first = time.perf_counter()
                first_count = len(inputs)
            seen += len(inputs)
            if seen >= samples:
                break
    end = time.perf_counter()
    steady = seen - first_count
    return dict(
        samples=seen,
        startup_s=first - start,
        samples_per_s=steady / (end - first) if steady else float('nan'))


def summary(dataset, samples: int) -> Dict[str, Dict[str, int]]:
    """Read the first ``samples`` samples one by one, then return
    ``dataset.statistics(by='lang')`` (unreadable images met on the way are
    counted)."""
    for i in range(min(samples, len(dataset))):
        dataset[i]
    return dataset.statistics(by='lang')


def format_summary(stats: Dict[str, Dict[str, int]]) -> str:
    keys = SUMMARY_KEYS
    lines = [f'{"lang":<10}' + ''.join(f'{k:>14}' for k in keys)]
    for lang, row in stats.items():
        lines.append(f'{lang:<10}' + ''.join(f'{row[k]:>14}' for k in keys))
    lines.append(f'{"total":<10}' + ''.join(
        f'{sum(r[k] for r in stats.values()):>14}' for k in keys))
    return '\n'.join(lines)


def parse_args(argv: List[str] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--samples', type=int, default=1000,
                        help='samples to read (and to generate)')
    parser.add_argument('--workers', type=int, nargs='+', default=[0, 2],
                        help='DataLoader worker counts to time')
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='recipe whose training dataset, pipeline, '
                        'DataLoader and data preprocessor are used '
                        '(default: the quick start\'s)')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--data-root', default=None,
                        help='CLL-STR data root; default: a temporary '
                        'synthetic tree')
    parser.add_argument('--split', default='training')
    parser.add_argument('--select-data', default='lang_CBHJAKL')
    parser.add_argument('--summary', action='store_true',
                        help='print the per-language summary instead of '
                        'timing')
    return parser.parse_args(argv)


def main(argv: List[str] = None) -> None:
    args = parse_args(argv)
    init_default_scope('mmocr')
    tmp = None
    data_root = args.data_root
    if data_root is None:
        tmp = tempfile.mkdtemp(prefix='cllstr_bench_')
        data_root = make_synthetic_root(tmp, args.samples)
    try:
        cfg = Config.fromfile(args.config)
        dataset = DATASETS.build(
            dict(
                cfg.train_dataloader.dataset,
                data_root=data_root,
                split=args.split,
                select_data=args.select_data))
        if args.summary:
            print(format_summary(summary(dataset, args.samples)))
            return
        for workers in args.workers:
            result = throughput(cfg, dataset, args.samples, workers,
                                args.batch_size)
            print(f'workers={workers}: {result["samples_per_s"]:.0f} '
                  f'samples/s ({result["samples"]} samples, first batch '
                  f'after {result["startup_s"]:.2f} s)')
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
