"""ONNX Runtime vs PyTorch for a CTC recogniser on CPU: images/s at batch
1 and 64, and what int8 dynamic quantisation costs in accuracy.

    python benchmarks/onnx_speed.py CONFIG CHECKPOINT [--onnx FILE]
        [--no-int8] [--batch-sizes 1 64] [--iters 20] [--warmup 2]
        [--threads N] [--data data/synth_eval/evaluation] [--limit N]

The checkpoint is exported to ONNX (tools/deployment/export_onnx.py's
:func:`export_onnx`, into a temporary folder) unless ``--onnx`` gives the
export, and quantised to int8 (``quantize_int8``) unless ``--no-int8``.

Speed, on batches of the first images of ``--data``, the paths taking turns
batch by batch so that the load of a shared machine falls on all alike,
``--threads`` for torch and ONNX Runtime alike:

- ``network``: normalised images ``[N, 3, 32, 100]`` to logits: PyTorch's
  forward under ``no_grad`` vs ``InferenceSession.run``.
- ``inferencer``: BGR images to texts through the recognition inferencers
  (``MultilingualTextRecInferencer`` vs ``ONNXTextRecInferencer``): the
  config's pipeline, data preprocessor and CTC decoding around each.

Accuracy: every image of ``--data`` (``--limit N`` per script) read by each
inferencer at batch 64 and scored by MultilingualRecogMetric (1-NED and
word accuracy per script), with the readings that differ from PyTorch's.
"""
import argparse
import os.path as osp
import tempfile
import time
from typing import Dict, List

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch

from _eval_common import load_lmdb_set, score
from _speed_common import machine_description
from cllstr_mm.apis import load_model_config
from cllstr_mm.apis.onnx_recognizer import (ONNXTextRecInferencer,
                                            RecognizerLogits, export_onnx,
                                            pipeline_input_size,
                                            quantize_int8)
from cllstr_mm.apis.textrec_inferencer import MultilingualTextRecInferencer
from cllstr_mm.utils.languages import TABLE_ORDER


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='CTC recogniser config')
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('--onnx', help='its ONNX export (default: export '
                        'now, into a temporary folder)')
    parser.add_argument('--no-int8', action='store_true',
                        help='leave out the int8-quantised model')
    parser.add_argument('--batch-sizes', type=int, nargs='+',
                        default=[1, 64])
    parser.add_argument('--iters', type=int, default=20,
                        help='timed batches per batch size')
    parser.add_argument('--warmup', type=int, default=2,
                        help='untimed batches first')
    parser.add_argument('--threads', type=int,
                        default=torch.get_num_threads(),
                        help='threads of torch and ONNX Runtime')
    parser.add_argument('--data', default='data/synth_eval/evaluation',
                        help='folder of per-script LMDBs')
    parser.add_argument('--limit', type=int, default=None,
                        help='first N images per script for the accuracy')
    args = parser.parse_args(argv)
    for name in ('iters', 'threads'):
        if getattr(args, name) < 1:
            parser.error(f'--{name} must be at least 1')
    if min(args.batch_sizes) < 1 or args.warmup < 0:
        parser.error('batch sizes must be >= 1 and --warmup >= 0')
    return args


def time_turns(paths: Dict, batches: List, warmup: int) -> Dict[str, float]:
    """images/s of each ``paths[name](batch)``, taking turns per batch;
    the first ``warmup`` batches are not timed."""
    seconds = dict.fromkeys(paths, 0.0)
    images = 0
    for i, batch in enumerate(batches):
        for name, path in paths.items():
            start = time.perf_counter()
            path(batch)
            if i >= warmup:
                seconds[name] += time.perf_counter() - start
        if i >= warmup:
            images += len(batch)
    return {name: images / s for name, s in seconds.items()}


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    cfg = load_model_config(args.config, 'recogniser')
    samples = load_lmdb_set(args.data, args.limit)
    pytorch = MultilingualTextRecInferencer(
        cfg, args.checkpoint, device='cpu')
    with tempfile.TemporaryDirectory() as tmp:
        onnx_file = args.onnx
        if onnx_file is None:
            onnx_file = osp.join(tmp, 'model.onnx')
            export_onnx(pytorch.model, onnx_file, pipeline_input_size(cfg))
        inferencers = {
            'pytorch': pytorch,
            'onnx': ONNXTextRecInferencer(
                cfg, onnx_file, num_threads=args.threads)
        }
        if not args.no_int8:
            int8_file = osp.join(tmp, 'model_int8.onnx')
            quantize_int8(onnx_file, int8_file)
            inferencers['onnx-int8'] = ONNXTextRecInferencer(
                cfg, int8_file, num_threads=args.threads)
        print(f'machine: {machine_description()}; {args.threads} threads '
              'for torch and ONNX Runtime\n')
        report_speed(args, inferencers, [s.image for s in samples])
        report_accuracy(inferencers, samples)


