"""Read the word in each image of a folder with a recogniser.

    python tools/demo.py [CONFIG CHECKPOINT [INPUT]] [--out FILE]
        [--vis-dir DIR] [--batch-size N] [--device cpu]

Without CONFIG and CHECKPOINT it runs the released 7-script recogniser
(``configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7.py`` with
``checkpoints/svtr-tiny_1xb64-stream_synth7_fp16.pth``, checksum checked;
``docs/model_zoo.md``): ``tools/demo.py`` reads ``demo/``,
``tools/demo.py MY_FOLDER`` reads your images. The released config alone
also means its released weights.

INPUT is an image or a folder of word images (default: ``demo/``, seven
real MLT19 word crops, one per script). One line per image,
``path<TAB>text<TAB>lang<TAB>confidence``, is printed and written to
``--out`` as soon as its batch is read: ``lang`` is the script of the text
(ARA, BEN, CHI, HIN, JPN, KOR, LAT, or ``-`` for none; see
``cllstr_mm.utils.scripts``), the confidence the mean character score. An
image that cannot be read is reported on stderr and the others are still
read; the exit status is then 1. When the folder has a ``gt.txt``
(``name<TAB>text``), how many images are read exactly is printed last. ``--vis-dir`` also saves each image above its text (drawn per
script) as ``DIR/vis/NAME.jpg``, with the JSON results in ``DIR/preds``.

CHECKPOINT must fit the config's model: a missing, unexpected or differently
shaped key, or an original checkpoint not yet converted, is an error that
says so (exit status 1, nothing read). A CHECKPOINT ending in ``.onnx``
(tools/deployment/export_onnx.py) runs in ONNX Runtime with the config's
pre- and post-processing.
"""
import argparse
import os
import os.path as osp
import sys

import cllstr_mm  # noqa: F401  (compat layer, registration)
from cllstr_mm.apis import (MultilingualTextRecInferencer,
                            ONNXTextRecInferencer, check_weights, infer_files,
                            list_images, load_model_config,
                            resolve_recogniser, save_results)

DEMO_IMAGES = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'demo')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'config', nargs='?', help='recogniser config (default: the '
        'released model)')
    parser.add_argument(
        'checkpoint', nargs='?', help='recogniser checkpoint (default: the '
        'released weights, with the released config only)')
    parser.add_argument(
        'input', nargs='?', default=DEMO_IMAGES, help='image or folder')
    parser.add_argument(
        '--out',
        default='work_dirs/demo/results.txt',
        help='file the lines are written to')
    parser.add_argument(
        '--vis-dir', default=None, help='also save pictures and JSON here')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--device', default=None, help='e.g. cpu, cuda:0 (default: auto)')
    return parser.parse_args()


def resolve_model(args) -> None:
    """Fill in ``args.config``/``args.checkpoint``: the released pair when
    neither is given (a lone argument that is not a ``.py`` config is the
    INPUT) or when the released config comes without a checkpoint."""
    if args.checkpoint is None and args.config is not None and \
            not args.config.endswith('.py'):
        args.input, args.config = args.config, None
    args.config, args.checkpoint = resolve_recogniser(args.config,
                                                      args.checkpoint)


def ground_truth(folder: str) -> dict:
    """``{file name: text}`` of ``folder/gt.txt`` (``name<TAB>text`` lines,
    as demo/ has), or {} when there is none."""
    path = osp.join(folder, 'gt.txt')
    if not osp.isfile(path):
        return {}
    with open(path, encoding='utf-8') as f:
        return dict(
            line.rstrip('\n').split('\t', 1) for line in f if '\t' in line)


def main():
    args = parse_args()
    try:
        resolve_model(args)
        images = list_images(args.input)
        cfg = load_model_config(args.config, 'recogniser')
        onnx = args.checkpoint.endswith('.onnx')
        if not onnx:
            check_weights(cfg, args.checkpoint)
        inferencer = (ONNXTextRecInferencer if onnx else
                      MultilingualTextRecInferencer)(
                          cfg, args.checkpoint, device=args.device)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    failed = 0
    results = infer_files(
        inferencer,
        images,
        args.batch_size,
        return_vis=args.vis_dir is not None,
        progress_bar=False)
    if args.vis_dir is not None:
        results = save_results(results, args.vis_dir)
    read = {}
    with open(args.out, 'w', encoding='utf-8') as out:
        for result in results:
            if result.error:
                failed += 1
                print(f'error: {result.error}', file=sys.stderr)
                continue
            pred = result.prediction
            read[osp.basename(result.path)] = pred['text']
            line = (f'{result.path}\t{pred["text"]}\t{pred["lang"] or "-"}'
                    f'\t{pred["scores"]:.4f}')
            print(line, flush=True)
            out.write(line + '\n')
            out.flush()
    print(f'{len(images) - failed} of {len(images)} images read; lines '
          f'written to {args.out}', file=sys.stderr)
    gt = ground_truth(args.input)
    if gt:
        exact = sum(gt.get(name) == text for name, text in read.items())
        print(f'{exact} of {len(gt)} read exactly as gt.txt says',
              file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
