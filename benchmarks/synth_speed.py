"""Throughput of the synthetic word-image generator.

    python benchmarks/synth_speed.py [--num 200] [--workers 2]

Prints images/s of one process per script (font and word caches warmed up
first), then images/s of all scripts together with --workers processes
(counting worker start-up after the first pool).
"""
import argparse
import time

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.datasets.synthesis import WordImageSynthesizer, iter_samples
from cllstr_mm.utils.languages import LANGUAGES


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--num', type=int, default=200,
                        help='images timed per script')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--vocab-size', type=int, default=2000)
    parser.add_argument('--langs', nargs='+', default=list(LANGUAGES),
                        choices=LANGUAGES)
    return parser.parse_args()


def main():
    args = parse_args()
    synths = {
        lang: WordImageSynthesizer(lang, vocab_size=args.vocab_size)
        for lang in args.langs
    }
    print(f'{"script":8}{"images/s (1 process)":>22}{"ms/image":>10}')
    for lang, synth in synths.items():
        for index in range(20):  # fills the font and coverage caches
            synth.sample(args.num + index)
        start = time.perf_counter()
        for index in range(args.num):
            synth.sample(index)
        seconds = time.perf_counter() - start
        print(f'{lang:8}{args.num / seconds:22.1f}'
              f'{1000 * seconds / args.num:10.1f}')
    list(iter_samples(synths[args.langs[0]], 4, workers=args.workers))
    start = time.perf_counter()
    total = 0
    for synth in synths.values():
        total += sum(1 for _ in iter_samples(
            synth, args.num, workers=args.workers))
    seconds = time.perf_counter() - start
    print(f'all {len(synths)} scripts, {args.workers} workers: '
          f'{total / seconds:.1f} images/s ({total} images, '
          'worker start-up and cold caches included)')


if __name__ == '__main__':
    main()
