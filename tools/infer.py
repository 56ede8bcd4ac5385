"""Detect and read the text in an image or a folder of images: a text
detector (MMOCR's DBNet by default) and one of our recognisers, through
MMOCR's ``MMOCRInferencer``.

    python tools/infer.py INPUT [--rec CONFIG --rec-weights CKPT]
        [--det CONFIG|none] [--det-weights CKPT] [--out-dir DIR]
        [--batch-size N] [--device cpu] [--no-vis]

Without ``--rec``/``--rec-weights`` the recogniser is the released one
(``docs/model_zoo.md``, checksum checked). ``--rec-weights`` ending in
``.onnx`` (tools/deployment/export_onnx.py) runs the recogniser in ONNX
Runtime, ``--rec`` being the config it was exported from.

For each image, ``DIR/preds/NAME.json`` holds MMOCR's result
(``det_polygons``, ``det_scores``, ``rec_texts``, ``rec_scores``) and
``rec_langs``, the script of each text (ARA, BEN, CHI, HIN, JPN, KOR, LAT or
null; ``cllstr_mm.utils.scripts``), and ``DIR/vis/NAME.jpg`` the picture
(boxes, and the texts drawn per script); one line per image,
``path<TAB>texts<TAB>langs`` (JSON lists), is printed. ``--det none`` reads
each whole image as one word. An image that cannot be read or processed is
reported on stderr, the others are still processed, and the exit status is
then 1. Each PyTorch
checkpoint must fit its config's model (a misfit is an error listing the
keys).
"""
import argparse
import json
import sys

import cllstr_mm  # noqa: F401  (compat layer, registration)
from cllstr_mm.apis import (MultilingualOCRInferencer, check_weights,
                            infer_files, list_images, load_model_config,
                            resolve_recogniser, save_results)

DBNET = 'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('input', help='image or folder')
    parser.add_argument(
        '--rec', help='recogniser config (default: the released model)')
    parser.add_argument(
        '--rec-weights',
        help='recogniser checkpoint, .pth or .onnx (default: the released '
        'weights, with the released config only)')
    parser.add_argument(
        '--det',
        default=DBNET,
        help=f'detector config, or "none" (default: {DBNET})')
    parser.add_argument(
        '--det-weights',
        default=None,
        help='detector checkpoint (default: none, an untrained detector)')
    parser.add_argument('--out-dir', default='work_dirs/infer')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument(
        '--device', default=None, help='e.g. cpu, cuda:0 (default: auto)')
    parser.add_argument(
        '--no-vis', action='store_true', help='do not draw pictures')
    return parser.parse_args()


def main():
    args = parse_args()
    try:
        images = list_images(args.input)
        args.rec, args.rec_weights = resolve_recogniser(
            args.rec, args.rec_weights)
        rec_cfg = load_model_config(args.rec, 'recogniser')
        if not args.rec_weights.endswith('.onnx'):
            check_weights(rec_cfg, args.rec_weights)
        det_cfg = None if args.det == 'none' else load_model_config(
            args.det, 'detector')
        if det_cfg is not None and args.det_weights is not None:
            check_weights(det_cfg, args.det_weights)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    inferencer = MultilingualOCRInferencer(
        det=det_cfg,
        det_weights=args.det_weights,
        rec=rec_cfg,
        rec_weights=args.rec_weights,
        device=args.device)
    failed = 0
    results = infer_files(
        inferencer, images, args.batch_size, return_vis=not args.no_vis)
    for result in save_results(results, args.out_dir):
        if result.error:
            failed += 1
            print(f'error: {result.error}', file=sys.stderr)
            continue
        texts, langs = (json.dumps(result.prediction[key], ensure_ascii=False)
                        for key in ('rec_texts', 'rec_langs'))
        print(f'{result.path}\t{texts}\t{langs}', flush=True)
    print(f'{len(images) - failed} of {len(images)} images processed; '
          f'results in {args.out_dir}/preds, pictures in {args.out_dir}/vis',
          file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
