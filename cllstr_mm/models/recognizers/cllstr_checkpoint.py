# Copyright (c) cllstr_mm contributors. All rights reserved.
"""Original CLL-STR checkpoints <-> the recognizers of this package.

The original saves ``torch.nn.DataParallel(Model).state_dict()``: keys are
``module.FeatureExtraction.*``, ``module.SequenceModeling.*`` (CRNN only) and
``module.Prediction.*``, often stored as fp16. The models here are MMOCR
``EncoderDecoderRecognizer`` s: SVTR as ``encoder`` (:class:`CLLSVTREncoder`),
VGG as ``backbone`` (:class:`CLLVGG`), BiLSTMs and the classifier in the
``decoder`` (:class:`CLLCTCDecoder`).
"""
import re
from collections import OrderedDict
from typing import Dict, Mapping, Optional, Tuple

import torch
import torch.nn as nn

from cllstr_mm.utils.checkpoint import check_state_dict

__all__ = [
    'is_original_state_dict', 'detect_cllstr_model',
    'convert_cllstr_state_dict', 'convert_cllstr_checkpoint',
    'load_cllstr_checkpoint'
]

# First matching rule wins; keys are the original's without ``module.``.
_KEY_RULES: Tuple[Tuple[str, str], ...] = (
    (r'FeatureExtraction\.ConvNet\.(\d+)\.', r'backbone.layers.\1.'),
    (r'FeatureExtraction\.ConvNet\.pos_embed$', 'encoder.absolute_pos_embed'),
    (r'FeatureExtraction\.ConvNet\.patch_embed\.proj\.',
     'encoder.patch_embed.'),
    (r'FeatureExtraction\.ConvNet\.sub_sample(\d)\.',
     r'encoder.downsample\1.'),
    (r'FeatureExtraction\.ConvNet\.(linear|last_conv|norm)\.',
     r'encoder.legacy_head.\1.'),
    (r'FeatureExtraction\.ConvNet\.(blocks\d\.)', r'encoder.\1'),
    (r'SequenceModeling\.(\d+)\.linear\.', r'decoder.bilstm.\1.embedding.'),
    (r'SequenceModeling\.(\d+)\.rnn\.', r'decoder.bilstm.\1.rnn.'),
    (r'Prediction\.', 'decoder.classifier.'),
)

_MAX_LISTED = 20


def _strip_prefix(state_dict: Mapping[str, torch.Tensor],
                  prefix: str = 'module.') -> Dict[str, torch.Tensor]:
    return {
        key[len(prefix):] if key.startswith(prefix) else key: value
        for key, value in state_dict.items()
    }


def is_original_state_dict(checkpoint: object) -> bool:
    """Whether ``checkpoint`` is a state dict saved by the original code."""
    return (isinstance(checkpoint, Mapping) and len(checkpoint) > 0 and all(
        isinstance(key, str) and isinstance(value, torch.Tensor)
        for key, value in checkpoint.items()) and any(
            key.startswith('FeatureExtraction.')
            for key in _strip_prefix(checkpoint)))


def detect_cllstr_model(state_dict: Mapping[str, torch.Tensor]) -> str:
    """Tell an original SVTR checkpoint from a CRNN one by its keys.

    Args:
        state_dict (Mapping[str, Tensor]): Original state dict, with or
            without the ``module.`` prefix.

    Returns:
        str: ``'svtr'`` or ``'crnn'``.
    """
    keys = _strip_prefix(state_dict)
    if any(k.startswith('FeatureExtraction.ConvNet.blocks1.') for k in keys):
        return 'svtr'
    if 'FeatureExtraction.ConvNet.0.weight' in keys and any(
            k.startswith('SequenceModeling.') for k in keys):
        return 'crnn'
    raise ValueError(
        'Not an original CLL-STR SVTR or VGG-BiLSTM-CTC checkpoint: no '
        '"FeatureExtraction.ConvNet.blocks1.*" (SVTR) or '
        '"FeatureExtraction.ConvNet.0.weight" + "SequenceModeling.*" (CRNN) '
        f'keys. First keys: {sorted(keys)[:5]}')


