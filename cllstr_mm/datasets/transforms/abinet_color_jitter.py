"""ABINet's colour jitter as LMIM fine-tuning uses it."""
import numpy as np
import torchvision.transforms as T
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image


@TRANSFORMS.register_module()
class ABINetColorJitter(BaseTransform):
    """LMIM's colour jitter (ABINet's ``CVColorJitter``): with probability
    ``prob``, torchvision's ``ColorJitter`` with these ranges.

    The pipeline's images are BGR; the jitter runs on the RGB image, as the
    original's PIL images (hue and saturation depend on the channel order).

    Modified keys: ``img``.

    Args:
        brightness, contrast, saturation (float): Factor ranges
            ``[1 - x, 1 + x]``. Default to 0.5.
        hue (float): Hue shift range ``[-x, x]``. Defaults to 0.1.
        prob (float): Chance to jitter. Defaults to 0.25.
    """

    def __init__(self,
                 brightness: float = 0.5,
                 contrast: float = 0.5,
                 saturation: float = 0.5,
                 hue: float = 0.1,
                 prob: float = 0.25) -> None:
        super().__init__()
        if not 0. <= prob <= 1.:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob
        self.jitter = T.ColorJitter(
            brightness=brightness,
            contrast=contrast,
            saturation=saturation,
            hue=hue)

    def transform(self, results: dict) -> dict:
        img = results['img']
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(
                f'ABINetColorJitter needs a 3-channel BGR image, got shape '
                f'{img.shape}; load images with color_type="color"')
        if np.random.random() < self.prob:
            rgb = Image.fromarray(np.ascontiguousarray(img[..., ::-1]))
            results['img'] = np.ascontiguousarray(
                np.asarray(self.jitter(rgb))[..., ::-1])
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.jitter!r}, prob={self.prob})'
