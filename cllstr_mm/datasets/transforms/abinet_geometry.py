"""ABINet's geometric augmentation as LMIM fine-tuning uses it."""
import math
from typing import Dict, Optional, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from .abinet_aug_utils import random_interpolation, sample_asym, sample_sym

#: Cumulative chances of rotation and affine; perspective takes the rest
#: (the original's ``random.random() < 0.33 / < 0.66``).
KIND_THRESHOLDS = (('rotation', 0.33), ('affine', 0.66))


def _corner_bbox(points: np.ndarray) -> Tuple[int, int, int, int]:
    """``min_x, min_y, max_x, max_y`` of the box around the minimum-area
    rectangle of ``points`` ``[4, 2]``, truncated to int (the original)."""
    box = cv2.boxPoints(cv2.minAreaRect(points.astype(np.float32)))
    box = box.astype(np.int64)
    return (int(box[:, 0].min()), int(box[:, 1].min()), int(box[:, 0].max()),
            int(box[:, 1].max()))


def _warp_centred(img: np.ndarray, matrix: np.ndarray, dst_w: int,
                  dst_h: int, interpolation: int) -> np.ndarray:
    """``cv2.warpAffine`` of ``matrix`` (which keeps the image centre in
    place) onto a ``dst_w x dst_h`` canvas, shifted so that the centre is
    the canvas's; the new area repeats the border."""
    height, width = img.shape[:2]
    matrix = matrix.copy()
    matrix[0, 2] += (dst_w - width) / 2
    matrix[1, 2] += (dst_h - height) / 2
    return cv2.warpAffine(
        img,
        matrix, (max(dst_w, 1), max(dst_h, 1)),
        flags=interpolation,
        borderMode=cv2.BORDER_REPLICATE)


def rotate(img: np.ndarray, angle: float, interpolation: int) -> np.ndarray:
    """Rotate by ``angle`` degrees (counter-clockwise) on a canvas enlarged
    to hold the whole image."""
    height, width = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    return _warp_centred(img, matrix, int(height * sin + width * cos),
                         int(height * cos + width * sin), interpolation)


def affine_matrix(center: Tuple[float, float], angle: float, scale: float,
                  shear: Tuple[float, float]) -> np.ndarray:
    """The original's ``_get_inverse_affine_matrix`` (torchvision 0.4's
    inverse of rotation x shear x scale about ``center``), ``[2, 3]``.

    The original hands it to ``cv2.warpAffine`` as the forward map, so the
    image is rotated by ``-angle``, sheared back and scaled by
    ``1 / scale``; reproduced as is.
    """
    rot = math.radians(angle)
    sx, sy = (math.radians(s) for s in shear)
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = np.array([[d, -b, 0.], [-c, a, 0.]]) / scale
    cx, cy = center
    m[:, 2] = m[:, 0] * -cx + m[:, 1] * -cy + (cx, cy)
    return m


def affine(img: np.ndarray, angle: float, scale: float,
           shear: Tuple[float, float], interpolation: int) -> np.ndarray:
    """Rotate, shear and scale on a canvas fitted to the transformed
    image."""
    height, width = img.shape[:2]
    matrix = affine_matrix((width / 2, height / 2), angle, scale, shear)
    corners = np.array([(0, 0), (width - 1, 0), (width - 1, height - 1),
                        (0, height - 1)], dtype=np.float64)
    ends = np.trunc(corners @ matrix[:, :2].T + matrix[:, 2])
    min_x, min_y, max_x, max_y = _corner_bbox(ends)
    return _warp_centred(img, matrix, max_x - min_x, max_y - min_y,
                         interpolation)


def perspective(img: np.ndarray, offsets: np.ndarray,
                interpolation: int) -> np.ndarray:
    """Move the corners inwards by ``offsets`` ``[4, 2]`` (x, y; clockwise
    from the top left) and crop to the distorted image."""
    height, width = img.shape[:2]
    start = np.array([(0, 0), (width - 1, 0), (width - 1, height - 1),
                      (0, height - 1)], dtype=np.float32)
    sign = np.array([(1, 1), (-1, 1), (-1, -1), (1, -1)], dtype=np.float32)
    end = start + sign * offsets.astype(np.float32)
    matrix = cv2.getPerspectiveTransform(start, end)
    min_x, min_y, max_x, max_y = _corner_bbox(end)
    out = cv2.warpPerspective(
        img,
        matrix, (max(max_x, 1), max(max_y, 1)),
        flags=interpolation,
        borderMode=cv2.BORDER_REPLICATE)
    return out[max(min_y, 0):, max(min_x, 0):]


