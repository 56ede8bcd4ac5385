"""Cut word crops out of annotated photos the way a text detector hands
them to a recogniser: each word's quadrilateral is rectified by a
perspective warp to an upright rectangle, with a margin of background
around it.

    python tools/data/cut_word_crops.py data/photo_dev/photos.json \\
        data/real_dev/photo
    # -> data/real_dev/photo/<LANG>_<source>_<n>.jpg and gt.txt lines
    #    NAME<TAB>text for every word not marked "ignore"

The annotation file is a JSON list with one entry per image::

    {"file": "images/paddle_bank.jpg",       # relative to the JSON file
     "kind": "photo", "source": "...", "licence": "Apache-2.0",
     "words": [{"text": "中国农业银行", "lang": "CHI", "ignore": false,
                "box": [[x1, y1], [x2, y2], [x3, y3], [x4, y4]]}]}

A box is the word's corners in pixels, clockwise from the word's top-left
(as the text reads, so a rotated word's box starts at its first letter's
top). ``<source>`` is the image file name up to its first ``_`` and ``<n>``
counts the words of each language and source in file order from 1, so the
names are the same on every run. Lines of ``gt.txt`` that this run does
not write (e.g. crops that came already cut) are kept; those of the
``<LANG>_<source>_`` prefixes it writes are replaced, with their old files.
"""
import argparse
import json
import os
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np

from cllstr_mm.apis import load_image
from cllstr_mm.utils.languages import LANGUAGES

#: Background kept on each side of a word, as a share of its height.
DEFAULT_MARGIN = 0.12


class AnnotationError(ValueError):
    """An annotation file, entry or box is malformed; the message says
    which and what to fix."""


def quad_size(box: np.ndarray) -> Tuple[float, float]:
    """Width and height in pixels of the word in quadrilateral ``box``
    (4, 2): the means of its top and bottom, left and right edges."""
    tl, tr, br, bl = box
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return float(width), float(height)


def check_box(box, where: str, image_size: Tuple[int, int] = None):
    """``box`` as a float32 array (4, 2) after checking its form, its
    clockwise order and, given ``image_size`` (width, height), that it lies
    inside the image.

    Raises:
        AnnotationError: Naming ``where`` and what is wrong.
    """
    try:
        quad = np.asarray(box, dtype=np.float32)
    except (TypeError, ValueError):
        quad = None
    if quad is None or quad.shape != (4, 2) or not np.isfinite(quad).all():
        raise AnnotationError(
            f'{where}: "box" must be four [x, y] points, got {box!r}')
    x, y = quad[:, 0], quad[:, 1]
    # shoelace sum; positive when the points run clockwise on screen
    # (y pointing down)
    area = float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2
    if area <= 0:
        raise AnnotationError(
            f'{where}: box {box!r} is not clockwise from the top-left '
            f'(signed area {area:.1f}); list top-left, top-right, '
            'bottom-right, bottom-left')
    if image_size is not None:
        width, height = image_size
        if x.min() < 0 or y.min() < 0 or x.max() > width or y.max() > height:
            raise AnnotationError(f'{where}: box {box!r} reaches outside the '
                                  f'{width}x{height} image')
    return quad


def load_annotations(path: str) -> List[dict]:
    """Read and check a photos.json-style file (see the module docstring).

    Checks every entry's keys, each word's text, language and box form
    (not the image sizes: :func:`cut_crops` checks boxes against the
    decoded images).

    Raises:
        AnnotationError: The file is not such a list; the message names
            the file, entry and word.
    """
    try:
        with open(path, encoding='utf-8') as f:
            entries = json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        raise AnnotationError(f'cannot read annotations {path!r}: {error}') \
            from None
    if not isinstance(entries, list):
        raise AnnotationError(f'{path}: expected a JSON list of images')
    for i, entry in enumerate(entries):
        where = f'{path}: entry {i}'
        if not isinstance(entry, dict) or not isinstance(
                entry.get('file'), str) or not isinstance(
                    entry.get('words'), list):
            raise AnnotationError(
                f'{where}: needs "file" (a path) and "words" (a list)')
        for j, word in enumerate(entry['words']):
            word_where = f'{where} ({entry["file"]}), word {j}'
            if not isinstance(word, dict):
                raise AnnotationError(f'{word_where}: not an object')
            if word.get('lang') not in LANGUAGES:
                raise AnnotationError(
                    f'{word_where}: "lang" is {word.get("lang")!r}, not one '
                    f'of {", ".join(LANGUAGES)}')
            text = word.get('text')
            if not isinstance(text, str) or not text.strip() or any(
                    c in text for c in '\t\n\r'):
                raise AnnotationError(
                    f'{word_where}: "text" must be a non-empty string '
                    f'without tabs or newlines, got {text!r}')
            if not isinstance(word.get('ignore', False), bool):
                raise AnnotationError(
                    f'{word_where}: "ignore" must be true or false')
            check_box(word.get('box'), word_where)
    return entries


