"""Convert MAE/MAERec and original LMIM checkpoints into MMEngine ones.

    python tools/model_converters/lmim_to_mmocr.py SRC DST \
        [--format auto|mae|lmim-pretrain|lmim-finetune] \
        [--config CONFIG [--cfg-options k=v ...]] [--encoder-only] \
        [--unsafe-load]

Formats (detected from the keys when ``--format`` is omitted):

- ``mae``: MAE/MAERec pretraining, ``{'model': {patch_embed.proj.*,
  cls_token, pos_embed, blocks.N.*, norm.*, decoder_*, mask_token}}`` ->
  ``MAEPretrainer`` (``encoder.*`` + the same decoder names).
- ``lmim-pretrain``: LMIM pretraining, ``{'model': {model_maeenc.*,
  model_maeenc_momentum.*, decoder_embed, decoder_embed2, decoder_blocks.N,
  ...}}`` -> ``LMIMPretrainer`` (student ``encoder.*``, teacher
  ``teacher.*``, ``decoder_embed2`` -> ``guidance_embed``).
- ``lmim-finetune``: LMIM fine-tuning with its ``tf_decoder``
  (``encoder.*`` or ``model_maeenc.*``, ``linear_norm.{0,1}``,
  ``decoder.*``) -> ``NRTR`` with ``ViTEncoder(out_dims=512)``:
  ``linear_norm`` -> ``encoder.out_proj``/``encoder.out_norm``; the decoder
  has MMOCR ``NRTRDecoder``'s names already. Its word embedding has one
  extra row, the BOS token; MMOCR shares BOS with EOS (class 94 of 97), so
  that row becomes row 94 (EOS is never fed to the decoder before the end).
  Classes keep their order: ``string.printable[:94]``, EOS, PAD, UNK, as in
  ``cllstr_mm/dicts/english_printable94.txt``. The top-level aliases the
  original ``RecModel`` saves (``pos_embed``, ``patch_embed.proj.*``) must
  equal the encoder's tensors and are dropped; any key of no known part is
  an error. ``--encoder-only`` drops the decoder (e.g. a decoder type NRTR
  does not have).

Before writing, the converted weights are checked key by key and shape by
shape against the model of CONFIG (by default the ViT-Small config of the
format; ``--cfg-options model.encoder.depth=N ...`` for other sizes), and
the fixed position tables value by value (a table of another
``pos_embed_grid`` layout than the config's is refused); any mismatch is
listed and nothing is written. DST is
``{'state_dict': ..., 'meta': ...}``, written atomically; use it with
``load_from=DST``, ``teacher_checkpoint=DST`` or
``ViTEncoder(init_cfg=dict(type='Pretrained', checkpoint=DST))``.

The original checkpoints also pickle their ``argparse`` namespace (allowed)
and may hold other objects; ``--unsafe-load`` loads SRC with
``weights_only=False``; use it only for files you trust.
"""
import argparse
import os.path as osp
from collections import OrderedDict
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

from cllstr_mm.models.encoders.vit_encoder import (VIT_PROBE_KEY,
                                                   checkpoint_state_dict,
                                                   extract_vit_state_dict,
                                                   load_checkpoint_file)
from cllstr_mm.utils.checkpoint import (CheckpointMismatchError,
                                        check_state_dict, save_atomic)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONFIGS = {
    'mae': REPO / 'configs/lmim/mae_vit-small_8xb64-20e_mlt19.py',
    'lmim-pretrain': REPO / 'configs/lmim/lmim_vit-small_8xb64-10e_mlt19.py',
    'lmim-finetune':
    REPO / 'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_union14m-l.py',
}
TENSOR = Dict[str, torch.Tensor]


def detect_format(state_dict: TENSOR) -> str:
    """``'mae'``, ``'lmim-pretrain'`` or ``'lmim-finetune'`` from the keys."""
    if 'model_maeenc_momentum.' + VIT_PROBE_KEY in state_dict:
        return 'lmim-pretrain'
    if any(k.startswith(('decoder.', 'linear_norm.')) for k in state_dict):
        return 'lmim-finetune'
    if VIT_PROBE_KEY in state_dict:
        return 'mae'
    raise KeyError(
        'Cannot tell the checkpoint format from its keys (first: '
        f'{sorted(state_dict)[:8]}); expected MAE (patch_embed.*), LMIM '
        'pretraining (model_maeenc.*, model_maeenc_momentum.*) or LMIM '
        'fine-tuning (encoder.*, linear_norm.*, decoder.*); pass --format')


