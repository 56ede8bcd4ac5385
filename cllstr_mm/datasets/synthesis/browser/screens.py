"""Born-digital screen text: small web pages (news, shop, search, login,
chat) in each script, rendered by Chromium in the fonts web pages use, and
the word crops and word boxes cut from them with the DOM's word boxes.

Every word of a page is a ``<span class="w">`` holding its text and script
in ``data-`` attributes; its ink is found by rendering the page with and
without the words' text (:func:`~.chromium.render_page`).
"""
import glob
import html
import json
import os
import os.path as osp
from typing import Dict, List, NamedTuple, Sequence, Tuple

import numpy as np
import regex
from PIL import Image

from cllstr_mm.utils.languages import LANGUAGES
from .chromium import Rendered, ink_box, render_page
from .fonts import load_browser_font
from .screen_text import SCREEN_TEXT
from .style import LANGUAGE_TAGS

#: Font stacks as sites in each script write them (the first families are
#: often missing, so fontconfig's fallback for the page's language draws
#: the text, as on a reader's machine); web fonts from :mod:`.fonts`.
FONT_STACKS = {
    'ARA': ("'Cairo', sans-serif", "'Tajawal', Tahoma, sans-serif",
            'sans-serif', "'Noto Naskh Arabic', serif"),
    'BEN': ("'Hind Siliguri', sans-serif",
            "'SolaimanLipi', 'Noto Sans Bengali', sans-serif", 'sans-serif',
            'serif'),
    'HIN': ("'Mukta', sans-serif", "'Hind', Arial, sans-serif",
            "'Noto Sans Devanagari', sans-serif", 'sans-serif'),
    'KOR': ("'Malgun Gothic', 'Apple SD Gothic Neo', 'NanumGothic', "
            'sans-serif', "'Noto Sans KR', 'Noto Sans CJK KR', sans-serif",
            'sans-serif', "'NanumMyeongjo', serif"),
    'CHI': ("'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', "
            'sans-serif', 'sans-serif'),
    'JPN': ("'Hiragino Kaku Gothic ProN', Meiryo, 'Noto Sans CJK JP', "
            'sans-serif', 'sans-serif'),
    'LAT': ('Roboto, Arial, sans-serif', "'Open Sans', Helvetica, sans-serif",
            'Inter, sans-serif', 'Georgia, serif'),
}
#: Web fonts the stacks name.
WEB_FONTS = {'ARA': ('Cairo', 'Tajawal'), 'BEN': ('Hind Siliguri', ),
             'HIN': ('Mukta', 'Hind')}
#: Pages per script; the first :data:`WHOLE_PAGES` are also kept whole.
PAGES = {'ARA': 4, 'BEN': 4, 'HIN': 4, 'KOR': 4, 'CHI': 2, 'JPN': 2,
         'LAT': 2}
WHOLE_PAGES = {'ARA': 2, 'BEN': 2, 'HIN': 2, 'KOR': 2, 'CHI': 1, 'JPN': 1,
               'LAT': 1}
#: Most crops kept per script (distinct texts only).
MAX_CROPS = {'ARA': 60, 'BEN': 60, 'HIN': 60, 'KOR': 60, 'CHI': 30,
             'JPN': 30, 'LAT': 30}
#: Margin around a crop's ink on each side, as a fraction of its height,
#: as a text detector's boxes leave.
MARGIN_RANGE = (0.10, 0.15)
#: Page looks, cycled: (theme, viewport width in CSS px, device px per CSS
#: px, base font size in CSS px, weight of the running text): a desktop, a
#: phone (2x screenshot), a laptop at 150 %, a desktop.
PAGE_LOOKS = (('light', 1100, 1, 16, 400), ('dark', 420, 2, 15, 700),
              ('light', 800, 1.5, 14, 400), ('dark', 1100, 1, 17, 400))
UNSPACED = ('CHI', 'JPN')
_LETTER_OR_DIGIT = regex.compile(r'[\p{L}\p{N}]')
_SCRIPT_LETTER = regex.compile(
    r'[\p{Arabic}\p{Bengali}\p{Devanagari}\p{Han}\p{Hiragana}\p{Katakana}'
    r'\p{Hangul}]')
_ACCENTS = ('#0b57d0', '#c5221f', '#188038', '#6a1b9a', '#e8710a',
            '#00796b')
