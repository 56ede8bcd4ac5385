"""Synthetic words with opt-in looks: the second release's training data.

:class:`StyledWordImageSynthesizer` draws what
:class:`~.render.WordImageSynthesizer` draws, plus, with the probabilities
of a ``style`` (:class:`~.effects.Style`): born-digital clean words,
photograph backgrounds (:mod:`.photos`), two-tone text, outlines and drop
shadows of varying size, uneven light, motion blur, tight and loose crops,
bold and heavy faces, the cut ends of neighbouring words or a frame at the
crop's sides, and the families of ``font_set='release2'``. Without a
style it is the base class, byte for byte.
"""
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .effects import (Look, Style, draw_look, motion_blur, padding,
                      parse_style, pick_weight, two_tone, uneven_light)
from .fonts import FontFace, covers, find_fonts, load_font
from .photos import calm_under_text, find_wallpapers, photo_patch
from .backgrounds import (MIN_CONTRAST, contrasting_colour, draw_background,
                          luma, random_colour)
from .render import (SPACING_RANGE, WordImageSynthesizer, _degrade,
                     _homography, _ink_box, _to_height)

#: On a photograph the text's luma differs from the mean behind it by at
#: least PHOTO_CONTRAST, and 95 % of the photo near the text stays within
#: PHOTO_BAND of that mean (:func:`~.photos.calm_under_text`): at least
#: 0.35 between text and what is behind it (procedural backgrounds: 0.3).
PHOTO_CONTRAST = 0.5
PHOTO_BAND = 0.15


