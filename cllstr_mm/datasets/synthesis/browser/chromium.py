"""Headless Chromium (Debian's build, driven by Playwright): render a page,
find the ink of its words, and draw contact sheets.

A word's ink is found by rendering the page twice, the second time with the
words' text made transparent: the pixels that differ are the letters with
their outlines and shadows, whatever lies behind them.
"""
import contextlib
import html
import io
import os
import os.path as osp
import tempfile
from typing import Dict, Iterator, List, NamedTuple, Sequence, Tuple

import numpy as np
from PIL import Image

#: The browser: Debian's ``chromium`` package (Playwright's own download is
#: never used).
CHROMIUM = '/usr/bin/chromium'
#: Flags for a headless, offline, reproducible run as root.
CHROMIUM_ARGS = ('--no-sandbox', '--disable-gpu', '--disable-quic',
                 '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync')
#: Smallest channel difference (0-255) between the two renders counted as
#: ink: anti-aliasing leaves smaller differences at the letters' rims.
INK_THRESHOLD = 24
#: CSS that hides the text of the elements whose ink is measured.
_HIDE_TEXT = ('{sel} {{ color: transparent !important; '
              '-webkit-text-stroke: 0 !important; text-shadow: none '
              '!important; background: none !important; '
              'text-decoration-color: transparent !important; }}')
_LOAD_FONTS = ('async () => { await Promise.all([...document.fonts]'
               '.map(f => f.load().catch(() => null))); '
               'await document.fonts.ready; }')
_RECTS = ('(sel) => [...document.querySelectorAll(sel)].map(e => { '
          'const r = e.getBoundingClientRect(); return {id: e.id, '
          'text: e.dataset.text || "", lang: e.dataset.lang || "", '
          'x: r.left + window.scrollX, y: r.top + window.scrollY, '
          'w: r.width, h: r.height, size: parseFloat('
          'getComputedStyle(e).fontSize)}; })')


class Rendered(NamedTuple):
    """A rendered page: ``image`` RGB uint8 (H, W, 3), ``ink`` bool (H, W)
    where the hidden elements' text is, ``rects`` one dict per measured
    element (``id``, ``text``, ``lang`` from ``data-`` attributes, and
    ``x``, ``y``, ``w``, ``h``, ``size`` in image px), and ``fonts`` per
    hidden element the families Chromium drew its text in."""
    image: np.ndarray
    ink: np.ndarray
    rects: List[Dict]
    fonts: List[List[str]]


def require_chromium(executable: str = CHROMIUM) -> None:
    """Raise ``FileNotFoundError`` naming the Debian package when the
    browser is not installed."""
    if not osp.isfile(executable):
        raise FileNotFoundError(
            f'{executable} does not exist: install Debian\'s browser with '
            'apt-get install chromium (Playwright\'s own browser download '
            'is not used)')


@contextlib.contextmanager
def open_browser(executable: str = CHROMIUM) -> Iterator:
    """A Playwright ``Browser`` of Debian's Chromium, closed on exit.

    Raises:
        FileNotFoundError: Chromium is not installed.
    """
    require_chromium(executable)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def _screenshot(page) -> np.ndarray:
    png = page.screenshot(full_page=True, animations='disabled')
    return np.asarray(Image.open(io.BytesIO(png)).convert('RGB'))


def _drawn_fonts(page, selector: str) -> List[List[str]]:
    """Per element of ``selector``, the font families (as fontconfig or
    ``@font-face`` names them) that its text is drawn in, from DevTools."""
    cdp = page.context.new_cdp_session(page)
    cdp.send('DOM.enable')
    cdp.send('CSS.enable')
    root = cdp.send('DOM.getDocument', {'depth': 0})['root']['nodeId']
    nodes = cdp.send('DOM.querySelectorAll', {
        'nodeId': root, 'selector': selector})['nodeIds']
    return [[f['familyName'] for f in cdp.send(
        'CSS.getPlatformFontsForNode', {'nodeId': node})['fonts']]
        for node in nodes]


