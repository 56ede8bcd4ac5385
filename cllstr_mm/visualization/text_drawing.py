"""Draw recognised text of the seven scripts with Pillow.

MMOCR's visualisers draw text with matplotlib and one font family, which
shows missing-glyph boxes for most of these scripts and can neither join
Arabic letters, lay them out right to left, nor form Indic conjuncts. Here a
string is split into runs of one script; each run is drawn in a font of its
script that has all its glyphs (the families of
``cllstr_mm.datasets.synthesis.fonts.SCRIPT_FONTS``, in their order),
shaped by raqm with the run's direction and language, as the synthetic data
generator renders words.

The font helpers come from :mod:`cllstr_mm.datasets.synthesis`, imported
when text is first drawn: they need fontTools and wordfreq, which
``import cllstr_mm`` (and so building this visualiser from a config) must
not require.
"""
import functools
from typing import List, NamedTuple, Sequence, Tuple

import numpy as np
import regex
from PIL import Image, ImageDraw, features

from cllstr_mm.utils.languages import LANGUAGES, plain_letters

#: Unicode scripts mapped to the language whose fonts draw them; a script
#: not listed (Latin, Cyrillic, ...) is drawn with the LAT fonts.
SCRIPT_LANGUAGES = {
    'Arabic': 'ARA',
    'Bengali': 'BEN',
    'Devanagari': 'HIN',
    'Han': 'CHI',
    'Hiragana': 'JPN',
    'Katakana': 'JPN',
    'Hangul': 'KOR',
}
_SCRIPT = regex.compile('|'.join(
    fr'(?P<{script}>\p{{Script={script}}})' for script in SCRIPT_LANGUAGES))
_KANA = regex.compile(r'[\p{Script=Hiragana}\p{Script=Katakana}]')
# Characters shared by all scripts (spaces, digits, punctuation, combining
# marks) belong to the run around them.
_NEUTRAL = regex.compile(r'[\p{Script=Common}\p{Script=Inherited}]')
#: A grapheme cluster: a character and the combining marks on it.
_CLUSTER = regex.compile(r'\X')


class TextRun(NamedTuple):
    """Part of a string in one script, drawn with one font face
    (a :class:`~cllstr_mm.datasets.synthesis.fonts.FontFace`)."""
    text: str
    lang: str
    face: tuple


def _fonts():
    """``cllstr_mm.datasets.synthesis.fonts``, imported on first use."""
    from cllstr_mm.datasets.synthesis import fonts
    return fonts


def char_language(char: str, han_lang: str = 'CHI') -> str:
    """The language whose fonts draw ``char``; ``''`` for a neutral one.

    Han ideographs go to ``han_lang`` (JPN in a string with kana, so that
    Japanese glyph forms are used).
    """
    if _NEUTRAL.fullmatch(char):
        return ''
    match = _SCRIPT.fullmatch(char)
    if match is None:
        return 'LAT'
    lang = SCRIPT_LANGUAGES[match.lastgroup]
    return han_lang if lang == 'CHI' else lang


@functools.lru_cache(maxsize=None)
def _faces_by_preference(lang: str) -> tuple:
    """Faces of ``lang`` in ``SCRIPT_FONTS`` family order, the regular
    style of a family first."""
    families = list(_fonts().SCRIPT_FONTS[lang])
    return tuple(
        sorted(
            _fonts().find_fonts(lang),
            key=lambda face: (families.index(face.family), face.style !=
                              'Regular', face.style, face.path, face.index)))


@functools.lru_cache(maxsize=4096)
def pick_face(lang: str, text: str) -> tuple:
    """The first face of ``lang`` (then of any language) that has every
    glyph of ``text``; the first face of ``lang`` when none has."""
    for candidate_lang in (lang, ) + tuple(
            other for other in LANGUAGES if other != lang):
        for face in _faces_by_preference(candidate_lang):
            if _fonts().covers(face, text):
                return face
    return _faces_by_preference(lang)[0]


