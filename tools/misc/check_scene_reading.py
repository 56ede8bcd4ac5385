"""End-to-end check on a synthetic scene: words of several scripts placed on
a background, read by a detector + recogniser and by the recogniser alone
on the known word boxes.

    python tools/misc/check_scene_reading.py --rec CONFIG --rec-weights CKPT
        [--det PP-OCRv5|NAME|CONFIG] [--det-weights CKPT] [--out-dir DIR]
        [--min-1ned X]
        [--vocab-size [LANG=]N ...]

The detection + recognition output (MMOCRInferencer with PP-OCRv5's offline
detector by default, as tools/infer.py; JSON and picture under DIR) is
checked for its structure only. Reading is checked on the known boxes: the
words are cropped from the scene
and read by the recogniser; with trained weights, ``--min-1ned X`` fails
(exit status 1) when their mean 1-NED (0-100, CLL-STR's metric) is below X.

The scene shows one common word per script (SCENE_WORDS). A model trained
on a small vocabulary, like the quick start's, has never seen most of their
characters: ``--vocab-size`` draws each script's word from the N most
frequent words instead (``--words-per-script`` of them), as
``tools/data/synth_text.py`` does; the quick start passes the bundled data's
sizes, so its model reads new renderings of words it was trained on.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Sequence, Tuple

import cllstr_mm  # noqa: F401  (compat layer, registration)
import numpy as np
from cllstr_mm.apis import (OFFLINE_DETECTOR, MultilingualOCRInferencer,
                            infer_files, load_model_config, save_results)
from cllstr_mm.datasets.synthesis import WordImageSynthesizer, load_words
from cllstr_mm.datasets.synthesis.words import label_tokens
from cllstr_mm.evaluation.metrics.multilingual_recog_metric import (
    MultilingualRecogMetric, one_minus_ned)
from cllstr_mm.utils.cli import parse_vocab_sizes
from cllstr_mm.utils.languages import LANGUAGES
from mmocr.apis import TextRecInferencer
from PIL import Image

#: One common word per script, every character in the joint dictionary.
SCENE_WORDS = {
    'ARA': 'مدرسة',
    'BEN': 'বাজার',
    'CHI': '北京',
    'HIN': 'भारत',
    'JPN': 'くすり',
    'KOR': '서울',
    'LAT': 'HOTEL',
}
#: Keys and per-region lists of MMOCRInferencer's detection + recognition
#: result.
OCR_KEYS = ('det_polygons', 'det_scores', 'rec_texts', 'rec_scores')


def vocabulary_words(vocab_sizes: Dict[str, int],
                     per_script: int = 1,
                     seed: int = 0) -> List[Tuple[str, str]]:
    """``per_script`` different words per script as ``(lang, word)`` pairs,
    drawn (with ``seed``) from the script's ``vocab_sizes[lang]`` most
    frequent usable words among those of 2 to 6 label tokens, so that a
    scene word is neither trivial nor cut."""
    rng = np.random.default_rng(seed)
    chosen = []
    for lang, size in vocab_sizes.items():
        words = [
            word for word in load_words(lang, size)
            if 2 <= len(label_tokens(word, lang)) <= 6
        ]
        if len(words) < per_script:
            raise SystemExit(
                f'--vocab-size: {len(words)} {lang} words of 2-6 tokens '
                f'among the {size} most frequent, {per_script} needed; '
                'use a larger size or fewer --words-per-script')
        chosen += [(lang, words[i])
                   for i in rng.choice(len(words), per_script, replace=False)]
    return chosen


def compose_scene(words: Sequence[Tuple[str, str]] = tuple(
        SCENE_WORDS.items()),
                  seed: int = 0,
                  width: int = 480) -> Tuple[np.ndarray, List[dict]]:
    """Draw each ``(lang, word)`` with the synthetic data generator and place
    the crops in rows on a light, noisy gradient.

    Returns:
        tuple: The scene, RGB uint8 (H, ``width``, 3), and one dict per word:
        ``lang``, ``text``, ``label`` (the CLL-STR label) and ``box``
        (``[x0, y0, x1, y1]`` in pixels).
    """
    rng = np.random.default_rng(seed)
    crops = []
    for index, (lang, word) in enumerate(words):
        # the sample index varies font, colours and effects between words
        sample = WordImageSynthesizer(
            lang, words=[word], seed=seed, stream='scene',
            height=(40, 48), max_words=1).draw(index)
        crop = sample.image
        if crop.shape[1] > width - 20:
            crop = np.asarray(
                Image.fromarray(crop).resize(
                    (width - 20, crop.shape[0]), Image.BICUBIC))
        crops.append((lang, sample.text, sample.label, crop))
    placed, x, y, row_h = [], 10, 10, 0
    for lang, text, label, crop in crops:
        h, w = crop.shape[:2]
        if x + w > width - 10:
            x, y, row_h = 10, y + row_h + 12, 0
        placed.append((lang, text, label, crop, x, y))
        x, row_h = x + w + 16, max(row_h, h)
    height = y + row_h + 10
    ramp = np.linspace(200, 245, width)[None, :, None]
    scene = ramp + rng.normal(0, 4, (height, width, 3))
    words_out = []
    for lang, text, label, crop, x, y in placed:
        h, w = crop.shape[:2]
        scene[y:y + h, x:x + w] = crop
        words_out.append(
            dict(lang=lang, text=text, label=label, box=[x, y, x + w, y + h]))
    return np.clip(scene, 0, 255).astype(np.uint8), words_out


def check_ocr_result(pred: dict) -> List[str]:
    """Problems with the structure of one ``MMOCRInferencer`` result (an
    empty list when it is well formed)."""
    problems = [f'missing key {key!r}' for key in OCR_KEYS if key not in pred]
    if problems:
        return problems
    if len({len(pred[key]) for key in OCR_KEYS}) != 1:
        problems.append('det_polygons, det_scores, rec_texts and rec_scores '
                        'differ in length: ' +
                        str({key: len(pred[key]) for key in OCR_KEYS}))
    for polygon in pred['det_polygons']:
        if len(polygon) < 6 or len(polygon) % 2:
            problems.append(f'polygon of {len(polygon)} coordinates')
    if not all(isinstance(text, str) for text in pred['rec_texts']):
        problems.append('a recognised text is not a string')
    if not all(0 <= score <= 1
               for score in pred['det_scores'] + pred['rec_scores']):
        problems.append('a score outside [0, 1]')
    return problems


def read_known_boxes(inferencer: TextRecInferencer, scene: np.ndarray,
                     words: Sequence[dict]) -> List[dict]:
    """Crop each word's box from the RGB scene, read the crops, and score
    each reading against the word's label (1-NED, 0-100)."""
    crops = [
        np.ascontiguousarray(scene[y0:y1, x0:x1, ::-1])
        for x0, y0, x1, y1 in (word['box'] for word in words)
    ]
    preds = inferencer(
        crops, batch_size=len(crops), progress_bar=False)['predictions']
    metric = MultilingualRecogMetric(
        dictionary=dict(type='MultilingualDictionary'))
    return [
        dict(
            word,
            pred=pred['text'],
            score=pred['scores'],
            ned=100 * one_minus_ned(
                metric.normalize_pred(pred['text']),
                metric.normalize_gt(word['label'])))
        for word, pred in zip(words, preds)
    ]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rec', required=True, help='recogniser config')
    parser.add_argument(
        '--rec-weights', required=True, help='recogniser checkpoint')
    parser.add_argument(
        '--det',
        default=OFFLINE_DETECTOR,
        help=f'detector (default {OFFLINE_DETECTOR}, offline), as '
        'tools/infer.py takes it')
    parser.add_argument(
        '--det-weights', default=None, help='detector checkpoint')
    parser.add_argument('--out-dir', default='work_dirs/scene_check')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--device', default=None)
    parser.add_argument(
        '--min-1ned',
        type=float,
        default=None,
        help='fail when the mean 1-NED on the known boxes is below this')
    parser.add_argument(
        '--vocab-size',
        nargs='+',
        metavar='[LANG=]N',
        help="draw each script's word from its N most frequent words (as "
        'synth_text.py --vocab-size) instead of the fixed common words')
    parser.add_argument(
        '--words-per-script',
        type=int,
        default=5,
        help='words per script with --vocab-size (default 5: the mean over '
        '35 words varies less from seed to seed than over 7)')
    return parser.parse_args()


