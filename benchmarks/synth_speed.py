"""Throughput of the synthetic word-image generator.

    python benchmarks/synth_speed.py [--num 200] [--workers 2]
    python benchmarks/synth_speed.py --style release2   # both looks, in turns

Prints images/s of one process per script (font, word and photo caches
warmed up by --warmup images first), then images/s of all scripts together with --workers
processes (counting worker start-up after the first pool). With --style
the first release's look and the style's are timed taking turns sample by
sample, so that the load of a shared machine falls on both alike, and the
multi-process line times the style.
"""
import argparse
import time

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.datasets.synthesis import iter_samples
from cllstr_mm.datasets.synthesis.effects import STYLES
from cllstr_mm.datasets.synthesis.styled import StyledWordImageSynthesizer
from cllstr_mm.utils.languages import LANGUAGES


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--num', type=int, default=200,
                        help='images timed per script')
    parser.add_argument('--warmup', type=int, default=300,
                        help='images drawn per script before timing (fills '
                        'the caches: 120 ARA faces, 22 photos with a style)')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--vocab-size', type=int, default=2000)
    parser.add_argument('--langs', nargs='+', default=list(LANGUAGES),
                        choices=LANGUAGES)
    parser.add_argument('--style', choices=sorted(STYLES),
                        help='also time this style of looks')
    return parser.parse_args()


def main():
    args = parse_args()
    looks = [None] + ([args.style] if args.style else [])
    synths = {(lang, look): StyledWordImageSynthesizer(
        lang, style=look, vocab_size=args.vocab_size)
              for lang in args.langs for look in looks}
    names = ['first release'] + ([args.style] if args.style else [])
    print(f'{"script":8}' + ''.join(f'{n + " images/s":>24}{"ms":>7}'
                                    for n in names) + '  (1 process)')
    totals = {look: 0.0 for look in looks}
    for lang in args.langs:
        seconds = {look: 0.0 for look in looks}
        for look in looks:  # fills the font, coverage and photo caches
            for index in range(args.warmup):
                synths[lang, look].sample(args.num + index)
        for index in range(args.num):
            for look in looks:
                start = time.perf_counter()
                synths[lang, look].sample(index)
                seconds[look] += time.perf_counter() - start
        for look in looks:
            totals[look] += seconds[look]
        print(f'{lang:8}' + ''.join(
            f'{args.num / seconds[look]:24.1f}'
            f'{1000 * seconds[look] / args.num:7.1f}' for look in looks))
    count = args.num * len(args.langs)
    print(f'{"all":8}' + ''.join(f'{count / totals[look]:24.1f}'
                                 f'{1000 * totals[look] / count:7.1f}'
                                 for look in looks))
    timed = [synths[lang, looks[-1]] for lang in args.langs]
    list(iter_samples(timed[0], 4, workers=args.workers))
    start = time.perf_counter()
    total = 0
    for synth in timed:
        total += sum(1 for _ in iter_samples(
            synth, args.num, workers=args.workers))
    seconds = time.perf_counter() - start
    print(f'all {len(timed)} scripts, {names[-1]}, {args.workers} workers: '
          f'{total / seconds:.1f} images/s ({total} images, worker start-up '
          'and cold caches included)')


if __name__ == '__main__':
    main()