def _prefixed(prefix: str, weights: TENSOR) -> TENSOR:
    return OrderedDict((prefix + k, v) for k, v in weights.items())


def convert_mae(state_dict: TENSOR) -> TENSOR:
    """MAE/MAERec -> ``MAEPretrainer``."""
    out = _prefixed('encoder.', extract_vit_state_dict(state_dict, ''))
    for key, value in state_dict.items():
        if key.startswith('decoder') or key == 'mask_token':
            out[key] = value
    return out


def convert_lmim_pretrain(state_dict: TENSOR) -> TENSOR:
    """Original LMIM pretraining -> ``LMIMPretrainer``."""
    out = _prefixed('encoder.',
                    extract_vit_state_dict(state_dict, 'model_maeenc.'))
    out.update(
        _prefixed('teacher.',
                  extract_vit_state_dict(state_dict,
                                         'model_maeenc_momentum.')))
    for key, value in state_dict.items():
        if key.startswith('model_maeenc'):
            continue
        if key.startswith('decoder_embed2.'):
            key = 'guidance_embed.' + key[len('decoder_embed2.'):]
        out[key] = value
    return out


#: Top-level keys of the original ``RecModel`` that alias encoder tensors
#: (``self.patch_embed = encoder.patch_embed``, ``self.pos_embed = ...``).
FINETUNE_ALIASES = ('pos_embed', 'patch_embed.proj.weight',
                    'patch_embed.proj.bias')


def convert_lmim_finetune(state_dict: TENSOR,
                          encoder_only: bool = False) -> TENSOR:
    """Original LMIM fine-tuning (``tf_decoder``) -> ``NRTR``.

    Every key of ``state_dict`` is accounted for: encoder (``encoder.*`` or
    ``model_maeenc.*``), ``linear_norm.*``, ``decoder.*``, or one of
    :data:`FINETUNE_ALIASES`, which must equal the encoder tensor it
    aliases; any other key is an error.
    """
    prefix = next((p for p in ('encoder.', 'model_maeenc.')
                   if p + VIT_PROBE_KEY in state_dict), None)
    if prefix is None:
        raise CheckpointMismatchError(
            'no encoder in the fine-tuning checkpoint: expected encoder.'
            f'{VIT_PROBE_KEY} or model_maeenc.{VIT_PROBE_KEY}')
    encoder = extract_vit_state_dict(state_dict, prefix)
    used = {prefix + k for k in encoder}
    for alias in FINETUNE_ALIASES:
        if alias in state_dict:
            if alias not in encoder or not torch.equal(
                    state_dict[alias], encoder[alias]):
                raise CheckpointMismatchError(
                    f'{alias} differs from {prefix}{alias}; in the original '
                    'RecModel the two are one tensor')
            used.add(alias)
    out = _prefixed('encoder.', encoder)
    for src, dst in (('linear_norm.0.', 'encoder.out_proj.'),
                     ('linear_norm.1.', 'encoder.out_norm.'),
                     ('decoder.', 'decoder.')):
        for key, value in state_dict.items():
            if key.startswith(src):
                used.add(key)
                if not (encoder_only and src == 'decoder.'):
                    out[dst + key[len(src):]] = value
    unknown = sorted(set(state_dict) - used)
    if unknown:
        raise CheckpointMismatchError(
            'keys of no known part of the original tf_decoder recogniser '
            f'(encoder, linear_norm, decoder, aliases): {unknown}')
    if encoder_only:
        return out
    emb_key, cls_key = 'decoder.trg_word_emb.weight', \
        'decoder.classifier.weight'
    if emb_key in out and cls_key in out:
        emb, num_classes = out[emb_key], out[cls_key].shape[0]
        if emb.shape[0] != num_classes + 1:
            raise CheckpointMismatchError(
                f'{emb_key} has {emb.shape[0]} rows and {cls_key} '
                f'{num_classes} classes; the original tf_decoder has one '
                'more embedding row (BOS) than classes')
        # classes: chars, EOS, PAD, UNK; BOS is the extra last row
        emb = emb[:num_classes].clone()
        emb[num_classes - 3] = out[emb_key][num_classes]
        out[emb_key] = emb
    return out


