"""The seven CLL-STR scripts and how their labels are tokenised.

Labels of ARA, BEN and HIN are stored as extended grapheme clusters joined by
``\\t`` (Arabic after reshaping to presentation forms); the other scripts are
plain strings whose tokens are code points. The tokeniser decides by the
script of the label's characters, as the original CLL-STR converter did, so
it needs no language tag and a model can tokenise any string.
"""
import unicodedata
from typing import List

import regex

#: Languages in CLL-STR's own order (also the letter order of ``lang_*``).
LANGUAGES = ('ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT')
#: ``select_data`` letters: ``lang_CBHJAKL`` and ``SynthMLT_K`` expand these.
LANGUAGE_LETTERS = {lang[0]: lang for lang in LANGUAGES}
#: Column order of the original test table.
TABLE_ORDER = ('CHI', 'BEN', 'HIN', 'JPN', 'ARA', 'KOR', 'LAT')
#: Languages whose labels are tab-joined grapheme clusters.
GRAPHEME_LANGUAGES = ('ARA', 'BEN', 'HIN')
#: Longest label kept, in code points (tabs counted for GRAPHEME_LANGUAGES).
MAX_LABEL_LENGTH = 25
MAX_GRAPHEME_LABEL_LENGTH = 49

_ARABIC = regex.compile(r'\p{Arabic}')
_INDIC = regex.compile(r'[\p{InDevanagari}\p{InBengali}]')
# Arabic Presentation Forms-A and -B: the contextual forms and ligatures
# that CLL-STR's Arabic labels, and so our recognisers, write.
_PRESENTATION_FORMS = regex.compile(r'[\uFB50-\uFDFF\uFE70-\uFEFE]+')


def max_label_length(lang: str) -> int:
    """Longest label (in code points) the length filter keeps for ``lang``."""
    if lang in GRAPHEME_LANGUAGES:
        return MAX_GRAPHEME_LABEL_LENGTH
    return MAX_LABEL_LENGTH


def is_arabic(text: str) -> bool:
    """Whether ``text`` holds any Arabic-script character."""
    return _ARABIC.search(text) is not None


def plain_letters(text: str) -> str:
    """``text`` with Arabic presentation forms (``ﺍﻟﺒﺎﺏ``, what the labels
    store) turned into the letters people type and search for (``الباب``),
    by NFKC; every other character unchanged (NFKC of the whole text would
    also turn full-width punctuation such as ``，`` into ASCII). A
    ligature becomes its letters (``ﻻ`` -> ``لا``)."""
    return _PRESENTATION_FORMS.sub(
        lambda run: unicodedata.normalize('NFKC', run.group()), text)


def split_label(text: str) -> List[str]:
    """Split a stored label into tokens in visual (left-to-right) order.

    Arabic labels are split on tabs and reversed, since they are stored in
    reading order while images run left to right; Bengali/Devanagari labels
    are split on tabs (a label without a tab is one cluster); anything else
    gives one token per code point.
    """
    if is_arabic(text):
        return (text.split('\t') if '\t' in text else [text])[::-1]
    if _INDIC.search(text):
        return text.split('\t') if '\t' in text else [text]
    return list(text)


def join_tokens(tokens: List[str]) -> str:
    """Inverse of :func:`split_label` up to tabs: tokens in visual order to a
    plain string in reading order (Arabic reversed back)."""
    text = ''.join(tokens)
    return ''.join(reversed(tokens)) if is_arabic(text) else text
