"""LMIM's guidance view: the same word, rendered very differently."""
import warnings
from typing import Dict, Optional, Tuple

import imgaug.augmenters as iaa
import numpy as np
import torch
import torchvision.transforms as T
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image


def _appearance_ops() -> Dict[str, iaa.Augmenter]:
    """The original's pool of appearance changes, with its parameters."""
    return {
        'contrast':
        iaa.LinearContrast((0.5, 1.0)),
        'blur':
        iaa.GaussianBlur((0.5, 1.5)),
        'crop_top_bottom':
        iaa.Crop(percent=((0, 0.1), 0, (0, 0.1), 0), keep_size=True),
        'crop_left_right':
        iaa.Crop(percent=(0, (0, 0.02), 0, (0, 0.02)), keep_size=True),
        'sharpen':
        iaa.Sharpen(alpha=(0.0, 0.5), lightness=(0.0, 0.5)),
        'rotate':
        iaa.Rotate((-15, 15), fit_output=True),
        'piecewise_affine':
        iaa.PiecewiseAffine(scale=(0.03, 0.05), mode='edge'),
        'perspective':
        iaa.PerspectiveTransform(scale=(0.02, 0.06)),
        'solarize':
        iaa.Solarize(
            1, threshold=(32, 128), invert_above_threshold=0.5,
            per_channel=False),
        'grayscale':
        iaa.Grayscale(alpha=(0.0, 1.0)),
    }


@TRANSFORMS.register_module()
class GuidanceView(BaseTransform):
    """Add LMIM's guidance view of ``img`` as ``guidance_img``.

    From the full-size image: between ``min_ops`` and ``max_ops`` of the
    ten appearance changes of the original (contrast, blur, two crops,
    sharpen, rotation +-15 degrees, piecewise affine, perspective, solarize,
    grayscale), chosen at random and applied in random order; then a
    bicubic resize to ``scale``, colour jitter with probability
    ``jitter_prob`` and random grayscale with probability ``gray_prob``.
    ``img`` itself is not changed (resize it for the clean view with
    ``Resize`` after this transform).

    The original draws the ops with imgaug's ``SomeOf``, which fails on
    NumPy >= 1.24 (``np.bool``); the ops are imgaug's own, drawn here with
    NumPy's global RNG, which MMEngine seeds per dataloader worker (imgaug's
    RNG is not, so every worker would repeat the same changes).

    Required keys: ``img`` (BGR ``uint8``, ``H x W x 3``).
    Added keys: ``guidance_img`` (BGR ``uint8``, ``scale[1] x scale[0] x 3``).

    Args:
        scale (tuple[int, int]): Output ``(width, height)``.
            Defaults to (128, 32).
        min_ops (int): Fewest appearance changes. Defaults to 3.
        max_ops (int, optional): Most appearance changes; None means all
            ten. Defaults to None.
        color_jitter (dict): ``torchvision.transforms.ColorJitter`` args.
            Defaults to brightness 0.4, contrast 0.4, saturation 0.2, hue 0.1.
        jitter_prob (float): Defaults to 0.8.
        gray_prob (float): Defaults to 0.2.
    """

    def __init__(self,
                 scale: Tuple[int, int] = (128, 32),
                 min_ops: int = 3,
                 max_ops: Optional[int] = None,
                 color_jitter: dict = dict(
                     brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1),
                 jitter_prob: float = 0.8,
                 gray_prob: float = 0.2) -> None:
        self.ops = _appearance_ops()
        max_ops = len(self.ops) if max_ops is None else max_ops
        if not 0 <= min_ops <= max_ops <= len(self.ops):
            raise ValueError(
                f'GuidanceView needs 0 <= min_ops <= max_ops <= '
                f'{len(self.ops)}, got min_ops={min_ops}, max_ops={max_ops}')
        self.scale = tuple(scale)
        self.min_ops = min_ops
        self.max_ops = max_ops
        self.color_jitter = T.ColorJitter(**color_jitter)
        self.jitter_prob = jitter_prob
        self.gray = T.RandomGrayscale(p=gray_prob)

    def transform(self, results: dict) -> dict:
        img = results['img']
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(
                'GuidanceView needs a 3-channel image; load images with '
                f'color_type="color" (got shape {img.shape})')
        rgb = np.ascontiguousarray(img[..., ::-1])
        num_ops = np.random.randint(self.min_ops, self.max_ops + 1)
        names = list(self.ops)
        with warnings.catch_warnings():
            # scikit-image deprecations raised inside imgaug's affine ops
            warnings.simplefilter('ignore', FutureWarning)
            for i in np.random.permutation(len(names))[:num_ops]:
                op = self.ops[names[i]]
                op.seed_(int(np.random.randint(2**31)))
                rgb = op.augment_image(rgb)
        view = Image.fromarray(rgb).resize(self.scale, Image.BICUBIC)
        if torch.rand(1).item() < self.jitter_prob:
            view = self.color_jitter(view)
        view = self.gray(view)
        results['guidance_img'] = np.ascontiguousarray(
            np.asarray(view)[..., ::-1])
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale={self.scale}, '
                f'min_ops={self.min_ops}, max_ops={self.max_ops}, '
                f'color_jitter={self.color_jitter}, '
                f'jitter_prob={self.jitter_prob}, gray_prob={self.gray.p})')