def check_against_model(weights: TENSOR, model: torch.nn.Module,
                        optional_prefixes: Sequence[str] = ()) -> None:
    """Raise :class:`CheckpointMismatchError` listing every key that is
    missing, unexpected or of the wrong shape (keys under
    ``optional_prefixes`` may be missing)."""
    own = model.state_dict()
    absent = [
        prefix + '*' for prefix in optional_prefixes
        if not any(k.startswith(prefix) for k in weights)
    ]
    try:
        check_state_dict(weights, own, source='The converted checkpoint',
                         target='the model of the config', exclude=absent)
    except CheckpointMismatchError as error:
        raise CheckpointMismatchError(
            f'{error}\nPass --config (and --cfg-options) describing the '
            'model the checkpoint was trained with.') from None


#: Computed, never trained tables: a checkpoint must hold the model's own
#: values, or it was made with another position layout.
FIXED_TABLES = ('pos_embed', 'decoder_pos_embed', 'position_table')


def check_fixed_tables(weights: TENSOR, model: torch.nn.Module) -> None:
    """Raise :class:`CheckpointMismatchError` naming every fixed table
    (:data:`FIXED_TABLES`) whose values differ from the model's (up to
    fp16 rounding)."""
    own = model.state_dict()
    differ = [
        k for k, v in sorted(weights.items())
        if k.rsplit('.', 1)[-1] in FIXED_TABLES and k in own
        and not torch.allclose(v.float(), own[k].float(), atol=1e-3)
    ]
    if differ:
        raise CheckpointMismatchError(
            f'The converted checkpoint\'s fixed position tables {differ} '
            'differ from those of the model of the config: it was made with '
            'another layout. Set model.encoder.pos_embed_grid (\'square\', '
            'the original\'s 16x16 code, or \'patches\') with '
            '--cfg-options.')


def build_model(config: str, cfg_options: Optional[dict]) -> torch.nn.Module:
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return MODELS.build(cfg.model)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert MAE/MAERec/LMIM checkpoints for cllstr_mm')
    parser.add_argument('src', help='original checkpoint')
    parser.add_argument('dst', help='output MMEngine checkpoint')
    parser.add_argument(
        '--format',
        choices=['auto', 'mae', 'lmim-pretrain', 'lmim-finetune'],
        default='auto',
        help='format of SRC (default: detected from its keys)')
    parser.add_argument(
        '--config',
        help='config whose model the weights must fit (default: the '
        'ViT-Small config of the format)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of --config, e.g. '
        'model.decoder.dictionary.dict_file=...')
    parser.add_argument(
        '--encoder-only',
        action='store_true',
        help='lmim-finetune: keep only the encoder (and its projection)')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='load SRC with weights_only=False (trusted files only)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    if args.unsafe_load:
        checkpoint = torch.load(
            args.src, map_location='cpu', weights_only=False)
    else:
        checkpoint = load_checkpoint_file(args.src)
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint and \
            'meta' in checkpoint:
        raise ValueError(f'{args.src} is already an MMEngine checkpoint; '
                         'use it as it is')
    state_dict = checkpoint_state_dict(checkpoint)
    fmt = detect_format(state_dict) if args.format == 'auto' else \
        args.format
    if fmt == 'mae':
        weights = convert_mae(state_dict)
    elif fmt == 'lmim-pretrain':
        weights = convert_lmim_pretrain(state_dict)
    else:
        weights = convert_lmim_finetune(state_dict, args.encoder_only)
    weights = OrderedDict((k, v.float() if v.is_floating_point() else v)
                          for k, v in weights.items())

    config = args.config or str(DEFAULT_CONFIGS[fmt])
    optional = ('decoder.', ) if args.encoder_only else ()
    model = build_model(config, args.cfg_options)
    check_against_model(weights, model, optional)
    check_fixed_tables(weights, model)
    save_atomic(
        dict(
            state_dict=weights,
            meta=dict(converted_from=osp.abspath(args.src), format=fmt,
                      config=config)), args.dst)
    print(f'{args.src} ({fmt}, {len(weights)} tensors) -> {args.dst}')


if __name__ == '__main__':
    main()
