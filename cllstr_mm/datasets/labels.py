"""Turn ground-truth text into CLL-STR's stored label form, and the length
filter that decides which stored labels a dataset keeps.

Labels of ARA, BEN and HIN are stored as grapheme clusters joined by ``\\t``:
Arabic reshaping to presentation forms, then splitting into extended grapheme
clusters (``\\X``) where a cluster ending in a virama (or another Indic
joiner) is merged with the next one, so a conjunct such as ``क्ष`` stays one
token. Arabic stays in reading order, which is what the original's label
encoder expects (it reverses ARA tokens to match the left-to-right image).
The original converter could also bidi-reorder (``reorder=True``, SynthTIGER's
``split_text``), which stores logical-order text reversed; it is kept as an
option for reproducing such LMDBs.
"""
from collections import Counter
from typing import Iterable, List, Tuple

import regex
from arabic_reshaper import ArabicReshaper
from bidi.algorithm import get_display

from cllstr_mm.utils.languages import (GRAPHEME_LANGUAGES,
                                       MAX_GRAPHEME_LABEL_LENGTH,
                                       MAX_LABEL_LENGTH, split_label)

# A cluster whose last code point has one of these Indic syllabic categories
# joins the next cluster (SynthTIGER's rule, kept for labels that modern
# Unicode segmentation alone would split, e.g. a virama before a space).
_JOINER = regex.compile(
    r'[\p{InSC=Virama}\p{InSC=Invisible_Stacker}\p{InSC=Number_Joiner}]$')
# The original length filter decides by the label's characters, not its
# folder: any Arabic, Devanagari or Bengali character means a tab-joined label.
_GRAPHEME_SCRIPT = regex.compile(
    r'[\p{InDevanagari}\p{InBengali}\p{Arabic}]')

_reshaper = None


def _reshape(text: str) -> str:
    global _reshaper
    if not regex.search(r'\p{Arabic}', text):
        return text  # reshaping is slow and changes nothing else
    if _reshaper is None:
        # The only option CLL-STR changed from arabic_reshaper's defaults.
        _reshaper = ArabicReshaper(
            configuration={'use_unshaped_instead_of_isolated': True})
    return _reshaper.reshape(text)


def split_graphemes(text: str, reorder: bool = False) -> List[str]:
    """Split ground-truth text into the tokens CLL-STR stores for ARA, BEN
    and HIN.

    Args:
        text: Ground-truth text as given in ``gt.txt``.
        reorder: Apply the bidi algorithm (``get_display``) after reshaping,
            as the original converter could. It reverses right-to-left runs,
            so text typed in logical order comes out in visual order.

    Returns:
        list[str]: Grapheme clusters (Arabic in presentation forms).
    """
    text = _reshape(text)
    if reorder:
        text = get_display(text)
    tokens: List[str] = []
    for cluster in regex.findall(r'\X', text):
        if tokens and _JOINER.search(tokens[-1]):
            tokens[-1] += cluster
        else:
            tokens.append(cluster)
    return tokens


def to_cllstr_label(text: str, lang: str, reorder: bool = False) -> str:
    """Ground-truth text to the label stored in a CLL-STR LMDB.

    Args:
        text: Ground-truth text.
        lang: Language code of the folder (e.g. ``'HIN'``). ARA, BEN and HIN
            labels become tab-joined grapheme clusters
            (:func:`split_graphemes`); other languages are stored unchanged.
        reorder: See :func:`split_graphemes`.

    Returns:
        str: The stored label.
    """
    if lang in GRAPHEME_LANGUAGES:
        return '\t'.join(split_graphemes(text, reorder=reorder))
    return text


def has_grapheme_letters(text: str) -> bool:
    """Whether ``text`` holds an Arabic, Devanagari or Bengali character:
    what makes :func:`~cllstr_mm.utils.languages.split_label` read a label
    as tab-joined grapheme clusters."""
    return _GRAPHEME_SCRIPT.search(text) is not None


def label_length_limit(label: str) -> int:
    """Longest stored label (in code points, tabs counted) the CLL-STR length
    filter keeps: 49 for a label holding Arabic, Devanagari or Bengali
    characters, else 25, decided by the label's characters as the original
    did (so a literal folder of Hindi words is filtered like HIN)."""
    if has_grapheme_letters(label):
        return MAX_GRAPHEME_LABEL_LENGTH
    return MAX_LABEL_LENGTH


def split_known(label: str, dictionary) -> Tuple[List[str], List[str]]:
    """Tokens of a stored label (:func:`~cllstr_mm.utils.languages.
    split_label`, visual order) that ``dictionary`` knows, and those it does
    not (which a model trains as ``[UNK]`` and the metric does not score).

    Args:
        label: A label as stored in the LMDBs.
        dictionary: An MMOCR ``Dictionary`` (e.g. ``MultilingualDictionary``).

    Returns:
        tuple[list[str], list[str]]: Known tokens, unknown tokens.
    """
    known: List[str] = []
    unknown: List[str] = []
    unknown_idxs = (None, dictionary.unknown_idx)
    for token in split_label(label):
        is_known = dictionary.char2idx(token, strict=False) not in unknown_idxs
        (known if is_known else unknown).append(token)
    return known, unknown


def count_unknown(labels: Iterable[str], dictionary) -> Tuple[int, Counter]:
    """How many of ``labels`` hold tokens ``dictionary`` does not know, and
    those tokens with their counts (:func:`split_known`)."""
    tokens: Counter = Counter()
    with_unknown = 0
    for label in labels:
        unknown = split_known(label, dictionary)[1]
        with_unknown += bool(unknown)
        tokens.update(unknown)
    return with_unknown, tokens