def render_page(browser, page_html: str, hide: str, measure: str,
                width: int = 1280, scale: float = 1.0) -> Rendered:
    """Render ``page_html`` at ``width`` CSS px, ``scale`` device px each
    (2 for a phone's screenshot), once with and once without the text of
    the elements ``hide`` matches, and measure the elements ``measure``
    matches (in device px, as the image).

    The page is loaded from a temporary file, so it may use ``file://``
    URLs (web fonts); every declared font face is loaded before the first
    screenshot.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'page.html')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(page_html)
        page = browser.new_page(viewport={'width': width, 'height': 720},
                                device_scale_factor=scale)
        try:
            page.goto(f'file://{path}')
            page.evaluate(_LOAD_FONTS)
            image = _screenshot(page)
            rects = [dict(r, **{k: r[k] * scale for k in (
                'x', 'y', 'w', 'h', 'size')})
                for r in page.evaluate(_RECTS, measure)]
            fonts = _drawn_fonts(page, hide)
            page.add_style_tag(content=_HIDE_TEXT.format(sel=hide))
            hidden = _screenshot(page)
        finally:
            page.close()
    if image.shape != hidden.shape:
        raise RuntimeError('hiding the text changed the page size; the '
                           'page must not lay out differently without it')
    ink = np.abs(image.astype(np.int16) - hidden).max(axis=2) > INK_THRESHOLD
    return Rendered(image, ink, rects, fonts)


def ink_box(ink: np.ndarray, box: Tuple[float, float, float, float]
            ) -> Tuple[int, int, int, int]:
    """Tight box ``(x0, y0, x1, y1)`` (x1, y1 exclusive) of the ink inside
    ``box`` = ``(x0, y0, x1, y1)`` in page px.

    Raises:
        ValueError: There is no ink in ``box``.
    """
    h, w = ink.shape
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    ys, xs = np.nonzero(ink[y0:y1, x0:x1])
    if not len(xs):
        raise ValueError(f'no ink in the box {box}')
    return (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1,
            y0 + int(ys.max()) + 1)


def contact_sheet(browser, items: Sequence[Tuple[str, str, str, str]],
                  out_file: str, columns: int = 4,
                  title: str = '') -> None:
    """Write a PNG grid of images, each over its text and a note.

    Args:
        items: ``(image path, text, BCP 47 language tag, note)``; the text is
            drawn by the browser, so it reads as it is written (Arabic
            joined, right to left).
        out_file: The PNG to write.
    """
    cells = []
    for path, text, tag, note in items:
        direction = 'rtl' if tag == 'ar' else 'ltr'
        cells.append(
            f'<div class="c"><div class="i"><img src="file://'
            f'{html.escape(osp.abspath(path))}"></div><div class="l" '
            f'lang="{tag}" dir="{direction}">{html.escape(text)}</div>'
            f'<div class="n">{html.escape(note)}</div></div>')
    page_html = (
        '<!doctype html><html><head><meta charset="utf-8"><style>'
        'body { margin: 8px; font-family: sans-serif; background: #fff; }'
        'h1 { font-size: 16px; margin: 0 0 6px; }'
        f'.g {{ display: grid; grid-template-columns: repeat({columns}, '
        '250px); gap: 6px; }'
        '.c { border: 1px solid #ccc; padding: 4px; }'
        '.i { height: 64px; display: flex; align-items: center; }'
        '.i img { max-width: 240px; max-height: 64px; }'
        '.l { font-size: 18px; margin-top: 3px; unicode-bidi: plaintext; }'
        '.n { font-size: 10px; color: #666; }'
        f'</style></head><body><h1>{html.escape(title)}</h1>'
        f'<div class="g">{"".join(cells)}</div></body></html>')
    image = render_page(browser, page_html, '.none', '.none',
                        width=columns * 256 + 16).image
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    Image.fromarray(image).save(out_file, optimize=True)
