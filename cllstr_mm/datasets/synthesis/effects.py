"""Looks of the second release's word crops: which ones a sample gets
(:class:`Style`, :func:`draw_look`) and the image effects that make them.

A :class:`Style` holds one probability per look; every sample draws all of
them at once from its own generator (:func:`draw_look`), so a look never
depends on another sample. ``clean`` (a born-digital word: dark text on a
flat light background in a regular, bold or heavy face, without warp,
effects or camera losses) excludes the scene looks (photo background,
two-tone text, outline, shadow, uneven light, motion blur).
:class:`~.styled.StyledWordImageSynthesizer` draws the looks.
"""
from typing import Dict, Mapping, NamedTuple, Sequence, Tuple, Union

import cv2
import numpy as np

from .fonts import FONT_SETS, FontFace, faces_of_weight


class Style(NamedTuple):
    """Probabilities (0-1) of the looks and the font set drawn from.

    ``font_set``: ``'release1'`` or ``'release2'``
    (:func:`~.fonts.script_families`). ``clean``: a born-digital word.
    ``photo_bg``: a patch of a photograph as background
    (:mod:`~.photos`). ``two_tone``: text filled with two colours (a
    gradient or a split). ``outline``: an outline 3-10 % of the font size
    wide. ``shadow``: a drop shadow offset 4-15 % of the font size in any
    direction and blurred. ``uneven_light``: light falling off across the
    crop. ``motion_blur``: a straight blur of 4-12 % of the crop height.
    ``tight_crop`` / ``loose_crop``: padding of 0-2 % / 10-30 % of the
    ink height on each side instead of 3-25 %. ``bold`` / ``heavy``: a
    face of weight 600-750 / 800+ of the drawn family, emboldened by a
    stroke when the family has none. ``neighbours``: what a real crop
    takes in beside its word, cut by the crop's edge on one side or both:
    the end of a neighbouring word, or a bar (a sign's frame)
    (:meth:`~.styled.StyledWordImageSynthesizer._add_neighbours`).
    """
    font_set: str = 'release1'
    clean: float = 0.0
    photo_bg: float = 0.0
    two_tone: float = 0.0
    outline: float = 0.0
    shadow: float = 0.0
    uneven_light: float = 0.0
    motion_blur: float = 0.0
    tight_crop: float = 0.0
    loose_crop: float = 0.0
    bold: float = 0.0
    heavy: float = 0.0
    neighbours: float = 0.0


#: Named styles. ``'release2'``: the second release's training data.
STYLES: Dict[str, Style] = {
    'release2':
    Style(
        font_set='release2',
        clean=0.15,
        photo_bg=0.3,
        two_tone=0.1,
        outline=0.15,
        shadow=0.15,
        uneven_light=0.2,
        motion_blur=0.1,
        tight_crop=0.15,
        loose_crop=0.15,
        bold=0.25,
        heavy=0.1,
        # from iteration 13,600 of the release on: the pilot gained 3.0
        # points on real photo crops (docs/model_zoo.md)
        neighbours=0.25),
}


def _named_style(name: str, option: str) -> Style:
    """``STYLES[name]``; a ValueError naming ``option`` if there is none."""
    if name not in STYLES:
        raise ValueError(f'{option}={name!r}; use one of {sorted(STYLES)} '
                         'or a dict of look probabilities')
    return STYLES[name]


def parse_style(style: Union[str, Mapping, Style]) -> Style:
    """A :class:`Style` from a name of :data:`STYLES`, a mapping of some of
    its fields (the others 0, ``font_set`` ``'release1'``, or, with the key
    ``base``, those of the named style: ``dict(base='release2',
    neighbours=0.5)``) or a Style.

    Raises:
        ValueError: An unknown name, base, field or font set, a probability
            outside 0-1, or ``tight_crop + loose_crop`` or ``bold + heavy``
            above 1; the message names the option.
    """
    if isinstance(style, str):
        return _named_style(style, 'style')
    if not isinstance(style, Style):
        fields = dict(style)
        base = fields.pop('base', None)
        unknown = sorted(set(fields) - set(Style._fields))
        if unknown:
            raise ValueError(f'style has unknown keys {unknown}; known: '
                             f"{list(Style._fields)} and 'base'")
        style = Style(**fields) if base is None else \
            _named_style(base, 'style base')._replace(**fields)
    if style.font_set not in FONT_SETS:
        raise ValueError(f'style font_set={style.font_set!r}; use one of '
                         f'{FONT_SETS}')
    for name, value in style._asdict().items():
        if name != 'font_set' and not 0 <= value <= 1:
            raise ValueError(f'style {name}={value}: a probability must be '
                             'within 0..1')
    for a, b in (('tight_crop', 'loose_crop'), ('bold', 'heavy')):
        if getattr(style, a) + getattr(style, b) > 1:
            raise ValueError(f'style {a} + {b} must be <= 1, got '
                             f'{getattr(style, a)} + {getattr(style, b)}')
    return style


class Look(NamedTuple):
    """The looks of one sample (:func:`draw_look`). ``padding`` is
    ``'tight'``, ``'normal'`` or ``'loose'`` (:data:`PADDING`); ``weight``
    ``'regular'``, ``'bold'``, ``'heavy'`` or ``''`` (the face drawn, of
    any weight or slant)."""
    clean: bool
    photo_bg: bool
    two_tone: bool
    outline: bool
    shadow: bool
    uneven_light: bool
    motion_blur: bool
    padding: str
    weight: str
    neighbours: bool = False