@TRANSFORMS.register_module()
class ABINetGeometry(BaseTransform):
    """LMIM's geometric augmentation (ABINet's ``CVGeometry``).

    With probability ``prob`` one of three warps, picked per sample with
    chances 0.33 / 0.33 / 0.34:

    - rotation by ``sample_sym(degrees)``: a beta(4, 4) over +-45 degrees
      (std 15);
    - affine: the same rotation, shear ``(sample_sym(shear[0]),
      sample_sym(shear[1]))`` degrees, scale uniform in ``scale`` (applied
      as ``1 / scale``, as the original), no translation (the original's
      ``translate=(0, 0)``);
    - perspective: each corner moves inwards by ``int(beta(1, 4) *
      distortion / 2)`` times the width and the height (mean 5 % of each).

    The canvas grows (rotation, affine) or is cropped (perspective) to hold
    the whole warped image and new pixels repeat the border, so no
    character is cut off. Each warp uses one of nearest, linear, cubic or
    area interpolation at random.

    The original picks the warp type once, when the transform is built, so
    each of its training LMDBs uses a single type for the whole run; here
    it is drawn for every sample, which gives the mixture it aimed at.

    Modified keys: ``img``, ``img_shape``.

    Args:
        degrees (float): Rotation range. Defaults to 45.
        scale (tuple[float, float]): Scale range. Defaults to (0.5, 2).
        shear (tuple[float, float]): Shear ranges (x, y) in degrees.
            Defaults to (45, 15).
        distortion (float): Perspective strength. Defaults to 0.5.
        prob (float): Chance to warp at all. Defaults to 0.5.
    """

    def __init__(self,
                 degrees: float = 45.,
                 scale: Tuple[float, float] = (0.5, 2.),
                 shear: Tuple[float, float] = (45., 15.),
                 distortion: float = 0.5,
                 prob: float = 0.5) -> None:
        super().__init__()
        if not 0. <= prob <= 1.:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        if not 0. < scale[0] <= scale[1]:
            raise ValueError(f'scale must be (low, high) with 0 < low <= '
                             f'high, got {scale}')
        if not 0. <= distortion < 1.:
            raise ValueError(
                f'distortion must be in [0, 1), got {distortion}')
        self.degrees = degrees
        self.scale = tuple(scale)
        self.shear = tuple(shear)
        self.distortion = distortion
        self.prob = prob

    def sample_params(self, height: int, width: int) -> Optional[Dict]:
        """Draw one warp for an ``height x width`` image, or None (no
        change): ``kind``, ``interpolation`` and ``angle``; ``scale`` and
        ``shear`` (affine); ``offsets`` ``[4, 2]`` (perspective)."""
        if np.random.random() >= self.prob:
            return None
        draw = np.random.random()
        kind = next((k for k, t in KIND_THRESHOLDS if draw < t),
                    'perspective')
        params = dict(kind=kind, interpolation=random_interpolation())
        if kind == 'perspective':
            offset_y = sample_asym(self.distortion * height / 2, 4)
            offset_x = sample_asym(self.distortion * width / 2, 4)
            params['offsets'] = np.stack([offset_x, offset_y],
                                         1).astype(np.int64)
            return params
        params['angle'] = float(sample_sym(self.degrees))
        if kind == 'affine':
            params['scale'] = float(np.random.uniform(*self.scale))
            params['shear'] = (float(sample_sym(self.shear[0])),
                               float(sample_sym(self.shear[1])))
        return params

    @staticmethod
    def warp(img: np.ndarray, params: Dict) -> np.ndarray:
        """Apply the warp of :meth:`sample_params` to ``img``."""
        if params['kind'] == 'rotation':
            return rotate(img, params['angle'], params['interpolation'])
        if params['kind'] == 'affine':
            return affine(img, params['angle'], params['scale'],
                          params['shear'], params['interpolation'])
        return perspective(img, params['offsets'], params['interpolation'])

    def transform(self, results: dict) -> dict:
        img = results['img']
        params = self.sample_params(*img.shape[:2])
        if params is not None:
            img = self.warp(img, params)
            results['img'] = img
            results['img_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(degrees={self.degrees}, scale='
                f'{self.scale}, shear={self.shear}, distortion='
                f'{self.distortion}, prob={self.prob})')