_PAGE_CSS = """
body { margin: 0; background: var(--bg); color: var(--fg);
  font-size: var(--fs); font-weight: var(--fw); line-height: 1.5; }
.light { --bg: #ffffff; --fg: #1f1f1f; --muted: #5f6368; --panel: #f3f4f6;
  --line: #dadce0; }
.dark { --bg: #121212; --fg: #e8eaed; --muted: #9aa0a6; --panel: #1f2125;
  --line: #3c4043; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 18px;
  padding: 12px 20px; background: var(--accent); color: #fff; }
.logo { font-size: 1.5em; font-weight: 800; }
nav a { color: #fff; margin: 0 8px; text-decoration: none; }
.crumbs { padding: 8px 20px; color: var(--muted); font-size: 0.85em; }
main { display: grid; grid-template-columns: repeat(auto-fit,
  minmax(360px, 1fr)); gap: 20px; padding: 8px 20px; }
section, article { background: var(--panel); border-radius: 10px;
  padding: 14px; }
.w { white-space: nowrap; }
h1 { font-size: 1.7em; line-height: 1.45; margin: 0 0 6px; font-weight: 700; }
.byline, .url, .time, .old { color: var(--muted); font-size: 0.85em; }
.res a { color: var(--link); font-size: 1.15em; text-decoration: underline; }
.url { color: #188038; }
.pname { font-size: 1.2em; font-weight: 600; }
.price { color: #c5221f; font-size: 1.6em; font-weight: 800; }
.old { text-decoration: line-through; margin: 0 8px; }
.btn { display: inline-block; background: var(--accent); color: #fff;
  border-radius: 6px; padding: 7px 16px; margin-top: 8px; font-weight: 600; }
label { display: block; margin-top: 8px; font-size: 0.9em; }
.input { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px;
  color: var(--muted); background: var(--bg); }
.bubble { max-width: 75%; padding: 7px 12px; border-radius: 14px;
  margin: 6px 0; width: fit-content; }
.me { background: var(--accent); color: #fff; margin-inline-start: auto; }
.me .time { color: rgba(255, 255, 255, 0.75); }
.them { background: var(--bg); border: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid var(--line); padding: 6px 8px;
  text-align: start; }
footer { padding: 14px 20px; color: var(--muted); font-size: 0.85em;
  display: flex; gap: 18px; flex-wrap: wrap; }
"""


class ScreenWord(NamedTuple):
    """A word of a rendered page: its text and script, the tight box of its
    ink ``(x0, y0, x1, y1)`` in page px (x1, y1 exclusive), and the page."""
    text: str
    lang: str
    box: Tuple[int, int, int, int]
    page: int


def word_lang(token: str, page_lang: str) -> str:
    """The script a word is labelled with: LAT for Latin words on any page
    (``iPhone``, ``www.busbd.com``), else the page's script (numbers and
    prices included)."""
    if regex.search(r'\p{Latin}', token) and not _SCRIPT_LETTER.search(
            token):
        return 'LAT'
    return page_lang


def words_html(text: str, lang: str) -> str:
    """``text`` with each unit (split at spaces) that holds a letter or
    digit wrapped in a measured span; CHI and JPN draw units unspaced."""
    parts = []
    for token in text.split():
        escaped = html.escape(token)
        if _LETTER_OR_DIGIT.search(token):
            escaped = (f'<span class="w" data-text="{html.escape(token)}" '
                       f'data-lang="{word_lang(token, lang)}">{escaped}'
                       '</span>')
        parts.append(escaped)
    return ('' if lang in UNSPACED else ' ').join(parts)


