"""The second renderer: word images drawn by headless Chromium in font
families, looks and degradations that the training generator
(:mod:`cllstr_mm.datasets.synthesis`) never uses, for evaluation only, and
born-digital screen text cut from rendered web pages.

Needs Debian's ``chromium`` and the packages of :data:`BROWSER_PACKAGES`,
and the Python packages ``playwright`` and ``straug``. Use
``tools/data/render_browser_words.py``.
"""
from .fonts import (BROWSER_FONTS, BROWSER_PACKAGES, FONT_SOURCES,
                    BrowserFont, browser_fonts, unseen_by_training)

__all__ = [
    'BROWSER_FONTS', 'BROWSER_PACKAGES', 'FONT_SOURCES', 'BrowserFont',
    'browser_fonts', 'unseen_by_training'
]
