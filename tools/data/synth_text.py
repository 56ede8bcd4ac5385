"""Render SynthMLT-style word images into CLL-STR LMDBs.

    python tools/data/synth_text.py --out data --langs KOR HIN --num 20000 \
        --synthmlt --workers 2 --sheets work_dirs/synth_sheets
    # -> data/training/SynthMLT_KOR, data/training/SynthMLT_HIN

Without --synthmlt the LMDBs go to <out>/<split>/<LANG>. The output is the
same byte for byte for the same --seed, options, font files and library
versions, whatever --workers is. See cllstr_mm/datasets/synthesis.
"""
import argparse
import os
import os.path as osp
import time

from mmengine.utils import ProgressBar

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.datasets.synthesis import (WordImageSynthesizer, output_dir,
                                          write_synth_lmdb)
from cllstr_mm.utils.cli import parse_vocab_sizes
from cllstr_mm.utils.languages import LANGUAGES


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('--out', required=True, help='data root to write to')
    parser.add_argument(
        '--langs', nargs='+', default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument(
        '--num', type=int, required=True, help='images per language')
    parser.add_argument(
        '--split',
        default='training',
        choices=('training', 'validation', 'evaluation'))
    parser.add_argument(
        '--synthmlt',
        action='store_true',
        help='write training/SynthMLT_<LANG> instead of <split>/<LANG>')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--stream',
        help='name that, with --seed, fixes the samples (default: SynthMLT '
        'or the split), so splits of the same seed differ')
    parser.add_argument('--workers', type=int, default=min(2, os.cpu_count()))
    parser.add_argument(
        '--vocab-size',
        nargs='+',
        default=['20000'],
        metavar='[LANG=]N',
        help='draw from the N most frequent usable words of each language; '
        'LANG=N sets one language (e.g. 20000 CHI=3000)')
    parser.add_argument(
        '--height',
        type=int,
        nargs=2,
        default=(32, 64),
        metavar=('MIN', 'MAX'),
        help='output height range in px')
    parser.add_argument(
        '--jpeg-quality',
        type=int,
        nargs=2,
        default=(40, 95),
        metavar=('MIN', 'MAX'))
    parser.add_argument(
        '--spaced-prob',
        type=float,
        default=0.0,
        help='probability (0-1) that a CHI/JPN/KOR/LAT image has its '
        'letters drawn 0.1-1 em apart, as on signs')
    parser.add_argument(
        '--font-dirs', nargs='+', help='font folders (default: system ones)')
    parser.add_argument(
        '--word-split',
        default='all',
        choices=('all', 'train', 'heldout'),
        help='words of this part only (one in 10 words, by hash, is '
        'held out of training)')
    parser.add_argument(
        '--font-split',
        default='all',
        choices=('all', 'train', 'heldout'),
        help='font families of this part only (one family per script is '
        'held out of training)')
    parser.add_argument(
        '--sheets', help='folder for a contact sheet PNG per language')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace existing LMDBs')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.num < 1:
        raise SystemExit(f'--num must be >= 1, got {args.num}')
    vocab = parse_vocab_sizes(args.vocab_size, args.langs)
    try:
        dirs = {
            lang: output_dir(args.out, args.split, lang, args.synthmlt)
            for lang in args.langs
        }
    except ValueError as e:
        raise SystemExit(f'synth_text.py: {e}')
    for lang, out_dir in dirs.items():
        if osp.exists(out_dir) and not args.overwrite:
            raise SystemExit(f'{out_dir} exists; pass --overwrite to '
                             'replace it')
    if args.sheets:
        os.makedirs(args.sheets, exist_ok=True)
    stream = args.stream or ('SynthMLT' if args.synthmlt else args.split)
    for lang in args.langs:
        try:
            synth = WordImageSynthesizer(
                lang,
                seed=args.seed,
                stream=stream,
                height=tuple(args.height),
                jpeg_quality=tuple(args.jpeg_quality),
                vocab_size=vocab[lang],
                font_dirs=args.font_dirs,
                word_split=args.word_split,
                font_split=args.font_split,
                spaced_prob=args.spaced_prob)
        except (RuntimeError, FileNotFoundError, ValueError) as e:
            # missing raqm or fonts, or an invalid option: the message says
            # what to install or change, a traceback would only bury it
            raise SystemExit(f'synth_text.py: {lang}: {e}')
        print(f'{lang}: {len(synth.words)} words, {len(synth.fonts)} font '
              f'faces -> {dirs[lang]}')
        bar = ProgressBar(args.num)
        start = time.time()
        count = write_synth_lmdb(
            dirs[lang],
            synth,
            args.num,
            workers=args.workers,
            overwrite=args.overwrite,
            sheet_path=osp.join(args.sheets, f'{lang}.png')
            if args.sheets else None,
            on_sample=bar.update)
        print(f'\n{lang}: wrote {count} images in '
              f'{time.time() - start:.0f} s')


if __name__ == '__main__':
    main()