def text_runs(text: str) -> List[TextRun]:
    """Split ``text`` into runs of one script, in visual order from left to
    right. Arabic presentation forms are drawn as plain letters
    (:func:`~cllstr_mm.utils.languages.plain_letters`), which raqm joins
    with the font's own forms and ligatures.

    Arabic runs keep their reading order (raqm lays them out right to
    left); when the string starts with Arabic, the runs are placed from
    right to left as well.
    """
    text = plain_letters(text)
    han_lang = 'JPN' if _KANA.search(text) else 'CHI'
    pieces: List[List[str]] = []  # [lang, text]
    # by grapheme clusters: a combining mark (an Arabic vowel sign, of the
    # neutral Inherited script) stays on its letter; alone in a run of its
    # own it would be drawn on a dotted circle
    for cluster in _CLUSTER.findall(text):
        lang = char_language(cluster[0], han_lang)
        # Neutral characters join the run before them, except after Arabic,
        # where raqm would move them to the run's left end: they are held
        # apart and join the next run (or the Arabic run when it goes on).
        if pieces and (lang == pieces[-1][0] or
                       (lang == '' and pieces[-1][0] != 'ARA')):
            pieces[-1][1] += cluster
        elif pieces and pieces[-1][0] == '':
            neutral = pieces.pop()[1]
            if pieces and pieces[-1][0] == lang:
                pieces[-1][1] += neutral + cluster
            else:
                pieces.append([lang, neutral + cluster])
        else:
            pieces.append([lang, cluster])
    runs = [
        TextRun(run, lang or 'LAT', pick_face(lang or 'LAT', run))
        for lang, run in pieces
    ]
    if runs and runs[0].lang == 'ARA':
        runs.reverse()
    return runs


def _layout_kwargs(lang: str) -> dict:
    """raqm's direction and language for ``lang`` (none without raqm)."""
    from cllstr_mm.datasets.synthesis.render import LANGUAGE_TAGS
    _fonts().require_shaping(lang)
    if not features.check('raqm'):
        return {}
    return dict(
        direction='rtl' if lang == 'ARA' else 'ltr',
        language=LANGUAGE_TAGS[lang])


def draw_text(image: np.ndarray,
              text: str,
              box: Sequence[float],
              color: Tuple[int, int, int] = (0, 0, 0),
              fill_ratio: float = 0.8) -> np.ndarray:
    """Draw ``text`` centred in ``box``, as large as fits.

    Args:
        image: RGB (or grayscale) uint8 image of shape (H, W[, 3]); not
            modified.
        text: Text in reading order, e.g. a model's prediction.
        box: ``(x0, y0, x1, y1)`` in pixels.
        color: RGB colour of the text.
        fill_ratio: Largest share of the box's height (and width) the text
            takes.

    Returns:
        np.ndarray: A copy of ``image`` with the text drawn.

    Raises:
        RuntimeError: The text has Arabic, Bengali or Devanagari and Pillow
            lacks raqm (the text could not be shaped correctly).
    """
    canvas = Image.fromarray(np.ascontiguousarray(image))
    runs = text_runs(text)
    if not runs:
        return np.asarray(canvas)
    x0, y0, x1, y1 = (float(v) for v in box)
    box_w, box_h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    size = max(4, int(box_h * fill_ratio))
    boxes = _run_boxes(runs, size)
    total = sum(width for width, _, _ in boxes)
    if total > box_w * fill_ratio:
        size = max(4, int(size * box_w * fill_ratio / total))
        boxes = _run_boxes(runs, size)
        total = sum(width for width, _, _ in boxes)
    # one baseline for all runs, placed so that their ink is centred
    top = min(run_top for _, run_top, _ in boxes)
    bottom = max(run_bottom for _, _, run_bottom in boxes)
    x = x0 + (box_w - total) / 2
    baseline = y0 + (box_h - top - bottom) / 2
    draw = ImageDraw.Draw(canvas)
    fill = color if canvas.mode == 'RGB' else int(np.mean(color))
    for run, (width, _, _) in zip(runs, boxes):
        draw.text((x, baseline),
                  run.text,
                  fill=fill,
                  font=_fonts().load_font(run.face, size),
                  anchor='ls',
                  **_layout_kwargs(run.lang))
        x += width
    return np.asarray(canvas)


def _run_boxes(runs: Sequence[TextRun],
               size: int) -> List[Tuple[float, float, float]]:
    """Per run: (advance width, ink top, ink bottom) in pixels, the top and
    bottom relative to the baseline (down is positive)."""
    boxes = []
    for run in runs:
        font = _fonts().load_font(run.face, size)
        kwargs = _layout_kwargs(run.lang)
        _, top, _, bottom = font.getbbox(run.text, anchor='ls', **kwargs)
        boxes.append((font.getlength(run.text, **kwargs), top, bottom))
    return boxes
