"""Random looks of a word as CSS: the font, its weight and size, the fill
(plain or two-tone), outline and drop shadow, the card behind the word
(flat, gradient or textured) and the card's 2-D or 3-D transform. Pure
functions of a random generator, so a seed fixes every look."""
import html
from typing import NamedTuple, Sequence, Tuple

import numpy as np

from ..backgrounds import contrasting_colour, luma, random_colour
from .fonts import BrowserFont, covers

#: BCP 47 tags, so Chromium picks each font's language-specific forms.
LANGUAGE_TAGS = {'ARA': 'ar', 'BEN': 'bn', 'CHI': 'zh-Hans', 'HIN': 'hi',
                 'JPN': 'ja', 'KOR': 'ko', 'LAT': 'en'}
#: Scripts whose letters join or hang from a headline, which letter
#: spacing would break (as in the training generator).
UNSPACED_SCRIPTS = ('ARA', 'BEN', 'HIN')
#: Font size range in CSS px.
FONT_SIZES = (24, 72)
#: Smallest luma difference (0-1) between the text and any colour of the
#: card behind it.
MIN_CONTRAST = 0.45


class WordStyle(NamedTuple):
    """One word's look: ``font`` is the family drawn, ``text_css`` and
    ``card_css`` the inline styles of the word and of the card behind it,
    ``scene_css`` the style of the surface around the card."""
    font: BrowserFont
    text_css: str
    card_css: str
    scene_css: str


def css_colour(colour: np.ndarray, alpha: float = 1.0) -> str:
    r, g, b = (int(round(c)) for c in colour)
    return f'rgba({r},{g},{b},{alpha:.2f})'


def _card_background(rng: np.random.Generator) -> Tuple[str, list]:
    """A CSS background and the colours the text must contrast with."""
    base = random_colour(rng)
    kind = rng.choice(('flat', 'gradient', 'stripes', 'dots', 'noise'),
                      p=(0.3, 0.3, 0.13, 0.12, 0.15))
    if kind == 'flat':
        return css_colour(base), [base]
    # a second colour close in luma, so one text colour contrasts with both
    other = np.clip(base + rng.uniform(-60, 60, 3), 0, 255)
    if kind == 'gradient':
        angle = rng.integers(0, 360)
        return (f'linear-gradient({angle}deg, {css_colour(base)}, '
                f'{css_colour(other)})'), [base, other]
    if kind == 'stripes':
        width = rng.uniform(3, 14)
        return (f'repeating-linear-gradient({rng.integers(0, 180)}deg, '
                f'{css_colour(base)} 0 {width:.1f}px, {css_colour(other)} '
                f'{width:.1f}px {2 * width:.1f}px)'), [base, other]
    if kind == 'dots':
        step = rng.uniform(6, 16)
        return (f'radial-gradient({css_colour(other)} 25%, transparent 26%) '
                f'0 0 / {step:.1f}px {step:.1f}px, {css_colour(base)}'), [
                    base, other]
    # fractal noise from an SVG filter, blended over the base colour
    frequency = rng.uniform(0.02, 0.3)
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' width='300' height='300'>"
           "<filter id='n'><feTurbulence type='fractalNoise' "
           f"baseFrequency='{frequency:.3f}' numOctaves='3' "
           f"seed='{rng.integers(0, 1000)}'/><feColorMatrix type='saturate' "
           "values='0'/></filter><rect width='300' height='300' "
           "filter='url(%23n)' opacity='0.35'/></svg>")
    dark = np.clip(base - 45, 0, 255)
    return (f'url("data:image/svg+xml,{svg}"), {css_colour(base)}',
            [base, dark, np.clip(base + 45, 0, 255)])


def _contrasting(rng: np.random.Generator,
                 behind: Sequence[np.ndarray]) -> np.ndarray:
    """A colour whose luma differs from every colour of ``behind`` by at
    least :data:`MIN_CONTRAST`, else black or white (whichever differs
    more from the mean)."""
    for _ in range(50):
        colour = contrasting_colour(rng, behind[0], MIN_CONTRAST)
        if all(abs(luma(colour) - luma(b)) >= MIN_CONTRAST
               for b in behind):
            return colour
    mean = np.mean([luma(b) for b in behind])
    return np.full(3, 0.0 if mean > 0.5 else 255.0)


