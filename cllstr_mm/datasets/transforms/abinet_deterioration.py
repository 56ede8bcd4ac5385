"""ABINet's image deterioration as LMIM fine-tuning uses it."""
from typing import Dict, Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from .abinet_aug_utils import random_interpolation, sample_asym

#: Size the image is scaled to before the pyramid (width, height), as the
#: original's ``base_size=(128, 512)`` (height, width).
PYRAMID_BASE = (512, 128)


def gaussian_noise(img: np.ndarray, var: int) -> np.ndarray:
    """Add N(0, var) noise per pixel and channel; clip and truncate to
    uint8 as the original."""
    noise = np.random.normal(0., var**0.5, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def motion_blur(img: np.ndarray, size: int, angle: float) -> np.ndarray:
    """Convolve with a ``size``-long line rotated by ``angle`` degrees
    (``size`` 1 leaves the image as it is). The kernel is divided by
    ``size``, not by its sum, as the original."""
    kernel = np.zeros((size, size))
    kernel[size // 2, :] = 1
    matrix = cv2.getRotationMatrix2D((size // 2, size // 2), angle, 1)
    kernel = cv2.warpAffine(kernel, matrix, (size, size)) / size
    return np.clip(cv2.filter2D(img, -1, kernel), 0, 255).astype(np.uint8)


def pyramid_rescale(img: np.ndarray, levels: int) -> np.ndarray:
    """Resize to :data:`PYRAMID_BASE`, halve ``levels`` times with
    ``cv2.pyrDown`` and resize back (random interpolations); 0 levels
    leaves the image as it is."""
    if levels == 0:
        return img
    height, width = img.shape[:2]
    small = cv2.resize(img, PYRAMID_BASE, interpolation=random_interpolation())
    for _ in range(levels):
        small = cv2.pyrDown(small)
    return cv2.resize(
        small, (width, height), interpolation=random_interpolation())


@TRANSFORMS.register_module()
class ABINetDeterioration(BaseTransform):
    """LMIM's deterioration (ABINet's ``CVDeterioration``).

    With probability ``prob``, three changes together, in random order:

    - Gaussian noise of variance ``max(int(beta(1, 4) * var), 1)``;
    - motion blur with a kernel of ``max(int(beta(1, 4) * degrees), 1)``
      pixels (1, i.e. no blur, 80 % of the time with ``degrees`` 6) at an
      angle uniform in +-90 degrees;
    - pyramid rescale (:func:`pyramid_rescale`) by ``round(uniform(0,
      factor))`` levels (none 1/8 of the time with ``factor`` 4).

    The original draws the noise variance, the kernel, its angle, the
    number of levels and the order once, when the transform is built, so a
    whole run uses one setting per training LMDB; here they are drawn for
    every sample, which gives the distribution it aimed at. (MMOCR's
    ``PyramidRescale`` is not used: it overwrites its own factor with a
    draw that reaches 0 and never changes an image again.)

    Modified keys: ``img``.

    Args:
        var (float): Noise variance scale. Defaults to 20.
        degrees (float): Blur kernel scale. Defaults to 6.
        factor (float): Pyramid level range. Defaults to 4.
        prob (float): Chance to deteriorate at all. Defaults to 0.25.
    """

    def __init__(self,
                 var: float = 20.,
                 degrees: float = 6.,
                 factor: float = 4.,
                 prob: float = 0.25) -> None:
        super().__init__()
        if not 0. <= prob <= 1.:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.var = var
        self.degrees = degrees
        self.factor = factor
        self.prob = prob

    def sample_params(self) -> Optional[Dict]:
        """Draw one deterioration, or None (no change): ``noise_var``,
        ``blur_size``, ``blur_angle``, ``levels`` and ``order`` (a
        permutation of ``('noise', 'blur', 'rescale')``)."""
        if np.random.random() >= self.prob:
            return None
        return dict(
            noise_var=max(int(sample_asym(self.var)), 1),
            blur_size=max(int(sample_asym(self.degrees)), 1),
            blur_angle=float(np.random.uniform(-90, 90)),
            levels=int(round(np.random.uniform(0, self.factor))),
            order=tuple(np.random.permutation(['noise', 'blur',
                                               'rescale'])))

    @staticmethod
    def apply(img: np.ndarray, params: Dict) -> np.ndarray:
        """Apply the deterioration of :meth:`sample_params` to ``img``."""
        for name in params['order']:
            if name == 'noise':
                img = gaussian_noise(img, params['noise_var'])
            elif name == 'blur':
                img = motion_blur(img, params['blur_size'],
                                  params['blur_angle'])
            else:
                img = pyramid_rescale(img, params['levels'])
        return img

    def transform(self, results: dict) -> dict:
        params = self.sample_params()
        if params is not None:
            results['img'] = self.apply(results['img'], params)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(var={self.var}, degrees='
                f'{self.degrees}, factor={self.factor}, prob={self.prob})')