def main():
    args = parse_args()
    rec_cfg = load_model_config(args.rec, 'recogniser')
    if args.vocab_size is None:
        scene_words = tuple(SCENE_WORDS.items())
    else:
        scene_words = vocabulary_words(
            parse_vocab_sizes(args.vocab_size, LANGUAGES),
            args.words_per_script, args.seed)
    scene, words = compose_scene(scene_words, seed=args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    scene_path = osp.join(args.out_dir, 'scene.png')
    Image.fromarray(scene).save(scene_path)
    with open(osp.join(args.out_dir, 'words.json'), 'w',
              encoding='utf-8') as f:
        json.dump(words, f, ensure_ascii=False, indent=1)

    ocr = MultilingualOCRInferencer(
        det=args.det,
        det_weights=args.det_weights,
        rec=rec_cfg,
        rec_weights=args.rec_weights,
        device=args.device)
    result, = save_results(
        infer_files(ocr, [scene_path], return_vis=True), args.out_dir)
    problems = [result.error] if result.error else check_ocr_result(
        result.prediction)
    print(f'detection + recognition: '
          f'{len((result.prediction or {}).get("rec_texts", []))} regions, '
          f'structure {"OK" if not problems else problems}; '
          f'see {args.out_dir}/preds and {args.out_dir}/vis')

    readings = read_known_boxes(ocr.textrec_inferencer, scene, words)
    for reading in readings:
        print(f'{reading["lang"]}\t{reading["text"]}\tread: '
              f'{reading["pred"]}\t1-NED {reading["ned"]:.1f}')
    mean = float(np.mean([reading['ned'] for reading in readings]))
    print(f'known boxes: mean 1-NED {mean:.1f}')
    if problems:
        sys.exit('error: malformed detection + recognition result')
    if args.min_1ned is not None and mean < args.min_1ned:
        sys.exit(f'error: mean 1-NED {mean:.1f} < {args.min_1ned}')


if __name__ == '__main__':
    main()
