"""Synthetic scene-text word crops for one script (SynthMLT-style).

A sample is a word from the script's frequency list drawn in one of the
script's fonts (shaped by raqm), given an outline or shadow now and then,
warped by a small rotation, shear and perspective, composited in a colour
that contrasts with a flat, gradient, noisy or textured background, cropped
with background padding (never stretched borders), resized to the output
height and degraded by blur, resampling, noise and JPEG compression.

Every random choice of sample ``i`` comes from a generator seeded with
``(seed, lang, stream, i)``, so a sample does not depend on which process
draws it or on what was drawn before: output is byte-for-byte reproducible.
"""
import unicodedata
import zlib
from typing import (Collection, Dict, FrozenSet, List, NamedTuple, Optional,
                    Sequence, Tuple)

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont, features

from cllstr_mm.datasets.labels import label_length_limit, text_to_label
from cllstr_mm.utils.scripts import NO_SPACE_SCRIPTS
from .backgrounds import (MIN_CONTRAST, contrasting_colour, draw_background,
                          random_colour)
from .effects import padding
from .fonts import (FontFace, covers, find_fonts, load_font, require_shaping,
                    split_fonts)
from .numbers import address_text, number_text, punctuate
from .rare import RareClassSampler
from .words import case_variants, load_words, split_words

#: BCP 47 tags passed to raqm, so fonts pick their language-specific glyphs
#: (e.g. Chinese vs Japanese forms of the same Han character).
LANGUAGE_TAGS = {
    'ARA': 'ar',
    'BEN': 'bn',
    'CHI': 'zh-Hans',
    'HIN': 'hi',
    'JPN': 'ja',
    'KOR': 'ko',
    'LAT': None,
}
#: Most words joined into one sample. Chinese and Japanese signs run words
#: together without spaces, and Korean wordfreq entries are morphemes that
#: join into one spaced unit (eojeol).
MAX_WORDS = {'CHI': 3, 'JPN': 3, 'KOR': 2}
#: Scripts whose letters may be drawn apart (shop signs space them widely);
#: the others join their letters (Arabic) or hang them from a headline
#: (Bengali, Hindi), which spacing would break.
SPACEABLE_SCRIPTS = frozenset(('CHI', 'JPN', 'KOR', 'LAT'))
#: Range of the extra gap between spaced letters, in units of the font size.
SPACING_RANGE = (0.1, 1.0)
#: Probabilities of lower, Title and UPPER case for LAT.
CASE_PROBS = (0.5, 0.3, 0.2)
_MAX_TRIES = 50


class SynthSample(NamedTuple):
    """A rendered word before encoding.

    ``image`` is RGB uint8 of shape (H, W, 3); ``label`` is the CLL-STR label
    stored in the LMDB; ``text`` the rendered string; ``quality`` the JPEG
    quality it is encoded with.
    """
    image: np.ndarray
    label: str
    text: str
    font: FontFace
    quality: int


def _crc(text: str) -> int:
    return zlib.crc32(text.encode('utf-8'))


def _homography(rng: np.random.Generator, box: Tuple[float, float, float,
                                                     float]) -> np.ndarray:
    """Small random rotation, shear, width scale and perspective about the
    centre of ``box`` (x0, y0, x1, y1), as a 3x3 matrix."""
    x0, y0, x1, y1 = box
    cx, cy, th = (x0 + x1) / 2, (y0 + y1) / 2, y1 - y0
    angle = np.deg2rad(np.clip(rng.normal(0, 2.0), -5, 5))
    shear = rng.uniform(-0.25, 0.25) if rng.random() < 0.25 else 0.0
    scale_x = rng.uniform(0.85, 1.15)
    affine = np.array([[np.cos(angle), -np.sin(angle)],
                       [np.sin(angle), np.cos(angle)]]) @ np.array(
                           [[scale_x, -shear], [0, 1]])
    src = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    dst = (src - (cx, cy)) @ affine.T + (cx, cy)
    if rng.random() < 0.5:
        dst = dst + rng.uniform(-0.08, 0.08, (4, 2)) * th
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def _ink_box(mask: np.ndarray) -> Optional[Tuple[int, int, int, int]]:
    ys, xs = np.nonzero(mask > 16)
    if len(ys) == 0:
        return None
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