def page_html(lang: str, index: int, rng: np.random.Generator,
              web_font_dir: str) -> str:
    """The HTML of page ``index`` of ``lang``, in the look
    ``PAGE_LOOKS[index]`` (cycled)."""
    t = SCREEN_TEXT[lang]
    w = lambda text: words_html(text, lang)  # noqa: E731
    theme, _, _, size, weight = PAGE_LOOKS[index % len(PAGE_LOOKS)]
    stack = FONT_STACKS[lang][index % len(FONT_STACKS[lang])]
    accent = _ACCENTS[rng.integers(0, len(_ACCENTS))]
    link = '#8ab4f8' if theme == 'dark' else '#1a0dab'
    css = '\n'.join(load_browser_font(f, web_font_dir).css
                    for f in WEB_FONTS.get(lang, ()))
    name, price, old, button, rating, stock = t['product']
    label1, placeholder, label2, submit, forgot = t['form']
    sections = [
        f'<article><h1>{w(t["headline"])}</h1><div class="byline">'
        f'{w(t["byline"])}</div><p>{w(t["summary"])}</p></article>',
        '<section>' + ''.join(
            f'<div class="res"><a>{w(title)}</a><div class="url">{w(url)}'
            f'</div><p>{w(snippet)}</p></div>'
            for title, url, snippet in t['search']) + '</section>',
        f'<section><div class="pname">{w(name)}</div><span class="price">'
        f'{w(price)}</span><span class="old">{w(old)}</span><div>'
        f'{w(rating)}</div><div>{w(stock)}</div><div class="btn">'
        f'{w(button)}</div></section>',
        f'<section><label>{w(label1)}</label><div class="input">'
        f'{w(placeholder)}</div><label>{w(label2)}</label><div '
        f'class="input">••••••••</div><div class="btn">{w(submit)}</div> '
        f'<a>{w(forgot)}</a></section>',
        '<section>' + ''.join(
            f'<div class="bubble {("them", "me")[k % 2]}">{w(message)} '
            f'<span class="time">{w(time)}</span></div>'
            for k, (message, time) in enumerate(t['chat'])) + '</section>',
        '<section><table>' + ''.join(
            '<tr>' + ''.join(f'<{"th" if r == 0 else "td"}>{w(cell)}'
                             f'</{"th" if r == 0 else "td"}>' for cell in row)
            + '</tr>' for r, row in enumerate(t['table'])) +
        '</table></section>',
    ]
    order = rng.permutation(len(sections))
    body = (
        f'<header><div class="logo">{w(t["site"])}</div><nav>' + ''.join(
            f'<a>{w(item)}</a>' for item in t['nav']) + '</nav></header>'
        '<div class="crumbs">' + ' › '.join(w(c) for c in t['crumbs']) +
        '</div><main>' + ''.join(sections[k] for k in order) +
        '</main><footer>' + ''.join(f'<span>{w(item)}</span>'
                                    for item in t['footer']) + '</footer>')
    direction = 'rtl' if lang == 'ARA' else 'ltr'
    return (f'<!doctype html><html lang="{LANGUAGE_TAGS[lang]}" '
            f'dir="{direction}"><head><meta charset="utf-8"><style>{css}\n'
            f'{_PAGE_CSS}</style></head><body class="{theme}" style="'
            f'--accent: {accent}; --link: {link}; --fs: {size}px; '
            f'--fw: {weight}; font-family: {html.escape(stack)}">{body}'
            '</body></html>')


def page_words(page: Rendered, index: int) -> List[ScreenWord]:
    """The words of a rendered page with the tight boxes of their ink.

    The span's box (the font's ascent to descent, which holds its marks) is
    widened by 0.08 em across for letters that overhang their advance, but
    not for unspaced CJK units, whose neighbours touch it.
    """
    words = []
    for r in page.rects:
        across = 0.0 if r['lang'] in UNSPACED else 0.08 * r['size']
        box = ink_box(page.ink, (r['x'] - across, r['y'],
                                 r['x'] + r['w'] + across, r['y'] + r['h']))
        words.append(ScreenWord(r['text'], r['lang'], box, index))
    return words


def crop_box(word: ScreenWord, others: Sequence[ScreenWord],
             rng: np.random.Generator, shape: Tuple[int, int]
             ) -> Tuple[int, int, int, int]:
    """The word's ink box widened by :data:`MARGIN_RANGE` of its height on
    each side, but not into another word's ink (clipped across for words
    on the same line, up or down for the others) nor off the page."""
    x0, y0, x1, y1 = word.box
    left, top, right, bottom = rng.uniform(*MARGIN_RANGE, 4) * (y1 - y0)
    cx0, cy0 = max(0, round(x0 - left)), max(0, round(y0 - top))
    cx1 = min(shape[1], round(x1 + right))
    cy1 = min(shape[0], round(y1 + bottom))
    for other in others:
        ox0, oy0, ox1, oy1 = other.box
        if other is word or ox1 <= cx0 or ox0 >= cx1 or oy1 <= cy0 or \
                oy0 >= cy1:
            continue
        if min(y1, oy1) - max(y0, oy0) > 0.5 * min(y1 - y0, oy1 - oy0):
            cx0, cx1 = (max(cx0, ox1), cx1) if ox1 <= x0 else (cx0, min(
                cx1, ox0))
        else:
            cy0, cy1 = (max(cy0, oy1), cy1) if oy1 <= y0 else (cy0, min(
                cy1, oy0))
    # ink boxes of neighbouring lines may overlap: never cut the word's own
    return min(cx0, x0), min(cy0, y0), max(cx1, x1), max(cy1, y1)


