"""Give a recogniser's classifier the classes of a larger dictionary.

Each class of the old dictionary keeps its trained row, found by its token
(so the new dictionary may order tokens differently; every old token must
be in it). A new class gets the mean of the old token rows plus a little
noise, and the lowest old token bias, so that it starts rare: the grown
model reads what the old one read until training teaches it the new
classes. With ``--img-size H W`` the encoder's position embedding is also
interpolated to the token grid of a wider input (SVTR: H/4 x W/4), so the
grown model takes e.g. 32x128 crops. Then ``load_from`` the output in a
config with the new dictionary::

    python tools/model_converters/grow_classifier.py \\
        checkpoints/svtr-tiny_1xb64-stream_synth7_fp16.pth \\
        work_dirs/release2/svtr-tiny_grown_release2.pth \\
        --new-dict cllstr_mm/dicts/release2_charset.txt \\
        --config \
        configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7-release2.py
"""
import argparse
import os.path as osp
from typing import Dict, Sequence

import torch

import cllstr_mm  # noqa: F401  (compat layer + registration)
from cllstr_mm.models.common.dictionary import (MLT19_CHARSET,
                                                MultilingualDictionary)
from cllstr_mm.utils.checkpoint import check_state_dict, save_atomic

#: Spread of a new row's noise, relative to the old rows' spread.
NOISE_SCALE = 0.1


def grow_classifier(state_dict: Dict[str, torch.Tensor],
                    old_classes: Sequence[str],
                    new_classes: Sequence[str],
                    key: str = 'decoder.classifier',
                    num_special: int = 4,
                    seed: int = 0) -> Dict[str, torch.Tensor]:
    """A copy of ``state_dict`` whose ``key`` Linear has a row per class of
    ``new_classes``.

    Args:
        state_dict: Weights with ``{key}.weight`` of shape
            ``(len(old_classes), C)`` and ``{key}.bias`` of shape
            ``(len(old_classes), )``.
        old_classes: The classes the rows stand for (a dictionary's
            ``dict``: special tokens, then the charset).
        new_classes: The classes of the grown classifier; every old class
            must be among them.
        key: The classifier's name in ``state_dict``.
        num_special: Leading classes that are not tokens (CTC: blank,
            [PAD], [UNK], space), left out of the mean a new row starts
            from.
        seed: Seeds the new rows' noise.

    Returns:
        dict: The weights, the classifier's of shape
        ``(len(new_classes), C)`` and ``(len(new_classes), )`` in the
        source's dtype; the other tensors shared with ``state_dict``.

    Raises:
        KeyError: The classifier is missing.
        ValueError: Its rows do not match ``old_classes``, or old classes
            are missing from ``new_classes``.
    """
    weight_key, bias_key = f'{key}.weight', f'{key}.bias'
    if weight_key not in state_dict or bias_key not in state_dict:
        raise KeyError(f'no {weight_key}/{bias_key} in the checkpoint; pass '
                       'the classifier\'s name (--key)')
    weight, bias = state_dict[weight_key], state_dict[bias_key]
    if weight.shape[0] != len(old_classes):
        raise ValueError(
            f'{weight_key} has {weight.shape[0]} rows but the old dictionary '
            f'{len(old_classes)} classes: pass the dictionary the checkpoint '
            'was trained with (--old-dict)')
    new_index = {token: i for i, token in enumerate(new_classes)}
    missing = [token for token in old_classes if token not in new_index]
    if missing:
        raise ValueError(
            f'{len(missing)} classes of the old dictionary are not in the '
            f'new one (first: {missing[:10]}); the new dictionary must '
            'keep every old token')
    old_weight, old_bias = weight.float(), bias.float()
    tokens = old_weight[num_special:]
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn((len(new_classes), weight.shape[1]),
                        generator=generator)
    new_weight = tokens.mean(0) + noise * tokens.std() * NOISE_SCALE
    new_bias = torch.full((len(new_classes), ), float(old_bias[
        num_special:].min()))
    rows = torch.tensor([new_index[token] for token in old_classes])
    new_weight[rows] = old_weight
    new_bias[rows] = old_bias
    grown = dict(state_dict)
    grown[weight_key] = new_weight.to(weight.dtype)
    grown[bias_key] = new_bias.to(bias.dtype)
    return grown


