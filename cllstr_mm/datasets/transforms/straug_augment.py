"""STRAug's scene-text augmentations as an MMOCR transform."""
import zlib
from typing import Dict, Optional, Sequence

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image

from .straug_utils import SQUARE_OPS, STRAUG_OPS, ensure_thin_plate_spline


@TRANSFORMS.register_module()
class STRAugment(BaseTransform):
    """With probability ``prob``, one to ``max_ops`` of STRAug's operations
    (Atienza, ICCV-W 2021), each from another of ``groups``
    (:data:`~.straug_utils.STRAUG_OPS`: warp, geometry, blur, noise,
    weather, camera, pattern), each at a random magnitude (STRAug's levels
    0-2).

    Put it after ``Resize`` to the model's input size: STRAug's magnitudes
    are set for such crops (100x32), and small images keep it fast (about
    1.5 ms a crop on one core at ``prob=0.5``; docs/synthetic_data.md).

    Reproducibility: with ``seed=None`` every draw comes from NumPy's global
    generator, which MMEngine seeds in each dataloader worker from the
    run's seed: a run is repeated with the same seed and number of workers.
    With an int ``seed`` a sample's draws are seeded with ``seed`` and its
    ``img_path``, so its augmentation is the same in any worker, in any
    run, and every time it is loaded: use it for data that never repeats
    an ``img_path``, as :class:`SynthWordDataset` (a stored data set would
    get one augmentation per image for the whole run). Either way the
    images depend on the versions of straug, Pillow, OpenCV, scikit-image
    and NumPy.

    Required keys: ``img`` (H, W, 3) uint8 BGR; ``img_path`` with an int
    ``seed``. Modified keys: ``img`` (same shape and dtype).

    Args:
        prob (float): Chance to augment a sample at all. Defaults to 0.5.
        max_ops (int): Most operations on one sample (1 or 2; each from a
            different group). Defaults to 2.
        groups (Sequence[str], optional): Groups to draw from; None for all
            of :data:`~.straug_utils.STRAUG_OPS`.
        seed (int, optional): See above. Defaults to None.

    Raises:
        ImportError: straug is not installed (the message says how).
    """

    def __init__(self,
                 prob: float = 0.5,
                 max_ops: int = 2,
                 groups: Optional[Sequence[str]] = None,
                 seed: Optional[int] = None) -> None:
        super().__init__()
        if not 0. <= prob <= 1.:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        groups = list(STRAUG_OPS) if groups is None else list(groups)
        unknown = [g for g in groups if g not in STRAUG_OPS]
        if not groups or unknown:
            raise ValueError(f'groups={groups}: use a non-empty list of '
                             f'{list(STRAUG_OPS)}')
        if not 1 <= max_ops <= len(groups):
            raise ValueError(f'max_ops must be within 1..{len(groups)} (the '
                             f'number of groups), got {max_ops}')
        if seed is not None and seed < 0:
            raise ValueError(f'seed must be >= 0 or None, got {seed}')
        self.prob = prob
        self.max_ops = max_ops
        self.groups = groups
        self.seed = seed
        self._ops = {g: [_straug_class(name) for name in STRAUG_OPS[g]]
                     for g in groups}

    def _rng(self, results: Dict) -> np.random.Generator:
        if self.seed is None:
            return np.random.default_rng(
                np.random.randint(0, 2**31, size=4))
        if 'img_path' not in results:
            raise KeyError('STRAugment(seed=...) seeds each sample with its '
                           'results["img_path"], which this sample lacks; '
                           'use seed=None')
        return np.random.default_rng(
            [self.seed, zlib.crc32(str(results['img_path']).encode())])

    def transform(self, results: Dict) -> Dict:
        rng = self._rng(results)
        if rng.random() >= self.prob:
            return results
        count = 1 + int(rng.integers(self.max_ops))
        img = Image.fromarray(cv2.cvtColor(results['img'], cv2.COLOR_BGR2RGB))
        size = img.size
        for group in rng.choice(self.groups, count, replace=False):
            ops = self._ops[group]
            op_class = ops[int(rng.integers(len(ops)))]
            # Curve and Rotate warp a square resize of the image, 224 px by
            # default: its longer side keeps the detail at a fifth of the
            # cost, and the result is resized back all the same.
            op = op_class(rng=rng, square_side=max(size)) \
                if op_class.__name__ in SQUARE_OPS else op_class(rng=rng)
            img = op(img, mag=int(rng.integers(3))).convert('RGB')
        if img.size != size:
            img = img.resize(size, Image.BICUBIC)
        results['img'] = cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, max_ops='
                f'{self.max_ops}, groups={self.groups}, seed={self.seed})')


def _straug_class(name: str) -> type:
    """STRAug's operation class ``name``."""
    try:
        from straug import (blur, camera, geometry, noise, pattern, warp,
                            weather)
    except ImportError as error:
        raise ImportError(
            'STRAugment needs STRAug: pip install straug==0.1.2 '
            'Wand==0.7.2 scikit-image==0.26.0 (and Debian\'s '
            f'libmagickwand-6.q16-6 for Wand); import failed: {error}'
        ) from error
    ensure_thin_plate_spline()
    for module in (warp, geometry, blur, noise, weather, camera, pattern):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f'straug has no operation {name!r}')