class WordImageSynthesizer:
    """Draws synthetic word crops of one script.

    Args:
        lang: One of ARA, BEN, CHI, HIN, JPN, KOR, LAT.
        words: Words to draw from (uniformly); default: the ``vocab_size``
            most frequent usable words (:func:`load_words`).
        fonts: Faces to draw with; default: :func:`find_fonts`. A face that
            lacks a glyph of the word is never used for it; a word no face
            covers is replaced by another word.
        seed: Non-negative int; with ``stream`` and the sample index it fixes
            every random choice.
        stream: Name that separates sample sequences with the same seed
            (e.g. ``'training'``, ``'validation'``, ``'SynthMLT'``).
        height: Range (inclusive) of the output height in px.
        jpeg_quality: Range (inclusive) of the JPEG quality.
        vocab_size: Number of words loaded when ``words`` is None.
        max_words: A sample joins 1 to ``max_words`` words (no space);
            default: :data:`MAX_WORDS`, else 1.
        font_dirs: Font folders searched when ``fonts`` is None.
        word_split: ``'all'``, ``'train'`` or ``'heldout'``: keep only the
            words of that part (:func:`~.words.split_words`), so training
            and evaluation words are disjoint.
        font_split: Same for font families
            (:func:`~.fonts.split_fonts`): ``'heldout'`` is the one family
            per script that training never sees.
        spaced_prob: Probability (0-1) that a sample of a
            :data:`SPACEABLE_SCRIPTS` script has its letters drawn apart by
            :data:`SPACING_RANGE` of the font size, as signs often are.
            The default 0 draws no extra random number, so data sets made
            before this option existed are made again byte for byte.
        charset: The dictionary's tokens. Default: the MLT19 charset, which
            default words are filtered to (:func:`~.words.load_words`);
            a given charset filters them instead (the release charset
            writes 99.5 % of running text, so it drops few), and rare draws
            choose among its classes.
        number_prob: Share (0-1) of samples that are number strings:
            prices, dates, times, phone numbers, quantities with units,
            percentages (:func:`~.numbers.number_text`).
        rare_prob: Share (0-1) of samples built around the ``charset``
            classes the word draws show least
            (:class:`~.rare.RareClassSampler`); needs ``charset``.
        space_prob: Share (0-1) of word samples that are 2-3 words joined
            by spaces (a multi-word crop); none in Chinese or Japanese,
            written without spaces.
        punct_prob: Share (0-1) of word samples with punctuation: a mark
            after them, brackets or quotes around them, a mark between
            two of them, a joining or leading sign
            (:func:`~.numbers.punctuate`).
        address_prob: Share (0-1) of LAT samples that are web or e-mail
            addresses made of its ASCII words
            (:func:`~.numbers.address_text`); other scripts draw none.
            With these five at 0 (the default) no random number is drawn
            for them either.

    Raises:
        RuntimeError: ``lang`` needs complex shaping and Pillow lacks raqm.
    """

    def __init__(self,
                 lang: str,
                 words: Optional[Sequence[str]] = None,
                 fonts: Optional[Sequence[FontFace]] = None,
                 seed: int = 0,
                 stream: str = 'training',
                 height: Tuple[int, int] = (32, 64),
                 jpeg_quality: Tuple[int, int] = (40, 95),
                 vocab_size: Optional[int] = 20000,
                 max_words: Optional[int] = None,
                 font_dirs: Optional[Sequence[str]] = None,
                 word_split: str = 'all',
                 font_split: str = 'all',
                 spaced_prob: float = 0.0,
                 charset: Optional[Collection[str]] = None,
                 number_prob: float = 0.0,
                 rare_prob: float = 0.0,
                 space_prob: float = 0.0,
                 punct_prob: float = 0.0,
                 address_prob: float = 0.0):
        require_shaping(lang)
        shares = dict(spaced_prob=spaced_prob, number_prob=number_prob,
                      rare_prob=rare_prob, space_prob=space_prob,
                      punct_prob=punct_prob, address_prob=address_prob)
        for name, value in shares.items():
            if not 0 <= value <= 1:
                raise ValueError(f'{name} must be within 0..1, got {value}')
        if number_prob + rare_prob + address_prob > 1:
            raise ValueError(
                'number_prob + rare_prob + address_prob must be <= 1, got '
                f'{number_prob} + {rare_prob} + {address_prob}')
        if rare_prob and charset is None:
            raise ValueError('rare_prob needs the charset whose classes it '
                             'draws (charset=...)')
        if seed < 0:
            raise ValueError(f'seed must be >= 0, got {seed}')
        if not 8 <= height[0] <= height[1]:
            raise ValueError(f'height must be a range (lo, hi) with '
                             f'8 <= lo <= hi, got {height}')
        if not 1 <= jpeg_quality[0] <= jpeg_quality[1] <= 100:
            raise ValueError('jpeg_quality must be a range within 1..100, '
                             f'got {jpeg_quality}')
        self.lang = lang
        if words is None and charset is None:
            words = load_words(lang, vocab_size)
        elif words is None:
            words = load_words(lang, vocab_size, charset=frozenset(charset))
        self.words = split_words(words, word_split)
        if not self.words:
            raise ValueError(f'no {lang} words left (word split '
                             f'{word_split!r})')
        self.fonts = split_fonts(
            fonts if fonts is not None else find_fonts(lang, font_dirs),
            lang, font_split)
        self.seed = seed
        self.stream = stream
        self.height = height
        self.jpeg_quality = jpeg_quality
        self.max_words = max_words or MAX_WORDS.get(lang, 1)
        self.spaced_prob = spaced_prob if lang in SPACEABLE_SCRIPTS else 0.0
        self.number_prob = number_prob
        self.rare_prob = rare_prob
        self.space_prob = space_prob
        self.punct_prob = punct_prob
        self.address_prob = address_prob if lang == 'LAT' else 0.0
        self._address_words = [
            w for w in self.words if w.isascii() and w.isalpha()
            and w.islower()] if self.address_prob else []
        if self.address_prob and not self._address_words:
            raise ValueError('address_prob needs lower-case ASCII words')
        self.rare = RareClassSampler(
            lang, self.words, charset, rare_prob,
            words_per_sample=(1 + self.max_words) / 2) if rare_prob else None
        families: Dict[str, List[int]] = {}
        for i, face in enumerate(self.fonts):
            families.setdefault(face.family, []).append(i)
        self._families = sorted(families.items())
        self._word_faces: Dict[str, FrozenSet[int]] = {}
        # Pillow applies `direction`/`language` only through raqm.
        self._layout_kwargs = dict(
            direction='rtl' if lang == 'ARA' else 'ltr',
            language=LANGUAGE_TAGS[lang]) if features.check('raqm') else {}

    def __getstate__(self):
        state = self.__dict__.copy()
        state['_word_faces'] = {}  # a cache, rebuilt in each worker
        return state

    def rng(self, index: int) -> np.random.Generator:
        """The random generator of sample ``index``."""
        return np.random.default_rng(
            [self.seed, _crc(self.lang),
             _crc(self.stream), index])

    def covering_faces(self, words: Sequence[str]) -> List[List[FontFace]]:
        """Faces that have every glyph of all ``words``, grouped by family
        (families in name order)."""
        usable = None
        for word in words:
            if word not in self._word_faces:
                self._word_faces[word] = frozenset(
                    i for i, face in enumerate(self.fonts)
                    if covers(face, word))
            usable = self._word_faces[word] if usable is None \
                else usable & self._word_faces[word]
        groups = [[self.fonts[i] for i in faces if i in usable]
                  for _, faces in self._families]
        return [group for group in groups if group]

    def draw(self, index: int) -> SynthSample:
        """Render sample ``index``."""
        rng = self.rng(index)
        for _ in range(_MAX_TRIES):
            chosen = self._choose(rng)
            if chosen is None:
                continue
            text, label, face = chosen
            image = self._render(text, face, rng)
            if image is not None:
                quality = int(rng.integers(self.jpeg_quality[0],
                                           self.jpeg_quality[1] + 1))
                return SynthSample(image, label, text, face, quality)
        raise self._failure()

    def label(self, index: int) -> str:
        """The label of sample ``index`` without rendering it (about a
        thousand times faster): the same draws as :meth:`draw`, so the
        same label unless rendering fails and :meth:`draw` draws again
        (an empty crop: rare)."""
        rng = self.rng(index)
        for _ in range(_MAX_TRIES):
            chosen = self._choose(rng)
            if chosen is not None:
                return chosen[1]
        raise self._failure()

    def _choose(self, rng: np.random.Generator
                ) -> Optional[Tuple[str, str, FontFace]]:
        """Text, its label and a face that has every glyph of it; None
        when no face covers the text or its label is too long."""
        text, parts = self._text(rng)
        families = self.covering_faces(parts)
        label = text_to_label(text, self.lang)
        if not families or len(label) > label_length_limit(label):
            return None
        family = families[int(rng.integers(len(families)))]
        face = family[int(rng.integers(len(family)))]
        return text, label, face

    def _text(self, rng: np.random.Generator) -> Tuple[str, List[str]]:
        """Text of a sample and the parts its font must cover (words of
        the vocabulary, whose coverage is cached, and single characters of
        generated strings, so that the cache stays bounded)."""
        if not (self.number_prob or self.rare_prob or self.space_prob
                or self.punct_prob or self.address_prob):
            words = [
                self._spelling(rng)
                for _ in range(1 + int(rng.integers(self.max_words)))
            ]
            return ''.join(words), words
        kind = rng.random()
        if kind < self.number_prob:
            text = number_text(rng, self.lang)
            return text, list(dict.fromkeys(text))
        if kind < self.number_prob + self.rare_prob:
            text = self.rare.draw(rng)
            return text, list(dict.fromkeys(text))
        if kind < self.number_prob + self.rare_prob + self.address_prob:
            text = address_text(rng, self._address_words)
            return text, list(dict.fromkeys(text))
        count, separator = 1 + int(rng.integers(self.max_words)), ''
        # Chinese and Japanese are written without spaces (the real dev
        # sets' lines have none): a blank between their words is no space
        if self.space_prob and rng.random() < self.space_prob \
                and self.lang not in NO_SPACE_SCRIPTS:
            count, separator = 2 + int(rng.integers(2)), ' '
        words = [self._spelling(rng) for _ in range(count)]
        if self.punct_prob and rng.random() < self.punct_prob:
            text = punctuate(rng, words, self.lang, separator)
            return text, words + list(dict.fromkeys(text))
        return separator.join(words), words

    def _failure(self) -> RuntimeError:
        return RuntimeError(
            f'could not draw a {self.lang} word in {_MAX_TRIES} tries: no '
            'font covers the sampled words or the labels are too long '
            f'({len(self.words)} words, {len(self.fonts)} faces)')

    def _spelling(self, rng: np.random.Generator) -> str:
        word = self.words[int(rng.integers(len(self.words)))]
        variants = case_variants(word, self.lang)
        if len(variants) == 1:
            return word
        return variants[int(rng.choice(len(variants), p=CASE_PROBS))]

    def sample(self, index: int) -> Tuple[bytes, str]:
        """Sample ``index`` as (JPEG bytes, label), as stored in the LMDB."""
        return encode(self.draw(index))

    def _render(self, text: str, face: FontFace,
                rng: np.random.Generator) -> Optional[np.ndarray]:
        out_h = int(rng.integers(self.height[0], self.height[1] + 1))
        size = max(8, int(round(out_h * rng.uniform(0.8, 1.2))))
        font = load_font(face, size)
        effect = rng.choice(('plain', 'outline', 'shadow'),
                            p=(0.76, 0.12, 0.12))
        stroke = max(1, int(round(size * rng.uniform(0.04, 0.08)))) \
            if effect == 'outline' else 0
        gap = size * rng.uniform(*SPACING_RANGE) \
            if self.spaced_prob and rng.random() < self.spaced_prob else 0.0
        masks = self._text_masks(text, font, gap,
                                 (0, stroke) if stroke else (0, ))
        if masks is None:
            return None
        h, w = masks.shape[:2]
        if effect == 'shadow':
            shift = np.float32([[1, 0, rng.uniform(0.03, 0.08) * size *
                                 rng.choice((-1, 1))],
                                [0, 1, rng.uniform(0.03, 0.08) * size]])
            shadow = cv2.warpAffine(masks[..., 0], shift, (w, h))
            masks[..., 2] = cv2.GaussianBlur(shadow, (0, 0),
                                             rng.uniform(0.3, 1.5))
        box = (size, size, w - size, h - size)
        warped = cv2.warpPerspective(
            masks, _homography(rng, box), (w, h), flags=cv2.INTER_LINEAR)
        ink = _ink_box(warped.max(axis=2))
        if ink is None:
            return None
        crop = self._crop(warped, ink, padding(rng, 'normal'))
        return self._compose(crop, out_h, effect, rng)

    def _text_masks(self, text: str, font: ImageFont.FreeTypeFont,
                    gap: float,
                    widths: Sequence[int]) -> Optional[np.ndarray]:
        """``text`` (laid out by :meth:`_layout` with ``gap``) drawn white
        on black once per stroke width of ``widths`` (px), into channels
        0, 1, ... of a (H, W, 3) uint8 canvas that leaves a margin of the
        font size around the ink; the other channels stay 0 (channel 2 is
        for a shadow). None when the text has no ink box."""
        runs = self._layout(text, font, gap)
        boxes = [
            font.getbbox(run, stroke_width=max(widths),
                         **self._layout_kwargs) for _, run in runs
        ]
        x0 = min(x + box[0] for (x, _), box in zip(runs, boxes))
        x1 = max(x + box[2] for (x, _), box in zip(runs, boxes))
        y0 = min(box[1] for box in boxes)
        y1 = max(box[3] for box in boxes)
        if x1 <= x0 or y1 <= y0:
            return None
        margin = font.size
        w, h = int(x1 - x0) + 2 * margin, int(y1 - y0) + 2 * margin
        masks = np.zeros((h, w, 3), np.uint8)
        for channel, width in enumerate(widths):
            layer = Image.new('L', (w, h))
            draw = ImageDraw.Draw(layer)
            for x, run in runs:
                draw.text((margin - x0 + x, margin - y0),
                          run,
                          fill=255,
                          font=font,
                          stroke_width=width,
                          stroke_fill=255,
                          **self._layout_kwargs)
            masks[..., channel] = np.asarray(layer)
        return masks

    def _layout(self, text: str, font: ImageFont.FreeTypeFont,
                gap: float) -> List[Tuple[float, str]]:
        """``text`` as runs drawn at x offsets (px): one run, or with a
        ``gap`` (px) each letter (with its combining marks) on its own,
        ``gap`` beyond the previous letter's advance."""
        if not gap:
            return [(0.0, text)]
        letters: List[str] = []
        for char in text:
            if letters and unicodedata.combining(char):
                letters[-1] += char
            else:
                letters.append(char)
        runs, x = [], 0.0
        for letter in letters:
            runs.append((x, letter))
            x += font.getlength(letter, **self._layout_kwargs) + gap
        return runs

    @staticmethod
    def _crop(masks: np.ndarray, ink: Tuple[int, int, int, int],
              pads: np.ndarray) -> np.ndarray:
        """Cut the ink box with padding of ``pads`` (left, right, top,
        bottom, in units of the ink height); padding beyond the canvas is
        empty mask (it becomes background, not a stretched border)."""
        x0, y0, x1, y1 = ink
        left, right, top, bottom = (pads * (y1 - y0)).astype(int)
        x0, y0, x1, y1 = x0 - left, y0 - top, x1 + right, y1 + bottom
        h, w = masks.shape[:2]
        pad = ((max(0, -y0), max(0, y1 - h)), (max(0, -x0), max(0, x1 - w)),
               (0, 0))
        masks = np.pad(masks, pad)
        return masks[y0 + pad[0][0]:y1 + pad[0][0],
                     x0 + pad[1][0]:x1 + pad[1][0]]

    def _compose(self, masks: np.ndarray, out_h: int, effect: str,
                 rng: np.random.Generator) -> np.ndarray:
        h, w = masks.shape[:2]
        bg_colour = random_colour(rng)
        fg_colour = contrasting_colour(rng, bg_colour, MIN_CONTRAST)
        image = draw_background(rng, h, w, bg_colour)
        alpha = masks.astype(np.float32)[..., None] / 255
        if effect == 'shadow':
            shadow_colour = contrasting_colour(rng, fg_colour, MIN_CONTRAST)
            strength = rng.uniform(0.5, 0.9)
            image += (shadow_colour - image) * alpha[:, :, 2] * strength
        elif effect == 'outline':
            outline_colour = contrasting_colour(rng, fg_colour, MIN_CONTRAST)
            image += (outline_colour - image) * alpha[:, :, 1]
        fg = np.broadcast_to(fg_colour, image.shape).astype(np.float32)
        if rng.random() < 0.15:  # gradient text, e.g. printed signs
            fg = draw_background(rng, h, w, fg_colour)
        image += (fg - image) * alpha[:, :, 0]
        return _degrade(_to_height(image, out_h), rng)


