"""Convert a folder of word crops and its ``gt.txt`` into a CLL-STR LMDB.

``gt.txt`` holds one ``path<TAB>label`` per line (MLT19 crop style; the
path is relative to the image folder, the label may contain spaces). Labels
of ARA, BEN and HIN are stored as the original encoder expects them
(:func:`cllstr_mm.datasets.to_cllstr_label`: Arabic reshaping, reading order,
tab-joined grapheme clusters); other languages unchanged. Image bytes are
copied as they are. Missing and unreadable images are skipped and counted,
and labels holding tokens the dictionary (``--dict-file``, by default the
MLT19 charset) does not know are counted, with the most frequent tokens::

    python tools/dataset_converters/gt_to_lmdb.py crops/ --gt crops/gt.txt \\
        --out data/training/HIN --lang HIN

The output LMDB is written under a temporary name and only appears when
complete; nothing is written when no image is usable.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

from mmengine.utils import ProgressBar

from cllstr_mm.datasets import (ImageReadError, decode_image,
                                label_length_limit, to_cllstr_label,
                                write_lmdb)
from cllstr_mm.datasets.labels import count_unknown
from cllstr_mm.models.common.dictionary import (MLT19_CHARSET,
                                                MultilingualDictionary)
from cllstr_mm.utils.languages import LANGUAGES

#: Skipped paths (and unknown tokens) shown per reason in the summary.
_SHOWN = 5


def read_gt(gt_file: str) -> List[Tuple[str, str]]:
    """``(image path, label)`` pairs of ``gt_file``; blank lines skipped."""
    pairs = []
    with open(gt_file, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, start=1):
            line = line.rstrip('\r\n')
            if not line.strip():
                continue
            if '\t' not in line:
                raise ValueError(f'{gt_file}:{lineno}: expected '
                                 f'"path<TAB>label", got {line!r}')
            path, label = line.split('\t', 1)
            pairs.append((path, label))
    return pairs


def convert(image_dir: str,
            gt_file: str,
            out: str,
            lang: str,
            overwrite: bool = False,
            progress: bool = True,
            dict_file: str = MLT19_CHARSET) -> Dict[str, object]:
    """Write the LMDB ``out`` from ``gt_file``'s images in ``image_dir``.

    Args:
        image_dir: Folder the ``gt.txt`` paths are relative to.
        gt_file: ``path<TAB>label`` lines.
        out: LMDB folder to create.
        lang: Language of the labels (one of ``LANGUAGES``).
        overwrite: Replace an existing ``out``.
        progress: Show a progress bar while checking images.
        dict_file: Charset of the dictionary the labels are checked against.

    Returns:
        dict: ``written`` (int), ``missing`` and ``unreadable`` (lists of
        image paths skipped), ``too_long`` (int: labels written that the
        dataset length filter will drop), ``with_unknown`` (int: labels
        written that hold tokens outside the dictionary), ``unknown_tokens``
        (Counter of those tokens) and ``dict_file``.
    """
    if lang not in LANGUAGES:
        raise ValueError(f'lang={lang!r}; use one of {LANGUAGES}')
    dictionary = MultilingualDictionary(dict_file=dict_file)
    if osp.exists(out) and not overwrite:
        raise FileExistsError(f'{out} already exists; pass --overwrite to '
                              'replace it')
    pairs = read_gt(gt_file)
    usable: List[Tuple[str, str]] = []
    missing: List[str] = []
    unreadable: List[str] = []
    bar = ProgressBar(len(pairs)) if progress and pairs else None
    # Decode every image once before writing, so that ``out`` is left
    # untouched when nothing is usable.
    for rel_path, text in pairs:
        path = osp.join(image_dir, rel_path)
        if not osp.isfile(path):
            missing.append(path)
        else:
            with open(path, 'rb') as f:
                img_bytes = f.read()
            try:
                decode_image(img_bytes)
                usable.append((path, to_cllstr_label(text, lang)))
            except ImageReadError:
                unreadable.append(path)
        if bar is not None:
            bar.update()
    if bar is not None:
        sys.stdout.write('\n')
    if not usable:
        raise RuntimeError(
            f'{gt_file}: none of its {len(pairs)} images is usable '
            f'({len(missing)} missing, {len(unreadable)} unreadable); '
            f'{out} was not written')

    def samples():
        for path, label in usable:
            with open(path, 'rb') as f:
                yield f.read(), label

    written = write_lmdb(out, samples(), overwrite=overwrite)
    too_long = sum(len(label) > label_length_limit(label)
                   for _, label in usable)
    with_unknown, unknown_tokens = count_unknown(
        (label for _, label in usable), dictionary)
    return dict(
        written=written,
        missing=missing,
        unreadable=unreadable,
        too_long=too_long,
        with_unknown=with_unknown,
        unknown_tokens=unknown_tokens,
        dict_file=dict_file)


def summary(result: Dict[str, object], out: str, lang: str) -> str:
    """Human-readable report of :func:`convert`'s result."""
    lines = [f'{out}: wrote {result["written"]} {lang} samples']
    for reason in ('missing', 'unreadable'):
        paths = result[reason]
        if paths:
            shown = ', '.join(paths[:_SHOWN])
            more = f' (+{len(paths) - _SHOWN} more)' \
                if len(paths) > _SHOWN else ''
            lines.append(f'skipped {len(paths)} {reason} images: '
                         f'{shown}{more}')
    if result['too_long']:
        lines.append(f'{result["too_long"]} labels are longer than the '
                     'length filter allows (25 code points, 49 with tabs for '
                     'ARA/BEN/HIN); datasets will drop them')
    if result['with_unknown']:
        tokens = result['unknown_tokens']
        shown = ', '.join(f'{token!r} x{n}'
                          for token, n in tokens.most_common(_SHOWN))
        more = f' (+{len(tokens) - _SHOWN} more)' \
            if len(tokens) > _SHOWN else ''
        lines.append(
            f'{result["with_unknown"]} labels hold tokens outside the '
            f'dictionary: {shown}{more}; they train as [UNK] and are not '
            'scored. Add them with tools/dataset_converters/build_charset.py '
            f'{out} --base {result["dict_file"]} --out my_charset.txt')
    return '\n'.join(lines)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert word crops + gt.txt into a CLL-STR LMDB.')
    parser.add_argument(
        'source',
        metavar='IMAGE_DIR_OR_GT',
        help='folder of images (gt.txt inside unless --gt is given), or a '
        'gt.txt whose paths are relative to its own folder')
    parser.add_argument(
        '--gt', default=None, help='gt file (path<TAB>label per line)')
    parser.add_argument('--out', required=True, help='LMDB folder to write')
    parser.add_argument(
        '--lang', required=True, choices=LANGUAGES, help='language')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace an existing --out')
    parser.add_argument(
        '--dict-file',
        default=MLT19_CHARSET,
        help='charset the labels are checked against (default: the MLT19 '
        'charset of the models)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    if osp.isdir(args.source):
        image_dir = args.source
        gt_file = args.gt or osp.join(args.source, 'gt.txt')
    elif args.gt is not None:
        sys.exit(f'{args.source} is a file: give an image folder with --gt, '
                 'or the gt file alone')
    else:
        image_dir, gt_file = osp.dirname(args.source), args.source
    if not osp.isfile(gt_file):
        sys.exit(f'{gt_file} not found')
    try:
        result = convert(image_dir, gt_file, args.out, args.lang,
                         overwrite=args.overwrite, dict_file=args.dict_file)
    except (FileExistsError, FileNotFoundError, RuntimeError,
            ValueError) as e:
        sys.exit(str(e))
    print(summary(result, args.out, args.lang))


if __name__ == '__main__':
    main()
