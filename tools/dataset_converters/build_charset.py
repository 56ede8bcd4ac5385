"""Build a charset file from the labels of recognition LMDBs.

Tokens are the ones :class:`MultilingualDictionary` uses (grapheme clusters
for ARA/BEN/HIN, code points otherwise), appended in first-seen order after
an optional base charset, so a model's existing classes keep their indexes
when a language is added::

    python tools/dataset_converters/build_charset.py \\
        data/training/THA data/validation/THA --out thai_charset.txt \\
        --base cllstr_mm/dicts/MLT19_charset.txt

Then use ``dictionary=dict(type='MultilingualDictionary',
dict_file='thai_charset.txt')``; its number of classes is the charset size
plus 4 (blank, [PAD], [UNK], space).
"""
import argparse

from cllstr_mm.models.common.dictionary import (build_charset, read_charset,
                                                write_charset)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Build a charset (one token per line) from LMDB labels.')
    parser.add_argument('lmdbs',
                        nargs='+',
                        metavar='LMDB',
                        help='LMDB folders (keys num-samples, label-%%09d)')
    parser.add_argument('--out', required=True, help='charset file to write')
    parser.add_argument('--base',
                        default=None,
                        help='charset whose tokens come first, unchanged '
                        '(e.g. cllstr_mm/dicts/MLT19_charset.txt)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    tokens = build_charset(args.lmdbs, base=args.base)
    write_charset(tokens, args.out)
    num_base = len(read_charset(args.base)) if args.base else 0
    print(f'{args.out}: {len(tokens)} tokens ({num_base} from the base, '
          f'{len(tokens) - num_base} new from {len(args.lmdbs)} LMDBs)')


if __name__ == '__main__':
    main()