def _to_height(image: np.ndarray, out_h: int) -> np.ndarray:
    """``image`` resized to ``out_h`` rows, keeping its aspect ratio
    (width at least 8 px)."""
    h, w = image.shape[:2]
    return cv2.resize(
        image, (max(8, int(round(w * out_h / h))), out_h),
        interpolation=cv2.INTER_AREA if out_h < h else cv2.INTER_CUBIC)


def _degrade(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Camera-like losses: blur, low resolution, sensor noise. Float in,
    uint8 RGB out."""
    h, w = image.shape[:2]
    if rng.random() < 0.3:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.4, 1.1))
    if rng.random() < 0.2:
        scale = rng.uniform(0.5, 0.8)
        small = cv2.resize(
            image, (max(1, int(w * scale)), max(1, int(h * scale))),
            interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.4:
        image = image + rng.normal(0, rng.uniform(2, 8), image.shape)
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def encode(sample: SynthSample) -> Tuple[bytes, str]:
    """JPEG-encode a sample: (image bytes, label)."""
    ok, buf = cv2.imencode('.jpg', cv2.cvtColor(sample.image,
                                                cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, sample.quality,
                            cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise RuntimeError(f'JPEG encoding failed for {sample.text!r}')
    return buf.tobytes(), sample.label
