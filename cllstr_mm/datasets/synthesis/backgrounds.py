"""Colours and backgrounds of synthetic word crops: random colours, a
colour that contrasts with another by luma, and flat, gradient, noisy or
textured backgrounds around a base colour. Every draw comes from the
generator passed in, so a sample stays a function of its index."""
import colorsys
from typing import Tuple

import cv2
import numpy as np

#: Smallest luma difference (0-1) between text and background colour.
MIN_CONTRAST = 0.4
#: Largest luma change the background texture adds to its base colour, so
#: the contrast with the text stays at least MIN_CONTRAST - BACKGROUND_BAND.
BACKGROUND_BAND = 0.1
_LUMA = np.array([0.299, 0.587, 0.114])
#: Colours drawn before giving up on one that contrasts enough.
_COLOUR_TRIES = 50


def luma(colour: np.ndarray) -> float:
    """Luma (0-1) of an RGB ``colour`` (0-255), ITU-R BT.601 weights."""
    return float(colour @ _LUMA) / 255


def random_colour(rng: np.random.Generator) -> np.ndarray:
    """Greys a third of the time (common on signs), else a colour whose
    saturation leans low, as paint and print mostly are."""
    if rng.random() < 0.35:
        return np.full(3, float(rng.integers(0, 256)))
    rgb = colorsys.hsv_to_rgb(rng.random(), rng.beta(1.2, 2.0), rng.random())
    return np.array(rgb) * 255


def contrasting_colour(rng: np.random.Generator, other: np.ndarray,
                       min_contrast: float) -> np.ndarray:
    """A random colour whose luma differs from ``other``'s by at least
    ``min_contrast`` (falls back to black or white)."""
    for _ in range(_COLOUR_TRIES):
        colour = random_colour(rng)
        if abs(luma(colour) - luma(other)) >= min_contrast:
            return colour
    return np.full(3, 0.0 if luma(other) > 0.5 else 255.0)


def _smooth_field(rng: np.random.Generator, h: int, w: int,
                  cells: Tuple[int, int]) -> np.ndarray:
    """Low-frequency noise in [-1, 1] of shape (h, w): a coarse random grid
    upsampled bicubically."""
    grid = rng.standard_normal((cells[0] + 1, cells[1] + 1)).astype(np.float32)
    field = cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
    return field / max(float(np.abs(field).max()), 1e-6)


def _texture(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A procedural texture in [-1, 1], cropped at a random offset from a
    larger tile so the pattern's phase varies."""
    th, tw = 2 * h, 2 * w
    kind = rng.choice(('plasma', 'stripes', 'bricks', 'speckle'))
    if kind == 'plasma':
        tex = sum(
            _smooth_field(rng, th, tw, (2**o, 2**o * max(1, tw // th))) /
            2**o for o in range(1, 5))
    elif kind == 'stripes':
        y, x = np.mgrid[0:th, 0:tw].astype(np.float32)
        angle = rng.uniform(0, np.pi)
        period = rng.uniform(3, max(4.0, h / 2))
        tex = np.sin(2 * np.pi * (x * np.cos(angle) + y * np.sin(angle)) /
                     period)
    elif kind == 'bricks':
        bh = int(rng.integers(max(3, h // 6), max(4, h // 2) + 1))
        bw = int(rng.integers(bh, 4 * bh + 1))
        y, x = np.mgrid[0:th, 0:tw]
        row = y // bh
        x = x + (row % 2) * (bw // 2)
        mortar = (y % bh < 1 + bh // 8) | (x % bw < 1 + bw // 16)
        shade = rng.uniform(-0.5, 0.5, (th // bh + 2, tw // bw + 3))
        tex = np.where(mortar, -1.0, shade[row, x // bw]).astype(np.float32)
    else:
        tex = (rng.random((th, tw)) < rng.uniform(0.02, 0.15)).astype(
            np.float32)
        tex = cv2.GaussianBlur(tex, (0, 0), rng.uniform(0.5, 1.5))
        tex = tex / max(float(tex.max()), 1e-6) * 2 - 1
    tex = tex.astype(np.float32)
    oy, ox = int(rng.integers(0, h + 1)), int(rng.integers(0, w + 1))
    return tex[oy:oy + h, ox:ox + w]


def draw_background(rng: np.random.Generator, h: int, w: int,
                    colour: np.ndarray) -> np.ndarray:
    """Background of shape (h, w, 3), float32 in [0, 255], whose luma stays
    within BACKGROUND_BAND of ``colour``'s."""
    kind = rng.choice(('flat', 'gradient', 'noise', 'texture'),
                      p=(0.25, 0.25, 0.2, 0.3))
    amplitude = 255 * BACKGROUND_BAND * rng.uniform(0.3, 1.0)
    tint = 1 + rng.uniform(-0.3, 0.3, 3)  # the pattern in a nearby hue
    if kind == 'flat':
        shade = np.zeros((h, w), np.float32)
    elif kind == 'gradient':
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        ramp = x * np.cos(angle) + y * np.sin(angle)
        shade = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6) * 2 - 1
    elif kind == 'noise':
        cells = (int(rng.integers(1, 5)), int(rng.integers(2, 12)))
        shade = 0.8 * _smooth_field(rng, h, w, cells) + 0.2 * np.clip(
            rng.standard_normal((h, w)), -1, 1)
    else:
        shade = _texture(rng, h, w)
    image = colour + shade[..., None] * amplitude * tint
    # Clipping only pulls the luma back towards the base colour's side.
    return np.clip(image, 0, 255).astype(np.float32)