class StyledWordImageSynthesizer(WordImageSynthesizer):
    """:class:`~.render.WordImageSynthesizer` with the looks of ``style``.

    Args:
        lang: One of ARA, BEN, CHI, HIN, JPN, KOR, LAT.
        style: None (the base class's samples, byte for byte), a name of
            :data:`~.effects.STYLES` (``'release2'``) or a dict of
            :class:`~.effects.Style` fields, e.g. ``dict(photo_bg=0.3,
            clean=0.15, font_set='release2')`` (fields left out are 0).
        fonts: Faces to draw with; default: :func:`~.fonts.find_fonts` of
            the style's ``font_set``.
        font_dirs: Font folders searched when ``fonts`` is None.
        **kwargs: The base class's other arguments (``seed``, ``stream``,
            ``height``, ``font_split``, ...).

    A bold, heavy or clean look draws the text in a face of the drawn
    family that has that weight (or emboldens one), so the ``font`` of its
    :class:`~.render.SynthSample` names the family but may be another of
    its faces. Every sample is JPEG-encoded at a quality of
    ``jpeg_quality``, clean ones too.

    Raises:
        ValueError: A bad style (:func:`~.effects.parse_style`).
        FileNotFoundError: ``photo_bg`` > 0 and no wallpaper photograph is
            installed (the message names the Debian packages).
    """

    def __init__(self,
                 lang: str,
                 style: Optional[Union[str, Mapping, Style]] = None,
                 fonts: Optional[Sequence[FontFace]] = None,
                 font_dirs: Optional[Sequence[str]] = None,
                 **kwargs):
        self.style = None if style is None else parse_style(style)
        if fonts is None and self.style is not None:
            fonts = find_fonts(lang, font_dirs, self.style.font_set)
        super().__init__(lang, fonts=fonts, font_dirs=font_dirs, **kwargs)
        self.wallpapers = find_wallpapers() \
            if self.style is not None and self.style.photo_bg else []
        self._family_faces: Dict[str, List[FontFace]] = {}
        for face in self.fonts:
            self._family_faces.setdefault(face.family, []).append(face)

    def _render(self, text: str, face: FontFace,
                rng: np.random.Generator) -> Optional[np.ndarray]:
        if self.style is None:
            return super()._render(text, face, rng)
        look = draw_look(rng, self.style)
        out_h = int(rng.integers(self.height[0], self.height[1] + 1))
        size = max(8, int(round(out_h * rng.uniform(0.8, 1.2))))
        bold = 0
        if look.weight:
            # faces of the family that have every glyph (the drawn one does,
            # unless the text has a character that only its parts were
            # checked for, e.g. the space between joined words)
            faces = [f for f in self._family_faces[face.family]
                     if covers(f, text)] or [face]
            face, embolden = pick_weight(rng, faces, look.weight)
            bold = max(1, int(round(size * embolden))) if embolden else 0
        stroke = max(1, int(round(size * rng.uniform(0.03, 0.10)))) \
            if look.outline else 0
        gap = size * rng.uniform(*SPACING_RANGE) \
            if self.spaced_prob and rng.random() < self.spaced_prob else 0.0
        font = load_font(face, size)
        # stroke widths of the fill and, with an outline, the outline
        widths = (bold, bold + stroke) if stroke else (bold, )
        masks = self._text_masks(text, font, gap, widths)
        if masks is None:
            return None
        h, w = masks.shape[:2]
        if look.shadow:
            angle = rng.uniform(0, 2 * np.pi)
            offset = rng.uniform(0.04, 0.15) * size
            shift = np.float32([[1, 0, offset * np.cos(angle)],
                                [0, 1, offset * np.sin(angle)]])
            shadow = cv2.warpAffine(masks[..., :2].max(axis=2), shift, (w, h))
            masks[..., 2] = cv2.GaussianBlur(
                shadow, (0, 0), max(0.3, rng.uniform(0.0, 0.1) * size))
        if not look.clean:
            masks = cv2.warpPerspective(
                masks, _homography(rng, (size, size, w - size, h - size)),
                (w, h), flags=cv2.INTER_LINEAR)
        ink = _ink_box(masks.max(axis=2))
        if ink is None:
            return None
        pads = padding(rng, look.padding)
        if look.neighbours:
            masks, ink, pads = self._add_neighbours(masks, ink, pads, font,
                                                    widths, rng)
        crop = self._crop(masks, ink, pads)
        return self._compose_look(crop, out_h, look, rng)

    def _add_neighbours(
        self, masks: np.ndarray, ink: Tuple[int, int, int, int],
        pads: np.ndarray, font, widths: Sequence[int],
        rng: np.random.Generator
    ) -> Tuple[np.ndarray, Tuple[int, int, int, int], np.ndarray]:
        """Draw what a real crop takes in beside its word, on the left,
        the right or both: the end of another word of the vocabulary in the
        same face, its top level with the word's ink, 0.1-0.4 font sizes
        away (2 in 3), or a bar 3-12 % of the font size wide, 0.05-0.3 font
        sizes away (a sign's frame); and widen that side's padding so that
        the crop's edge cuts it 0.05-0.35 font sizes in (a bar shows
        whole).

        Args:
            masks: The word's (fill, outline, shadow) masks ``(H, W, 3)``.
            ink: The word's ink box ``(x0, y0, x1, y1)`` in ``masks``.
            pads: Padding (left, right, top, bottom) in ink heights.
            font: The word's face at its size.
            widths: Stroke widths (px) of the fill and outline channels.

        Returns:
            The masks, one font size wider on each side, the word's ink
            box in them, and the padding.
        """
        size = font.size
        masks = np.pad(masks, ((0, 0), (size, size), (0, 0)))
        x0, y0, x1, y1 = ink[0] + size, ink[1], ink[2] + size, ink[3]
        pads = pads.copy()
        # the left side alone, the right alone, or both: a third each
        side = rng.random()
        drawn = (side < 1 / 3 or side >= 2 / 3, side >= 1 / 3)
        layers = [Image.fromarray(masks[..., c]) for c in range(len(widths))]
        for number, right in enumerate((False, True)):
            if not drawn[number]:
                continue
            if rng.random() < 2 / 3:
                gap = rng.uniform(0.1, 0.4) * size
                word = self._spelling(rng)
                box = font.getbbox(word, **self._layout_kwargs)
                x = x1 + gap - box[0] if right else x0 - gap - box[2]
                for layer, width in zip(layers, widths):
                    ImageDraw.Draw(layer).text(
                        (x, y0 - box[1]), word, fill=255, font=font,
                        stroke_width=width, stroke_fill=255,
                        **self._layout_kwargs)
                reach = gap + rng.uniform(0.05, 0.35) * size
            else:
                gap = rng.uniform(0.05, 0.3) * size
                bar = max(1.0, rng.uniform(0.03, 0.12) * size)
                left = x1 + gap if right else x0 - gap - bar
                for layer in layers:
                    ImageDraw.Draw(layer).rectangle(
                        (left, 0, left + bar, masks.shape[0]), fill=255)
                reach = gap + bar + rng.uniform(0.0, 0.1) * size
            pads[number] = max(pads[number], reach / max(y1 - y0, 1))
        for channel, layer in enumerate(layers):
            masks[..., channel] = np.asarray(layer)
        return masks, (x0, y0, x1, y1), pads

    def _compose_look(self, masks: np.ndarray, out_h: int, look: Look,
                      rng: np.random.Generator) -> np.ndarray:
        """Colour the (fill, outline, shadow) ``masks`` over a background,
        resize to ``out_h`` rows and degrade: uint8 RGB."""
        h, w = masks.shape[:2]
        alpha = masks.astype(np.float32)[..., None] / 255
        if look.clean:
            background, text = _clean_colours(rng)
            image = np.empty((h, w, 3), np.float32)
            image[:] = background
            image += (text - image) * alpha[:, :, 0]
            return np.clip(np.round(_to_height(image, out_h)), 0,
                           255).astype(np.uint8)
        if look.photo_bg:
            reach = 2 * max(1, h // 16) + 1
            near_text = cv2.dilate(masks[..., :2].max(axis=2),
                                   np.ones((reach, reach), np.uint8)) > 16
            image, bg_colour = calm_under_text(
                photo_patch(rng, self.wallpapers, h, w), near_text,
                PHOTO_BAND)
            contrast = PHOTO_CONTRAST
        else:
            bg_colour = random_colour(rng)
            image = draw_background(rng, h, w, bg_colour)
            contrast = MIN_CONTRAST
        fg_colour = contrasting_colour(rng, bg_colour, contrast)
        if look.shadow:
            colour = contrasting_colour(rng, fg_colour, MIN_CONTRAST)
            image += (colour - image) * alpha[:, :, 2] * rng.uniform(0.5, 0.9)
        if look.outline:
            colour = contrasting_colour(rng, fg_colour, MIN_CONTRAST)
            image += (colour - image) * alpha[:, :, 1]
        fg = two_tone(rng, h, w, fg_colour,
                      contrasting_colour(rng, bg_colour, contrast)) \
            if look.two_tone else fg_colour
        image += (fg - image) * alpha[:, :, 0]
        if look.uneven_light:
            image = uneven_light(rng, image)
        image = _to_height(image, out_h)
        if look.motion_blur:
            image = motion_blur(rng, image)
        return _degrade(image, rng)


def _clean_colours(rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
    """(background, text) colours of a born-digital word: white half the
    time, else a light colour (luma >= 0.85), behind black half the time,
    else a dark colour (luma <= 0.25)."""
    background = np.full(3, 255.0) if rng.random() < 0.5 else \
        _colour_of_luma(rng, 0.85, 1.0)
    text = np.zeros(3) if rng.random() < 0.5 else \
        _colour_of_luma(rng, 0.0, 0.25)
    return background, text


def _colour_of_luma(rng: np.random.Generator, low: float,
                    high: float) -> np.ndarray:
    """A random colour (:func:`~.backgrounds.random_colour`) whose luma is
    within ``low``-``high``; the grey in the middle if 50 draws miss."""
    for _ in range(50):
        colour = random_colour(rng)
        if low <= luma(colour) <= high:
            return colour
    return np.full(3, 255 * (low + high) / 2)
