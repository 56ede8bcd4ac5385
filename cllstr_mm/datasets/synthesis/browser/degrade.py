"""Degradations after rendering: a bend now and then, uneven light, then
STRAug's scene-text augmentations (Baek et al., ICCV 2021 workshops) at its
lowest two magnitudes, redrawn while they leave too little contrast, then
JPEG compression. A function of the image and a random
generator only, so a seed fixes the result.

STRAug's Curve, Distort and Stretch need OpenCV's contrib build (thin-plate
splines), which would replace the project's ``opencv-python``; an arc warp
(:func:`arc`) bends words instead.
"""
import io
import warnings
from typing import Callable, Dict, List, Tuple

import cv2
import numpy as np
from PIL import Image

import cllstr_mm  # noqa: F401  (compat layer: STRAug imports torchvision)

with warnings.catch_warnings():
    # straug.weather imports the deprecated pkg_resources
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated')
    from straug.blur import DefocusBlur, GaussianBlur, MotionBlur
    from straug.camera import Brightness, Contrast, JpegCompression, Pixelate
    from straug.geometry import Perspective, Rotate
    from straug.noise import GaussianNoise
    from straug.weather import Fog, Shadow

#: STRAug ops in groups, with the magnitudes drawn from (0 is STRAug's
#: mildest of 3): the warps stay at their mildest, the others go to
#: moderate. An image gets at most one op of a group, so two blurs, fog
#: over blur, or two contrast losses never stack.
STRAUG_GROUPS: Dict[str, Dict[str, Tuple[Callable, Tuple[int, ...]]]] = {
    'warp': {'Perspective': (Perspective, (0, )), 'Rotate': (Rotate, (0, ))},
    'haze': {'GaussianBlur': (GaussianBlur, (0, 1)),
             'MotionBlur': (MotionBlur, (0, )),
             'DefocusBlur': (DefocusBlur, (0, 1)),
             'Pixelate': (Pixelate, (0, 1)), 'Fog': (Fog, (0, ))},
    'light': {'Shadow': (Shadow, (0, 1)), 'Contrast': (Contrast, (0, 1)),
              'Brightness': (Brightness, (0, 1))},
    'noise': {'GaussianNoise': (GaussianNoise, (0, 1)),
              'JpegCompression': (JpegCompression, (0, 1))},
}
#: Most STRAug ops (groups) applied to one image.
MAX_OPS = 2
#: Least spread (2nd to 98th percentile of the grey levels, 0-255) a
#: degraded image keeps, or 80 % of the clean image's if that is lower;
#: below it the light and STRAug ops are drawn again, as dim light, fog or
#: lost contrast over a low-contrast look can leave a word no one can read.
MIN_SPREAD = 80
#: Draws of the ops before giving up on them (the image then keeps none).
_MAX_DRAWS = 10
#: Final JPEG quality range.
JPEG_QUALITY = (40, 95)
#: Height that STRAug's ops are applied at: their blur radii and warps are
#: in pixels, tuned for crops of about this size.
WARP_HEIGHT = 64
#: Range of the output height in pixels, as word crops of photos vary.
OUTPUT_HEIGHTS = (32, 64)


def uneven_light(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Multiply ``image`` (H, W, 3) uint8 by a smooth gain: a linear ramp
    in a random direction or a radial fall-off, from 0.55-0.85 to
    1.0-1.15."""
    h, w = image.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    low, high = rng.uniform(0.55, 0.85), rng.uniform(1.0, 1.15)
    if rng.random() < 0.6:
        angle = rng.uniform(0, 2 * np.pi)
        ramp = x * np.cos(angle) + y * np.sin(angle)
    else:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        ramp = -np.hypot((x - cx) / w, (y - cy) / h)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    gain = low + (high - low) * ramp
    return np.clip(image * gain[..., None], 0, 255).astype(np.uint8)


def arc(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Bend ``image`` (H, W, 3) along a parabola whose sag is 8-20 % of the
    height, up or down, as text on a curved surface or arched sign."""
    h, w = image.shape[:2]
    sag = rng.uniform(0.08, 0.2) * h * rng.choice((-1, 1))
    pad = int(np.ceil(abs(sag)))
    padded = cv2.copyMakeBorder(image, pad, pad, 0, 0, cv2.BORDER_REPLICATE)
    y, x = np.mgrid[0:h + 2 * pad, 0:w].astype(np.float32)
    offset = sag * ((x - (w - 1) / 2) / max((w - 1) / 2, 1))**2
    return cv2.remap(padded, x, y + offset - sag / 2, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def spread(image: np.ndarray) -> float:
    """2nd to 98th percentile of the grey levels of an RGB uint8 image."""
    grey = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    low, high = np.percentile(grey, (2, 98))
    return float(high - low)


def straug_ops(image: Image.Image, rng: np.random.Generator
               ) -> Tuple[Image.Image, List[str]]:
    """Apply 0 to :data:`MAX_OPS` STRAug ops of distinct groups of
    :data:`STRAUG_GROUPS`; returns the image and the ops' names with their
    magnitudes (e.g. ``['Fog0', 'GaussianBlur1']``)."""
    groups = sorted(STRAUG_GROUPS)
    done = []
    for g in rng.choice(len(groups), int(rng.integers(0, MAX_OPS + 1)),
                        replace=False):
        ops = STRAUG_GROUPS[groups[g]]
        name = sorted(ops)[rng.integers(0, len(ops))]
        op, mags = ops[name]
        mag = int(rng.choice(mags))
        image = op(rng=rng)(image.convert('RGB'), mag=mag)
        done.append(f'{name}{mag}')
    return image.convert('RGB'), done


def degrade(image: np.ndarray, rng: np.random.Generator
            ) -> Tuple[bytes, str]:
    """Degrade a rendered crop and encode it as JPEG.

    Args:
        image: RGB uint8 (H, W, 3).
        rng: The only source of randomness.

    Returns:
        tuple[bytes, str]: The JPEG file, :data:`OUTPUT_HEIGHTS` tall with the
        crop's aspect ratio, and a description of what was done (e.g.
        ``'arc+light+Fog0+GaussianBlur1+h48+q71'``).
    """
    steps = []
    if rng.random() < 0.15:
        image = arc(image, rng)
        steps.append('arc')
    h, w = image.shape[:2]
    clean = np.asarray(Image.fromarray(image).resize(
        (max(8, round(w * WARP_HEIGHT / h)), WARP_HEIGHT), Image.BICUBIC))
    least = min(MIN_SPREAD, 0.8 * spread(clean))
    for _ in range(_MAX_DRAWS):
        ops = []
        pil = Image.fromarray(clean)
        if rng.random() < 0.5:
            pil = Image.fromarray(uneven_light(clean, rng))
            ops.append('light')
        pil, straug = straug_ops(pil, rng)
        ops += straug
        if spread(np.asarray(pil)) >= least:
            break
    else:
        pil, ops = Image.fromarray(clean), []
    steps += ops
    height = int(rng.integers(OUTPUT_HEIGHTS[0], OUTPUT_HEIGHTS[1] + 1))
    out = cv2.resize(np.asarray(pil.convert('RGB')),
                     (max(8, round(w * height / h)), height),
                     interpolation=cv2.INTER_AREA)
    steps.append(f'h{height}')
    quality = int(rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
    buffer = io.BytesIO()
    Image.fromarray(out).save(buffer, format='JPEG', quality=quality)
    steps.append(f'q{quality}')
    return buffer.getvalue(), '+'.join(steps)