def pick_crops(words: Sequence[ScreenWord],
               rng: np.random.Generator) -> Dict[str, List[ScreenWord]]:
    """Per script, up to :data:`MAX_CROPS` words with distinct texts, in a
    random order of all pages' words."""
    picked: Dict[str, List[ScreenWord]] = {lang: [] for lang in LANGUAGES}
    seen = set()
    for k in rng.permutation(len(words)):
        word = words[k]
        key = (word.lang, word.text)
        if key in seen or len(picked[word.lang]) >= MAX_CROPS[word.lang]:
            continue
        seen.add(key)
        picked[word.lang].append(word)
    return picked


def _quad(box: Tuple[int, int, int, int]) -> List[List[int]]:
    x0, y0, x1, y1 = box
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def _json_lines(records: Sequence[Dict]) -> str:
    """``records`` as a JSON list with one line per word, so that a diff
    shows which words changed."""
    out = []
    for record in records:
        head = json.dumps({k: v for k, v in record.items() if k != 'words'},
                          ensure_ascii=False)[:-1]
        words = ',\n'.join('  ' + json.dumps(w, ensure_ascii=False)
                           for w in record['words'])
        out.append(f'{head}, "words": [\n{words}\n]}}')
    return '[\n' + ',\n'.join(out) + '\n]\n'


def write_screens(browser, langs: Sequence[str], seed: int, out_dir: str,
                  pages_dir: str, web_font_dir: str, source: str,
                  log=print) -> Dict[str, List[str]]:
    """Render every page of ``langs``; write the crops and ``gt.txt`` to
    ``out_dir``, the whole pages to ``pages_dir/screens/`` and their word
    boxes to ``pages_dir/screens.json``, removing those of an earlier run.

    Returns:
        dict: Per script, the names of the crops written, in order.
    """
    os.makedirs(out_dir, exist_ok=True)
    os.makedirs(osp.join(pages_dir, 'screens'), exist_ok=True)
    # the lists written below name this run's files only
    for stale in glob.glob(osp.join(out_dir, '*_screen_*.png')) + glob.glob(
            osp.join(pages_dir, 'screens', '*_page_*.png')):
        os.remove(stale)
    words, images, records = [], [], []
    for lang in langs:
        for index in range(PAGES[lang]):
            rng = np.random.default_rng([seed, LANGUAGES.index(lang), index])
            _, width, scale, _, _ = PAGE_LOOKS[index % len(PAGE_LOOKS)]
            page = render_page(browser,
                               page_html(lang, index, rng, web_font_dir),
                               '.w', '.w', width, scale)
            found = page_words(page, len(images))
            images.append(page.image)
            words += found
            log(f'{lang} page {index}: {len(found)} words, '
                f'{page.image.shape[1]}x{page.image.shape[0]} px')
            if index < WHOLE_PAGES[lang]:
                name = f'screens/{lang}_page_{index}.png'
                Image.fromarray(page.image).save(osp.join(pages_dir, name),
                                                 optimize=True)
                records.append(dict(
                    file=name, kind='screenshot', source=source,
                    licence='CC0 (generated)', words=[
                        dict(text=w.text, lang=w.lang, box=_quad(w.box),
                             ignore=False) for w in found]))
    with open(osp.join(pages_dir, 'screens.json'), 'w',
              encoding='utf-8') as f:
        f.write(_json_lines(records))
    rng = np.random.default_rng([seed, len(LANGUAGES)])
    written: Dict[str, List[str]] = {}
    lines = []
    for lang, picked in pick_crops(words, rng).items():
        for n, word in enumerate(picked):
            image = images[word.page]
            same_page = [w for w in words if w.page == word.page]
            x0, y0, x1, y1 = crop_box(word, same_page, rng, image.shape[:2])
            name = f'{lang}_screen_{n:03d}.png'
            Image.fromarray(image[y0:y1, x0:x1]).save(
                osp.join(out_dir, name), optimize=True)
            lines.append(f'{name}\t{word.text}\n')
            written.setdefault(lang, []).append(name)
    with open(osp.join(out_dir, 'gt.txt'), 'w', encoding='utf-8') as f:
        f.writelines(lines)
    return written
