"""Convert an original CLL-STR checkpoint into an MMEngine checkpoint.

    python tools/model_converters/cllstr_to_mmocr.py SRC DST \
        [--model svtr|crnn] [--config CONFIG]

SRC is the state dict the original ``train.py`` saves (``module.``-prefixed
keys, fp16 or fp32). DST gets ``{'state_dict': ..., 'meta': ...}`` in fp32
with this package's module names; load it with ``load_from=DST`` or
``mmengine.runner.load_checkpoint``. Before writing, the converted weights
are checked key by key and shape by shape against the model built from
CONFIG (by default ``configs/textrecog/cllstr/_base_{svtr-tiny,crnn}.py``,
4,680 classes); a mismatch is reported and nothing is written.
"""
import argparse
import os.path as osp
from pathlib import Path

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

from cllstr_mm.models.recognizers import (convert_cllstr_checkpoint,
                                          detect_cllstr_model,
                                          is_original_state_dict)
from cllstr_mm.utils.checkpoint import (CheckpointMismatchError,
                                        check_state_dict, save_atomic)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONFIGS = dict(
    svtr=REPO / 'configs/textrecog/cllstr/_base_svtr-tiny.py',
    crnn=REPO / 'configs/textrecog/cllstr/_base_crnn.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert an original CLL-STR checkpoint for cllstr_mm')
    parser.add_argument('src', help='original checkpoint (state dict)')
    parser.add_argument('dst', help='output MMEngine checkpoint')
    parser.add_argument(
        '--model',
        choices=['svtr', 'crnn'],
        help='model in SRC; detected from its keys when omitted')
    parser.add_argument(
        '--config',
        help='config whose model the weights must fit (default: the '
        'packaged _base_ config of the model)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    source = torch.load(args.src, map_location='cpu')
    if not is_original_state_dict(source):
        raise SystemExit(
            f'{args.src} is not an original CLL-STR state dict (a flat dict '
            'of tensors with "[module.]FeatureExtraction.*" keys).')
    try:
        model_type = args.model or detect_cllstr_model(source)
        checkpoint = convert_cllstr_checkpoint(source, model_type)
    except ValueError as err:
        raise SystemExit(f'{args.src}: {err}')

    config = args.config or str(DEFAULT_CONFIGS[model_type])
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model = MODELS.build(cfg.model)
    try:
        check_state_dict(checkpoint['state_dict'], model, source=args.src)
    except CheckpointMismatchError as err:
        raise SystemExit(f'{err}\n(checked against the model of {config})')

    checkpoint['meta'].update(
        source=osp.basename(args.src), config=osp.basename(config))
    save_atomic(checkpoint, args.dst)
    meta = checkpoint['meta']
    print(f'{args.src} -> {args.dst}: {meta["cllstr_model"]}, '
          f'{meta["num_classes"]} classes, '
          f'{len(checkpoint["state_dict"])} tensors')


if __name__ == '__main__':
    main()