def draw_look(rng: np.random.Generator, style: Style) -> Look:
    """The looks of a sample: one uniform number per look, so changing
    one probability leaves the others' draws as they were. ``neighbours``
    draws its number only when its probability is not 0, so styles
    without it draw as they did before it existed."""
    u = rng.random(9)
    clean = bool(u[0] < style.clean)
    scene = [not clean and bool(u[i] < p) for i, p in enumerate(
        (style.photo_bg, style.two_tone, style.outline, style.shadow,
         style.uneven_light, style.motion_blur), start=1)]
    pad = 'tight' if u[7] < style.tight_crop else (
        'loose' if u[7] < style.tight_crop + style.loose_crop else 'normal')
    weight = 'bold' if u[8] < style.bold else (
        'heavy' if u[8] < style.bold + style.heavy else
        'regular' if clean else '')
    neighbours = bool(style.neighbours) and rng.random() < style.neighbours
    return Look(clean, *scene, pad, weight, neighbours)


#: Padding of a crop around the ink box (left and right, top and bottom)
#: per side, in units of the ink height: ``'normal'`` is the first
#: release's (every sample without a style), the others are looks.
PADDING: Dict[str, Tuple[Tuple[float, float], Tuple[float, float]]] = {
    'tight': ((0.0, 0.02), (0.0, 0.02)),
    'normal': ((0.03, 0.25), (0.03, 0.2)),
    'loose': ((0.1, 0.3), (0.1, 0.3)),
}


def padding(rng: np.random.Generator, kind: str) -> np.ndarray:
    """Random padding fractions (left, right, top, bottom) of ``kind``
    (:data:`PADDING`)."""
    (lo_x, hi_x), (lo_y, hi_y) = PADDING[kind]
    return np.concatenate(
        (rng.uniform(lo_x, hi_x, 2), rng.uniform(lo_y, hi_y, 2)))


#: Stroke (in units of the font size) that emboldens a face when its family
#: has no face of the weight drawn.
EMBOLDEN = {'bold': 0.02, 'heavy': 0.03}


def pick_weight(rng: np.random.Generator, faces: Sequence[FontFace],
                weight: str) -> Tuple[FontFace, float]:
    """A face of ``weight`` among ``faces`` (one family), and the stroke
    (in units of the font size, 0 for none) that emboldens it when the
    family has no such face: a heavy look falls back to a bold face
    emboldened by the difference, a bold or heavy one to a regular face
    (or any face) emboldened by :data:`EMBOLDEN`."""
    fallbacks = {'regular': (('regular', 0.0), ),
                 'bold': (('bold', 0.0), ('regular', EMBOLDEN['bold'])),
                 'heavy': (('heavy', 0.0),
                           ('bold', EMBOLDEN['heavy'] - EMBOLDEN['bold']),
                           ('regular', EMBOLDEN['heavy']))}[weight]
    for name, stroke in fallbacks:
        chosen = faces_of_weight(faces, name)
        if chosen:
            return chosen[int(rng.integers(len(chosen)))], stroke
    return faces[int(rng.integers(len(faces)))], fallbacks[-1][1]


def _ramp(h: int, w: int, angle: float) -> np.ndarray:
    """A linear ramp from 0 to 1 across (h, w) in direction ``angle``
    (radians)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = x * np.cos(angle) + y * np.sin(angle)
    return (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)


def two_tone(rng: np.random.Generator, h: int, w: int, first: np.ndarray,
             second: np.ndarray) -> np.ndarray:
    """A fill of shape (h, w, 3), float32 0-255, going from colour
    ``first`` to ``second``: a gradient (mostly top to bottom) or a split
    at 35-65 % of the height with a 1-2 px soft edge (as two-colour
    lettering is)."""
    if rng.random() < 0.5:
        angle = np.pi / 2 + rng.uniform(-0.5, 0.5) if rng.random() < 0.75 \
            else rng.uniform(0, 2 * np.pi)
        t = _ramp(h, w, angle)
    else:
        edge = rng.uniform(0.35, 0.65) * h
        softness = rng.uniform(0.5, 1.0)
        t = np.clip((np.arange(h, dtype=np.float32) - edge) / softness + 0.5,
                    0, 1)[:, None].repeat(w, axis=1)
    return (first + (second - first) * t[..., None]).astype(np.float32)


def uneven_light(rng: np.random.Generator, image: np.ndarray) -> np.ndarray:
    """``image`` (float 0-255) times a light field that falls from 1 to
    0.5-0.85 across the crop: a linear fall-off in a random direction,
    mixed half the time with a soft spot of light."""
    h, w = image.shape[:2]
    light = _ramp(h, w, rng.uniform(0, 2 * np.pi))
    if rng.random() < 0.5:
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        radius = rng.uniform(0.5, 1.5) * max(h, w) / 2
        spot = np.exp(-((x - cx)**2 + (y - cy)**2) / (2 * radius**2))
        light = 0.5 * light + 0.5 * spot / max(float(spot.max()), 1e-6)
    darkest = rng.uniform(0.5, 0.85)
    return image * (darkest + (1 - darkest) * light)[..., None]


def motion_blur(rng: np.random.Generator, image: np.ndarray) -> np.ndarray:
    """``image`` blurred along a line of 4-12 % of its height (at least 3
    px) at an angle within 30 degrees of horizontal, as a moving camera
    smears a sign."""
    h = image.shape[0]
    length = max(3, int(round(rng.uniform(0.04, 0.12) * h)))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rotation = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2),
                                       rng.uniform(-30, 30), 1)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return cv2.filter2D(image, -1, kernel / kernel.sum(),
                        borderType=cv2.BORDER_REFLECT)