def report_speed(args, inferencers, images):
    net = RecognizerLogits(inferencers['pytorch'].model).eval()

    def torch_logits(inputs):
        with torch.no_grad():
            return net(inputs)

    print('| path | batch | ' + ' | '.join(f'{name} (images/s)'
                                          for name in inferencers) + ' |')
    print('|' + ' --- |' * (2 + len(inferencers)))
    for batch_size in args.batch_sizes:
        count = args.warmup + args.iters
        chunks = [[images[(i * batch_size + j) % len(images)]
                   for j in range(batch_size)] for i in range(count)]
        # the network's input: the PyTorch inferencer's pipeline and data
        # preprocessor, once per batch, outside the timing
        pytorch = inferencers['pytorch']
        tensors = [
            pytorch.model.data_preprocessor(
                next(pytorch.preprocess(chunk, batch_size=batch_size))[1],
                False)['inputs'] for chunk in chunks
        ]
        network = {'pytorch': torch_logits}
        network.update({
            name: inferencer.model.logits
            for name, inferencer in inferencers.items() if name != 'pytorch'
        })
        speeds = time_turns(network, tensors, args.warmup)
        print(f'| network | {batch_size} | ' +
              ' | '.join(f'{speeds[name]:.1f}' for name in inferencers) +
              ' |')
        full = {
            name: (lambda batch, inf=inferencer: inf(
                batch, batch_size=len(batch), progress_bar=False))
            for name, inferencer in inferencers.items()
        }
        speeds = time_turns(full, chunks, args.warmup)
        print(f'| inferencer | {batch_size} | ' +
              ' | '.join(f'{speeds[name]:.1f}' for name in inferencers) +
              ' |')
    print()


def report_accuracy(inferencers, samples):
    texts = {
        name: [
            p['text'] for p in inferencer([s.image for s in samples],
                                          batch_size=64,
                                          progress_bar=False)['predictions']
        ]
        for name, inferencer in inferencers.items()
    }
    scores = {name: score(samples, readings)
              for name, readings in texts.items()}
    langs = [lang for lang in TABLE_ORDER if f'{lang}/1-NED' in
             scores['pytorch']]
    print(f'1-NED / word accuracy (%) on {len(samples)} images')
    print('| model | ' + ' | '.join(langs) + ' | all | readings unlike '
          'PyTorch\'s |')
    print('|' + ' --- |' * (len(langs) + 3))
    for name, figures in scores.items():
        differ = sum(a != b for a, b in zip(texts[name], texts['pytorch']))
        cells = [f'{figures[f"{lang}/1-NED"]:.2f} / '
                 f'{figures[f"{lang}/word_acc"]:.1f}' for lang in langs]
        cells.append(f'{figures["1-NED"]:.2f} / {figures["word_acc"]:.1f}')
        print(f'| {name} | ' + ' | '.join(cells) + f' | {differ} |')
    if 'onnx-int8' in scores:
        cost = ', '.join(
            f'{lang} {scores["onnx-int8"][f"{lang}/1-NED"] - scores["onnx"][f"{lang}/1-NED"]:+.2f}'  # noqa: E501
            for lang in langs)
        print(f'\nint8 - fp32 ONNX, 1-NED points: {cost}; all '
              f'{scores["onnx-int8"]["1-NED"] - scores["onnx"]["1-NED"]:+.2f}')


if __name__ == '__main__':
    main()