def rectify(image: np.ndarray,
            box: np.ndarray,
            margin: float = DEFAULT_MARGIN) -> np.ndarray:
    """The word in ``box`` warped upright, with ``margin`` times its height
    of the surrounding image on every side.

    Args:
        image: BGR uint8 image (H, W, 3).
        box: Corners (4, 2) in pixels, clockwise from the word's top-left.
        margin: Background on each side, as a share of the word's height.

    Returns:
        np.ndarray: BGR uint8 crop (h + 2m, w + 2m, 3) where w, h is
        :func:`quad_size` and m = ``margin`` * h, all rounded; where the
        margin passes the image border, the border pixels are repeated.
    """
    width, height = quad_size(box)
    pad = margin * height
    inner = np.float32([[pad, pad], [pad + width, pad],
                        [pad + width, pad + height], [pad, pad + height]])
    matrix = cv2.getPerspectiveTransform(np.float32(box), inner)
    size = (max(1, round(width + 2 * pad)), max(1, round(height + 2 * pad)))
    return cv2.warpPerspective(image,
                               matrix,
                               size,
                               flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def source_tag(file: str) -> str:
    """The ``<source>`` part of crop names: the image file name up to its
    first ``_`` (``images/paddle_bank.jpg`` -> ``paddle``)."""
    return osp.basename(file).split('_')[0]


def read_gt(path: str) -> Dict[str, str]:
    """``NAME<TAB>text`` lines of ``path`` as a dict (empty if missing)."""
    if not osp.exists(path):
        return {}
    with open(path, encoding='utf-8') as f:
        lines = [line.rstrip('\n') for line in f if line.strip()]
    gt = {}
    for number, line in enumerate(lines, 1):
        name, sep, text = line.partition('\t')
        if not sep:
            raise AnnotationError(
                f'{path}:{number}: expected NAME<TAB>text, got {line!r}')
        gt[name] = text
    return gt


def cut_crops(ann_path: str,
              out_dir: str,
              margin: float = DEFAULT_MARGIN) -> Dict[str, str]:
    """Cut every non-ignored word of ``ann_path`` into ``out_dir`` and
    update ``out_dir``/gt.txt (see the module docstring).

    Returns:
        dict: Crop file name -> text, for the crops written.

    Raises:
        AnnotationError: A malformed annotation or a box outside its image.
        ImageReadError: An image cannot be read (the message names it).
    """
    entries = load_annotations(ann_path)
    root = osp.dirname(osp.abspath(ann_path))
    crops: Dict[str, Tuple[np.ndarray, str]] = {}
    counts: Dict[str, int] = {}
    for i, entry in enumerate(entries):
        image = load_image(osp.join(root, entry['file']))
        size = (image.shape[1], image.shape[0])
        tag = source_tag(entry['file'])
        for j, word in enumerate(entry['words']):
            box = check_box(
                word['box'], f'{ann_path}: entry {i} ({entry["file"]}), '
                f'word {j}', size)
            if word.get('ignore', False):
                continue
            prefix = f'{word["lang"]}_{tag}_'
            counts[prefix] = counts.get(prefix, 0) + 1
            name = f'{prefix}{counts[prefix]:03d}.jpg'
            crops[name] = (rectify(image, box, margin), word['text'])
    os.makedirs(out_dir, exist_ok=True)
    gt_path = osp.join(out_dir, 'gt.txt')
    gt = read_gt(gt_path)
    for name in [n for n in gt if n.startswith(tuple(counts))]:
        # a crop of an earlier run of these annotations: written again below
        # (or gone, if its word was removed)
        del gt[name]
        if osp.exists(osp.join(out_dir, name)):
            os.remove(osp.join(out_dir, name))
    for name, (crop, text) in crops.items():
        cv2.imwrite(osp.join(out_dir, name), crop,
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        gt[name] = text
    with open(gt_path, 'w', encoding='utf-8') as f:
        f.writelines(f'{name}\t{gt[name]}\n' for name in sorted(gt))
    return {name: text for name, (_, text) in crops.items()}


def contact_sheet(out_dir: str,
                  path: str,
                  columns: int = 8,
                  cell_width: int = 200,
                  crop_height: int = 40) -> int:
    """Draw every crop of ``out_dir``/gt.txt with its name and its label
    beneath it (in a font of the label's script), so that a reviewer can
    check the labels by eye; save the sheet as ``path``.

    Returns:
        int: The number of crops drawn.
    """
    # imported here: drawing needs the font helpers, cutting does not
    from cllstr_mm.visualization.text_drawing import draw_text
    gt = read_gt(osp.join(out_dir, 'gt.txt'))
    label_height, name_height = 28, 12
    row_height = crop_height + label_height + name_height + 6
    rows = -(-len(gt) // columns)
    sheet = np.full((rows * row_height, columns * cell_width, 3), 255,
                    np.uint8)
    for k, (name, text) in enumerate(sorted(gt.items())):
        x, y = k % columns * cell_width, k // columns * row_height
        crop = cv2.cvtColor(load_image(osp.join(out_dir, name)),
                            cv2.COLOR_BGR2RGB)
        scale = min(crop_height / crop.shape[0],
                    (cell_width - 6) / crop.shape[1])
        crop = cv2.resize(crop, (max(1, round(
            crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))),
                          interpolation=cv2.INTER_AREA)
        sheet[y:y + crop.shape[0], x:x + crop.shape[1]] = crop
        top = y + crop_height
        cv2.putText(sheet, name, (x, top + name_height - 2),
                    cv2.FONT_HERSHEY_PLAIN, 0.8, (200, 0, 0), 1, cv2.LINE_AA)
        top += name_height
        sheet[top:top + label_height, x:x + cell_width - 6] = draw_text(
            sheet[top:top + label_height, x:x + cell_width - 6],
            text, (0, 0, cell_width - 6, label_height),
            fill_ratio=0.9)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    cv2.imwrite(path, cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR),
                [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return len(gt)


def parse_args(argv: Sequence[str] = None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('annotations', help='photos.json-style file')
    parser.add_argument('out_dir', help='folder for the crops and gt.txt')
    parser.add_argument(
        '--margin',
        type=float,
        default=DEFAULT_MARGIN,
        help='background on each side, as a share of the word height '
        f'(default {DEFAULT_MARGIN})')
    parser.add_argument(
        '--contact-sheet',
        metavar='PNG',
        help='also draw every crop of OUT_DIR/gt.txt (those already there '
        'included) with its label into this image')
    return parser.parse_args(argv)


def main():
    args = parse_args()
    if not 0 <= args.margin <= 1:
        raise SystemExit(
            f'--margin must be between 0 and 1, got {args.margin}')
    try:
        crops = cut_crops(args.annotations, args.out_dir, args.margin)
        langs = sorted({name.split('_')[0] for name in crops})
        counts = ', '.join(
            f'{lang} {sum(n.startswith(lang + "_") for n in crops)}'
            for lang in langs)
        print(f'{len(crops)} crops written to {args.out_dir} ({counts})')
        if args.contact_sheet:
            drawn = contact_sheet(args.out_dir, args.contact_sheet)
            print(f'{drawn} crops drawn in {args.contact_sheet}')
    except (AnnotationError, OSError) as error:
        raise SystemExit(str(error)) from None


if __name__ == '__main__':
    main()
