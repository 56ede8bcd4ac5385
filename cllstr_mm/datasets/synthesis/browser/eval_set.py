"""The second renderer's evaluation set: held-out words and non-words in
font families training never uses, drawn by Chromium in looks the training
generator does not make, then degraded.

Word ``i`` of a script takes every random choice from generators seeded
with ``(seed, script, i, stage)``, so it does not depend on the other words.
"""
import glob
import os
import os.path as osp
import time
from typing import Callable, Dict, List, NamedTuple, Sequence

import numpy as np

from cllstr_mm.utils.languages import LANGUAGES
from .chromium import ink_box, render_page
from .degrade import degrade
from .fonts import BrowserFont, browser_fonts
from .style import cell_html, draw_style
from .text import draw_string, heldout_words

#: Words laid out on one page (one pair of screenshots).
PAGE_SIZE = 40
#: Range of the background margin left around the ink on each side, as a
#: fraction of the ink's height.
PAD_RANGE = (0.04, 0.30)
#: Tries to draw a string that one of the script's fonts can draw.
_MAX_TRIES = 50
_PAGE_CSS = (
    'body { margin: 0; padding: 16px; display: flex; flex-wrap: wrap; '
    'gap: 24px; align-items: flex-start; background: #808080; }'
    '.scene { padding: 0.9em 1.2em; font-size: 40px; }'
    '.card { display: inline-block; padding: 0.45em 0.6em; '
    'white-space: nowrap; line-height: normal; }'
    '.t { white-space: nowrap; }')


class EvalWord(NamedTuple):
    """One image of the set: file name, text, family and what was done."""
    name: str
    text: str
    family: str
    steps: str


def _rng(seed: int, lang: str, index: int, stage: int) -> np.random.Generator:
    return np.random.default_rng(
        [seed, LANGUAGES.index(lang), index, stage])


def plan_words(lang: str, count: int, seed: int, words: Sequence[str],
               fonts: Sequence[BrowserFont]) -> List[tuple]:
    """``(text, WordStyle)`` of the first ``count`` images of ``lang``: a
    string of :func:`~.text.draw_string` that a font of ``fonts`` covers,
    and its look (:func:`~.style.draw_style`)."""
    plans = []
    for index in range(count):
        rng = _rng(seed, lang, index, 0)
        for _ in range(_MAX_TRIES):
            text = draw_string(lang, rng, words)
            try:
                plans.append((text, draw_style(lang, text, fonts, rng)))
                break
            except ValueError:  # no font has every character: draw again
                continue
        else:
            raise RuntimeError(f'{lang}: no string in {_MAX_TRIES} draws '
                               'that a font of the set covers')
    return plans


def _crop(image: np.ndarray, ink: np.ndarray, scene: Dict,
          rng: np.random.Generator) -> np.ndarray:
    """The word's ink box, widened on each side by :data:`PAD_RANGE` of its
    height and kept inside its scene."""
    x0, y0, x1, y1 = ink_box(
        ink, (scene['x'], scene['y'], scene['x'] + scene['w'],
              scene['y'] + scene['h']))
    left, top, right, bottom = rng.uniform(*PAD_RANGE, 4) * (y1 - y0)
    sx0, sy0 = int(scene['x']), int(scene['y'])
    sx1, sy1 = int(scene['x'] + scene['w']), int(scene['y'] + scene['h'])
    return image[max(sy0, int(y0 - top)):min(sy1, int(y1 + bottom)),
                 max(sx0, int(x0 - left)):min(sx1, int(x1 + right))]


def _check_drawn_in(drawn: Sequence[str], font: BrowserFont,
                    text: str) -> None:
    """Raise ``RuntimeError`` unless Chromium drew ``text`` in ``font``
    alone (by one of its names, a face name such as 'Lateef ExtraBold'
    included): a fallback font would make the set's font list wrong."""
    if not drawn or any(not any(name.startswith(n) for n in font.names)
                        for name in drawn):
        raise RuntimeError(f'{text!r} was to be drawn in {font.family!r} '
                           f'but Chromium drew it in {drawn}; is the font '
                           'installed and its web font folder complete?')


def render_lang(browser, lang: str, count: int, seed: int, out_dir: str,
                words: Sequence[str], fonts: Sequence[BrowserFont],
                log: Callable[[str], None] = print) -> List[EvalWord]:
    """Render ``count`` images of ``lang`` from ``words`` in ``fonts`` into
    ``out_dir`` as ``<LANG>_<nnnn>.jpg``; returns what was written, in
    order."""
    plans = plan_words(lang, count, seed, words, fonts)
    font_css = '\n'.join(sorted({f.css for f in fonts if f.css}))
    written = []
    for start in range(0, count, PAGE_SIZE):
        batch = plans[start:start + PAGE_SIZE]
        cells = ''.join(
            cell_html(start + k, lang, text, style)
            for k, (text, style) in enumerate(batch))
        page = render_page(
            browser, '<!doctype html><html><head><meta charset="utf-8">'
            f'<style>{font_css}\n{_PAGE_CSS}</style></head><body>{cells}'
            '</body></html>', '.t', '.scene')
        scenes = {r['id']: r for r in page.rects}
        for k, (text, style) in enumerate(batch):
            index = start + k
            _check_drawn_in(page.fonts[k], style.font, text)
            crop = _crop(page.image, page.ink, scenes[f'w{index}'],
                         _rng(seed, lang, index, 1))
            data, steps = degrade(crop, _rng(seed, lang, index, 2))
            name = f'{lang}_{index:04d}.jpg'
            with open(osp.join(out_dir, name), 'wb') as f:
                f.write(data)
            written.append(EvalWord(name, text, style.font.family, steps))
        log(f'{lang}: {min(start + PAGE_SIZE, count)}/{count}')
    return written


def write_eval_set(browser, out_dir: str, langs: Sequence[str], count: int,
                   seed: int, web_font_dir: str,
                   log: Callable[[str], None] = print) -> List[EvalWord]:
    """Render every script of ``langs`` and write ``out_dir/gt.txt``
    (``NAME<TAB>text``, plain Unicode in logical order) and
    ``out_dir/fonts.tsv`` (``NAME<TAB>family<TAB>degradations``); the
    images of an earlier run are removed first."""
    os.makedirs(out_dir, exist_ok=True)
    for stale in glob.glob(osp.join(out_dir, '*.jpg')):
        os.remove(stale)  # gt.txt lists this run's images only
    written, start = [], time.time()
    for lang in langs:
        written += render_lang(browser, lang, count, seed, out_dir,
                               heldout_words(lang),
                               browser_fonts(lang, web_font_dir), log)
        log(f'{lang} done after {time.time() - start:.0f} s')
    with open(osp.join(out_dir, 'gt.txt'), 'w', encoding='utf-8') as f:
        f.writelines(f'{w.name}\t{w.text}\n' for w in written)
    with open(osp.join(out_dir, 'fonts.tsv'), 'w', encoding='utf-8') as f:
        f.writelines(f'{w.name}\t{w.family}\t{w.steps}\n' for w in written)
    return written