def convert_cllstr_state_dict(
        state_dict: Mapping[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Map an original state dict to this package's module names, in fp32.

    Args:
        state_dict (Mapping[str, Tensor]): Original state dict, with or
            without the ``module.`` prefix, fp16 or fp32.

    Returns:
        OrderedDict[str, Tensor]: State dict for the recognizer; floating
        tensors are cast to fp32, integer ones (BN step counters) kept.
    """
    converted = OrderedDict()
    unknown = []
    for key, value in _strip_prefix(state_dict).items():
        for pattern, replacement in _KEY_RULES:
            new_key, count = re.subn('^' + pattern, replacement, key)
            if count:
                break
        else:
            unknown.append(key)
            continue
        converted[new_key] = value.float() if value.is_floating_point(
        ) else value
    if unknown:
        raise ValueError(
            f'{len(unknown)} keys of the original checkpoint have no '
            f'counterpart here: {unknown[:_MAX_LISTED]}. Only SVTR (no TPS) '
            'and VGG + BiLSTM with CTC prediction are supported.')
    return converted


def convert_cllstr_checkpoint(state_dict: Mapping[str, torch.Tensor],
                              model_type: Optional[str] = None) -> dict:
    """Convert an original state dict into an MMEngine checkpoint dict.

    Args:
        state_dict (Mapping[str, Tensor]): Original state dict.
        model_type (str, optional): ``'svtr'`` or ``'crnn'``; detected from
            the keys when None. A value that contradicts the keys is an
            error.

    Returns:
        dict: ``{'state_dict': ..., 'meta': {'cllstr_model', 'num_classes',
        'source_dtype'}}``, loadable by
        :func:`mmengine.runner.load_checkpoint`.
    """
    detected = detect_cllstr_model(state_dict)
    if model_type is not None and model_type != detected:
        raise ValueError(f'The checkpoint holds a {detected} model, but '
                         f'model_type={model_type!r} was asked for.')
    converted = convert_cllstr_state_dict(state_dict)
    float_dtypes = sorted({
        str(v.dtype).replace('torch.', '')
        for v in state_dict.values() if v.is_floating_point()
    })
    meta = dict(
        cllstr_model=detected,
        num_classes=int(converted['decoder.classifier.weight'].shape[0]),
        source_dtype=','.join(float_dtypes))
    return dict(state_dict=converted, meta=meta)


def load_cllstr_checkpoint(model: nn.Module,
                           filename: str,
                           map_location: str = 'cpu') -> dict:
    """Load an original or converted checkpoint into ``model`` strictly.

    Args:
        model (nn.Module): The recognizer.
        filename (str): An original CLL-STR state dict or an MMEngine
            checkpoint (``{'state_dict': ..., 'meta': ...}``).
        map_location (str): Where tensors are loaded. Defaults to 'cpu'.

    Returns:
        dict: The checkpoint's meta (built on the fly for an original one).

    Raises:
        CheckpointMismatchError: When keys or shapes do not fit the model.
    """
    checkpoint = torch.load(filename, map_location=map_location)
    if is_original_state_dict(checkpoint):
        checkpoint = convert_cllstr_checkpoint(checkpoint)
    elif not (isinstance(checkpoint, Mapping) and 'state_dict' in checkpoint):
        raise ValueError(
            f'{filename} is neither an original CLL-STR state dict nor an '
            'MMEngine checkpoint with a "state_dict" entry.')
    state_dict = _strip_prefix(checkpoint['state_dict'])
    check_state_dict(state_dict, model, source=str(filename))
    model.load_state_dict(state_dict, strict=True)
    return dict(checkpoint.get('meta') or {})
