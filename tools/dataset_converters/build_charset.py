"""Build a charset file, or measure what charsets can write.

From the labels of recognition LMDBs: tokens are the ones
:class:`MultilingualDictionary` uses (grapheme clusters for ARA/BEN/HIN, code
points otherwise), appended in first-seen order after an optional base
charset, so a model's existing classes keep their indexes when a language is
added::

    python tools/dataset_converters/build_charset.py \\
        data/training/THA data/validation/THA --out thai_charset.txt \\
        --base cllstr_mm/dicts/MLT19_charset.txt

Then use ``dictionary=dict(type='MultilingualDictionary',
dict_file='thai_charset.txt')``; its number of classes is the charset size
plus 4 (blank, [PAD], [UNK], space).

The release charset (``cllstr_mm/dicts/release2_charset.txt``, about 4
minutes; ``cllstr_mm.datasets.synthesis.coverage.release_charset``): MLT19's
tokens, then digits, punctuation, Latin, kana and Arabic forms, then each
script's letters of wordfreq text until 99.5 % of its running text is
writable::

    python tools/dataset_converters/build_charset.py --release \\
        --out cllstr_mm/dicts/release2_charset.txt

What charsets write of each script's wordfreq words (share of the distinct
words and of running text), per script, with the tokens missed most::

    python tools/dataset_converters/build_charset.py --coverage \\
        cllstr_mm/dicts/MLT19_charset.txt cllstr_mm/dicts/release2_charset.txt
"""
import argparse
import os.path as osp

from cllstr_mm.models.common.dictionary import (MLT19_CHARSET, build_charset,
                                                read_charset, write_charset)
from cllstr_mm.utils.languages import LANGUAGES


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Build a charset (one token per line) from LMDB labels '
        '(or --release from wordfreq), or measure charsets (--coverage).')
    parser.add_argument('lmdbs',
                        nargs='*',
                        metavar='LMDB',
                        help='LMDB folders (keys num-samples, label-%%09d)')
    parser.add_argument('--out', help='charset file to write')
    parser.add_argument('--base',
                        default=None,
                        help='charset whose tokens come first, unchanged '
                        '(e.g. cllstr_mm/dicts/MLT19_charset.txt; --release '
                        'defaults to it)')
    parser.add_argument('--release',
                        action='store_true',
                        help='build the release charset from wordfreq '
                        'instead of LMDBs')
    parser.add_argument('--standard-lists',
                        action='store_true',
                        help='--release: add the common-use hanzi, kanji '
                        'and Hangul of GB 2312, JIS X 0208 and KS X 1001 '
                        '(about 2,900 tokens more)')
    parser.add_argument('--target',
                        type=float,
                        default=None,
                        help='--release: running-text share (0-1) to reach '
                        'per script (default 0.995)')
    parser.add_argument('--coverage',
                        nargs='+',
                        metavar='CHARSET',
                        help='print the share of wordfreq words and running '
                        'text that each charset writes, per script')
    parser.add_argument('--top-n',
                        type=int,
                        default=None,
                        help='words per script measured or built on '
                        '(default 100000)')
    parser.add_argument('--langs',
                        nargs='+',
                        default=list(LANGUAGES),
                        choices=LANGUAGES,
                        help='scripts (--coverage, --release)')
    parser.add_argument('--missing',
                        type=int,
                        default=8,
                        help='--coverage: tokens missed most, per script '
                        'and charset')
    args = parser.parse_args(argv)
    modes = bool(args.lmdbs) + args.release + bool(args.coverage)
    if modes != 1:
        parser.error('give LMDB folders, --release or --coverage (one of '
                     'them)')
    if not args.coverage and not args.out:
        parser.error('--out is required to build a charset')
    if args.top_n is not None and args.top_n < 1:
        parser.error(f'--top-n must be >= 1, got {args.top_n}')
    if args.target is not None and not 0 < args.target <= 1:
        parser.error(f'--target must be within (0, 1], got {args.target}')
    for path in (args.coverage or []) + [args.base] * bool(args.base):
        if not osp.isfile(path):
            parser.error(f'charset file {path} does not exist')
    return args


def _top_n_kwargs(args) -> dict:
    return {} if args.top_n is None else dict(top_n=args.top_n)


def print_coverage(args) -> None:
    """One table row per script and charset: word share, running-text
    share, the tokens missed most."""
    from cllstr_mm.datasets.synthesis.coverage import (coverage, tokenise,
                                                       word_frequencies)
    charsets = [frozenset(read_charset(path)) for path in args.coverage]
    names = [osp.basename(path) for path in args.coverage]
    print('| script | charset | words | running text | missed most |')
    print('| --- | --- | ---: | ---: | --- |')
    for lang in args.langs:
        words = tokenise(word_frequencies(lang, **_top_n_kwargs(args)), lang)
        for name, charset in zip(names, charsets):
            result = coverage(words, charset)
            missed = ' '.join(
                f'{token!r} {share:.2%}'
                for token, share in result.missing.most_common(args.missing))
            print(f'| {lang} | {name} | {result.words:.2%} | '
                  f'{result.text:.2%} | {missed} |', flush=True)


def main(argv=None):
    args = parse_args(argv)
    if args.coverage:
        print_coverage(args)
        return
    if args.release:
        from cllstr_mm.datasets.synthesis.coverage import release_charset
        base = args.base or MLT19_CHARSET
        kwargs = _top_n_kwargs(args)
        if args.target is not None:
            kwargs['target'] = args.target
        tokens = release_charset(read_charset(base), langs=args.langs,
                                 with_standard_lists=args.standard_lists,
                                 **kwargs)
        source = 'wordfreq and the fixed lists'
    else:
        base = args.base
        tokens = build_charset(args.lmdbs, base=base)
        source = f'{len(args.lmdbs)} LMDBs'
    write_charset(tokens, args.out)
    num_base = len(read_charset(base)) if base else 0
    print(f'{args.out}: {len(tokens)} tokens ({num_base} from the base, '
          f'{len(tokens) - num_base} new from {source})')


if __name__ == '__main__':
    main()