def resize_position_embedding(state_dict: Dict[str, torch.Tensor],
                              grid: Sequence[int],
                              key: str = 'encoder.absolute_pos_embed'
                              ) -> Dict[str, torch.Tensor]:
    """A copy of ``state_dict`` whose ``key`` ``(1, h * w, C)`` position
    embedding is bicubically interpolated to ``grid`` = ``(h, W)`` tokens:
    only the width changes (SVTR's input height stays 32).

    Raises:
        KeyError: There is no ``key``.
        ValueError: Its length is not a multiple of ``grid[0]``.
    """
    if key not in state_dict:
        raise KeyError(f'no {key} in the checkpoint')
    embed = state_dict[key]
    height, width = grid
    if embed.ndim != 3 or embed.shape[1] % height:
        raise ValueError(f'{key} has shape {tuple(embed.shape)}, not '
                         f'(1, {height} * w, C)')
    old = embed.float().reshape(1, height, -1, embed.shape[2])
    new = torch.nn.functional.interpolate(
        old.permute(0, 3, 1, 2), size=(height, width), mode='bicubic',
        align_corners=False).permute(0, 2, 3, 1)
    resized = dict(state_dict)
    resized[key] = new.reshape(1, height * width, -1).to(embed.dtype)
    return resized


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('checkpoint', help='checkpoint to grow (.pth)')
    parser.add_argument('out', help='grown checkpoint to write (.pth)')
    parser.add_argument('--new-dict', required=True,
                        help='charset file of the grown classifier')
    parser.add_argument('--old-dict', default=MLT19_CHARSET,
                        help='charset the checkpoint was trained with '
                        '(default: MLT19)')
    parser.add_argument('--key', default='decoder.classifier',
                        help='the classifier Linear in the state dict')
    parser.add_argument('--config',
                        help='check that the output fits this config\'s '
                        'model exactly')
    parser.add_argument('--seed', type=int, default=0,
                        help='seeds the new rows\' noise')
    parser.add_argument('--img-size', type=int, nargs=2, metavar=('H', 'W'),
                        help='also interpolate the position embedding to '
                        'this input size (SVTR: a token per 4x4 pixels)')
    args = parser.parse_args(argv)
    for name in ('checkpoint', 'new_dict', 'old_dict', 'config'):
        path = getattr(args, name)
        if path is not None and not osp.isfile(path):
            parser.error(f'{name.replace("_", "-")} {path} does not exist')
    return args


def main(argv=None):
    args = parse_args(argv)
    checkpoint = torch.load(args.checkpoint, map_location='cpu',
                            weights_only=True)
    if 'state_dict' not in checkpoint:
        raise SystemExit(f'{args.checkpoint} has no state_dict; is it an '
                         'MMEngine checkpoint or a release of this project?')
    old = MultilingualDictionary(dict_file=args.old_dict)
    new = MultilingualDictionary(dict_file=args.new_dict)
    try:
        state = grow_classifier(checkpoint['state_dict'], old.dict, new.dict,
                                key=args.key, seed=args.seed)
        if args.img_size:
            state = resize_position_embedding(
                state, (args.img_size[0] // 4, args.img_size[1] // 4))
    except (KeyError, ValueError) as error:
        raise SystemExit(f'{args.checkpoint}: {error}') from None
    if args.config:
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        from mmocr.registry import MODELS
        init_default_scope('mmocr')
        model = MODELS.build(Config.fromfile(args.config).model)
        check_state_dict(state, model, source=args.out,
                         target=f'the model of {args.config}')
    meta = dict(checkpoint.get('meta', {}), grown_from=args.checkpoint,
                dict_file=args.new_dict)
    save_atomic(dict(meta=meta, state_dict=state), args.out)
    print(f'{args.out}: {args.key} grown from {old.num_classes} to '
          f'{new.num_classes} classes ({new.num_classes - old.num_classes} '
          'new rows)')


if __name__ == '__main__':
    main()