def _fill(rng: np.random.Generator, behind: Sequence[np.ndarray],
          size: int) -> str:
    """CSS of the letters: colour, and now and then a two-tone gradient
    fill, an outline or a drop shadow (never a shadow over a gradient
    fill, which Chromium paints on top of it)."""
    colour = _contrasting(rng, behind)
    parts = [f'color: {css_colour(colour)}']
    effect = rng.choice(('plain', 'two-tone', 'outline', 'hollow', 'shadow',
                         'glow', 'extrude'),
                        p=(0.35, 0.14, 0.13, 0.06, 0.16, 0.06, 0.1))
    if effect == 'two-tone':
        second = _contrasting(rng, behind)
        stop = rng.uniform(35, 65)
        split = f'{stop:.0f}%' if rng.random() < 0.5 else '100%'
        parts = [f'background: linear-gradient({rng.choice((90, 180))}deg, '
                 f'{css_colour(colour)} {stop:.0f}%, {css_colour(second)} '
                 f'{split})', '-webkit-background-clip: text',
                 'background-clip: text', 'color: transparent']
    elif effect in ('outline', 'hollow'):
        # the outline contrasts with the letters' colour, or for hollow
        # letters (outline only) with the card
        stroke = _contrasting(rng, [colour] if effect == 'outline' else
                              behind)
        width = max(1.2, size * rng.uniform(0.02, 0.06))
        parts.append(f'-webkit-text-stroke: {width:.1f}px '
                     f'{css_colour(stroke)}')
        parts.append('paint-order: stroke fill')
        if effect == 'hollow':
            parts[0] = 'color: transparent'
    elif effect == 'shadow':
        dx, dy = rng.uniform(0.02, 0.09, 2) * size * rng.choice((-1, 1), 2)
        blur = rng.choice((0.0, rng.uniform(0.02, 0.12) * size))
        shade = np.full(3, 0.0) if luma(colour) > 0.3 else np.full(3, 255.0)
        parts.append(f'text-shadow: {dx:.1f}px {abs(dy):.1f}px {blur:.1f}px '
                     f'{css_colour(shade, rng.uniform(0.5, 0.9))}')
    elif effect == 'glow':
        glow = _contrasting(rng, [colour])
        parts.append(f'text-shadow: 0 0 {size * 0.15:.1f}px '
                     f'{css_colour(glow)}, 0 0 {size * 0.05:.1f}px '
                     f'{css_colour(glow)}')
    elif effect == 'extrude':
        # deeper than a stroke is wide, letters merge into one blot
        depth = int(rng.integers(1, max(2, size // 14) + 1))
        shade = np.clip(colour * rng.uniform(0.2, 0.5), 0, 255)
        parts.append('text-shadow: ' + ', '.join(
            f'{k}px {k}px 0 {css_colour(shade)}' for k in range(1, depth + 1)))
    return '; '.join(parts)


def _transform(rng: np.random.Generator) -> str:
    """A mild rotation, shear or perspective tilt of the card (or none)."""
    parts = []
    if rng.random() < 0.45:
        parts.append(f'rotate({rng.uniform(-6, 6):.1f}deg)')
    if rng.random() < 0.35:
        # a far eye: a near one shrinks a long word's far end to nothing
        parts.append(f'perspective({rng.integers(600, 1400)}px) '
                     f'rotateY({rng.uniform(-25, 25):.0f}deg) '
                     f'rotateX({rng.uniform(-20, 20):.0f}deg)')
    if rng.random() < 0.15:
        parts.append(f'skewX({rng.uniform(-12, 12):.0f}deg)')
    return f'transform: {" ".join(parts)}' if parts else ''


def draw_style(lang: str, text: str, fonts: Sequence[BrowserFont],
               rng: np.random.Generator) -> WordStyle:
    """A random :class:`WordStyle` for ``text`` in one of the ``fonts`` that
    has all its characters.

    Raises:
        ValueError: No font of ``fonts`` covers ``text``.
    """
    usable = [f for f in fonts if covers(f, text)]
    if not usable:
        raise ValueError(f'no {lang} font covers {text!r}')
    font = usable[rng.integers(0, len(usable))]
    weight = rng.choice(font.weights, p=_weight_probs(len(font.weights)))
    size = int(rng.integers(FONT_SIZES[0], FONT_SIZES[1] + 1))
    background, behind = _card_background(rng)
    text_css = [f"font-family: '{font.family}'", f'font-weight: {weight}',
                f'font-size: {size}px', _fill(rng, behind, size)]
    if lang == 'LAT' and rng.random() < 0.2:
        text_css.append('font-style: italic')
    if lang not in UNSPACED_SCRIPTS and rng.random() < 0.3:
        text_css.append(f'letter-spacing: {rng.uniform(-0.03, 0.15):.2f}em')
    scene = random_colour(rng)
    card_css = [f'background: {background}']
    if rng.random() < 0.3:
        card_css.append(f'border-radius: {rng.integers(2, 20)}px')
    card_css.append(_transform(rng))
    return WordStyle(font, '; '.join(text_css),
                     '; '.join(c for c in card_css if c),
                     f'background: {css_colour(scene)}')


def _weight_probs(count: int) -> Tuple[float, ...]:
    """Normal most often, then bold, then black."""
    return ((1.0, ), (0.6, 0.4), (0.5, 0.32, 0.18))[count - 1]


def cell_html(index: int, lang: str, text: str, style: WordStyle) -> str:
    """A scene holding a card holding the word, as one HTML element; the
    scene's ``id`` is ``w<index>``. Arabic takes its direction from its
    first strong letter (``dir=auto``), so a number or price without Arabic
    letters reads left to right, as signs write it."""
    direction = 'auto' if lang == 'ARA' else 'ltr'
    return (f'<div class="scene" id="w{index}" '
            f'style="{html.escape(style.scene_css)}">'
            f'<div class="card" style="{html.escape(style.card_css)}">'
            f'<span class="t" lang="{LANGUAGE_TAGS[lang]}" dir="{direction}" '
            f'style="{html.escape(style.text_css)}">{html.escape(text)}'
            '</span></div></div>')
