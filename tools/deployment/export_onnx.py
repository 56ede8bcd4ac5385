"""Export a CTC recogniser (SVTR-Tiny, CRNN) to ONNX with a dynamic batch
size, and check that ONNX Runtime gives the PyTorch logits.

    python tools/deployment/export_onnx.py CONFIG CHECKPOINT OUT.onnx
        [--int8 OUT_INT8.onnx] [--opset N] [--atol 1e-4]

The file holds the network from normalised images ``[N, 3, 32, 100]`` to
logits ``[N, T, C]``; run it with ``cllstr_mm.apis.ONNXTextRecInferencer``
(or ``tools/demo.py CONFIG OUT.onnx``), which applies the config's own
pre- and post-processing. ``--int8`` also writes ONNX Runtime's dynamic int8
quantisation of it. Needs ``pip install .[onnx]``.
"""
import argparse
import sys

import cllstr_mm  # noqa: F401  (compat layer, registration)
import numpy as np
import torch
from cllstr_mm.apis import load_model_config
from cllstr_mm.apis.onnx_recognizer import (ONNXRecognizer,
                                            RecognizerLogits, export_onnx,
                                            pipeline_input_size,
                                            quantize_int8)
from mmengine.runner import load_checkpoint
from mmocr.models.textrecog.postprocessors import CTCPostProcessor
from mmocr.registry import MODELS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='recogniser config (CTC)')
    parser.add_argument('checkpoint', help='its checkpoint (.pth)')
    parser.add_argument('out', help='ONNX file to write')
    parser.add_argument('--int8', default=None, metavar='FILE',
                        help='also write the int8-quantised model here')
    parser.add_argument('--opset', type=int, default=None,
                        help="ONNX opset (default: the exporter's)")
    parser.add_argument(
        '--atol', type=float, default=1e-4,
        help='largest logit difference to PyTorch accepted (default 1e-4)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        cfg = load_model_config(args.config, 'recogniser')
        size = pipeline_input_size(cfg)
    except ValueError as error:
        sys.exit(f'error: {error}')
    post = MODELS.get(
        cfg.model.decoder.get('postprocessor', {}).get('type', ''))
    # CTCPostProcessor or a CTC decoding built on it (the release's
    # ExclusiveScriptCTCPostProcessor): the graph ends at the softmax
    if post is None or not issubclass(post, CTCPostProcessor):
        sys.exit(f'error: {args.config} is not a CTC recogniser; the ONNX '
                 'path exports SVTR-Tiny and CRNN configs')
    model = MODELS.build(cfg.model)
    load_checkpoint(model, args.checkpoint, map_location='cpu', strict=True)
    model.eval()
    export_onnx(model, args.out, size, args.opset)

    # Check at a batch size other than the export's.
    inputs = torch.rand(3, 3, *size) * 2 - 1
    with torch.no_grad():
        expected = RecognizerLogits(model)(inputs).numpy()
    onnx_model = ONNXRecognizer(args.out, cfg.model.data_preprocessor,
                                cfg.model.decoder)
    diff = float(np.abs(onnx_model.logits(inputs) - expected).max())
    print(f'{args.out}: {cfg.model.type}, input [N, 3, {size[0]}, '
          f'{size[1]}] -> logits {list(expected.shape[1:])}; max abs logit '
          f'difference to PyTorch {diff:.2e}')
    if diff > args.atol:
        sys.exit(f'error: ONNX Runtime differs from PyTorch by {diff:.2e} '
                 f'(> --atol {args.atol})')
    if args.int8:
        quantize_int8(args.out, args.int8)
        int8 = ONNXRecognizer(args.int8, cfg.model.data_preprocessor,
                              cfg.model.decoder)
        diff = float(np.abs(int8.logits(inputs) - expected).max())
        print(f'{args.int8}: int8 dynamic quantisation; max abs logit '
              f'difference to PyTorch {diff:.2e} (see '
              'benchmarks/onnx_speed.py for its accuracy)')


if __name__ == '__main__':
    main()
