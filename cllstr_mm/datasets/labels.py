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

:func:`to_cllstr_label` makes the paper's LMDBs as the original did (by
folder); :func:`text_to_label` is the label of text that may mix scripts and
numbers (the generator's words, the crop folders' ground truth): a number in
an ARA, BEN or HIN folder stays plain and digit runs inside Arabic are
stored so that they read left to right.
"""
import functools
import unicodedata
from collections import Counter
from typing import Iterable, List, Tuple

import regex
from arabic_reshaper import ArabicReshaper
from bidi import algorithm as bidi_algorithm
from bidi.algorithm import get_display

from cllstr_mm.utils.languages import (GRAPHEME_LANGUAGES,
                                       MAX_GRAPHEME_LABEL_LENGTH,
                                       MAX_LABEL_LENGTH, is_arabic,
                                       plain_letters, split_label)

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


@functools.lru_cache(maxsize=1 << 16)
def text_to_label(text: str, lang: str) -> str:
    """The stored label of ``text`` written in logical order: what a person
    types in a ground-truth file and what our generator draws.

    Arabic text is in logical order and is not bidi-reordered, so its label
    is stored in reading order, which the CTC converter reverses into the
    left-to-right order of the image. Digits and Latin letters inside Arabic
    text are drawn left to right (the bidi algorithm, as raqm lays them
    out), so each such run is stored reversed, and the converter's reversal
    gives the image's order for them too. Text of an ARA, BEN or HIN sample
    without a letter of those scripts (a number, a price, a time) is stored
    plain,
    as :func:`~cllstr_mm.utils.languages.split_label` reads it: tab-joined,
    its tabs would be read as tokens. Cached: reshaping Arabic costs
    milliseconds.
    """
    if lang in GRAPHEME_LANGUAGES and not has_grapheme_letters(text):
        return text
    label = to_cllstr_label(text, lang, reorder=False)
    if lang == 'ARA' and _has_left_to_right(text):
        return '\t'.join(_arabic_storage_order(label.split('\t')))
    return label


def reading_to_text(reading: str) -> str:
    """A recogniser's reading (its tokens joined in reading order, as
    :func:`~cllstr_mm.utils.languages.join_tokens` gives them) as the text
    a person types, the inverse of :func:`text_to_label` on it: Arabic in
    plain letters (:func:`~cllstr_mm.utils.languages.plain_letters`), and
    each number or Latin run inside Arabic turned back to its logical
    order, which the label stores reversed (``ﺳﻌﺮ 51 رﻳﺎل`` -> ``سعر 15
    ريال``, ``٩٤٢`` -> ``٢٤٩``). Storing is its own inverse on such text (a
    run's reversal reversed), so :func:`text_to_label` of the result is the
    label the reading came from, up to the presentation forms. No space is
    kept between two Chinese or Japanese characters or beside their
    full-width marks (``纪念日、 先驱者`` -> ``纪念日、先驱者``): people type
    none there, and a model reads the blank half of a full-width comma's
    cell as one. A Devanagari or Bengali vowel sign or nasal mark read
    twice in a row is kept once (``सेे`` -> ``से``): no text doubles one,
    and a model reads a wide sign over two steps. Arabic keeps its own yeh:
    the Persian one (``ی``), drawn as an alef maksura at a word's end and
    as a yeh elsewhere, is written as those (``علی`` -> ``على``). A degree
    sign takes a capital C or F (``9°c`` -> ``9°C``): the lower case is a
    smaller copy that the model cannot tell at a crop's size. For the same
    reason a Latin word in capitals is written in capitals throughout
    (``sUPER`` -> ``SUPER``, ``OcBc`` -> ``OCBC``; a plural's final s
    stays, ``URLs``) when its only lower-case letters are those shaped as
    their capitals (c o s u v w x z) and at least half its letters, two
    or more, are capitals; and a zero in a Latin word whose only digits
    are zeros is the letter O, a capital when most of its letters are
    (``C0.`` -> ``CO.``, ``B00k`` -> ``Book``; ``200ml``, ``0km`` and
    ``CO2`` stay): they differ only in width. A degree sign before
    the one-sign degrees Celsius or Fahrenheit is those two signs
    (``18°℃`` -> ``18°C``): no text doubles the degree, and the model reads
    the C of a ``°C`` as the sign that draws both."""
    text = _DOUBLED_SIGN.sub(r'\1', plain_letters(reading))
    text = _DEGREE_UNIT.sub(lambda unit: unit.group().upper(), text)
    text = text.replace('°\u2103', '°C').replace('°\u2109', '°F')
    text = _LATIN_WORD_WITH_DIGITS.sub(_zeros_as_o, text)
    text = _LATIN_WORD.sub(_in_capitals, text)
    text = _CJK_SPACE.sub('', text)
    if is_arabic(text):
        text = _FINAL_PERSIAN_YEH.sub('\u0649', text).replace(
            '\u06cc', '\u064a')
        if _has_left_to_right(text):
            return ''.join(
                _arabic_storage_order(regex.findall(r'\X', text)))
    return text


def number_in_arabic_line(reading: str) -> str:
    """A reading without letters, of a word in an Arabic line, in the order
    people type it when the image shows it as a right-to-left line lays it
    out. There the digits of a number keep their order, but the signs
    around it run right to left and brackets are drawn mirrored (UBA rules
    W2, N1 and L4: after Arabic letters European digits count as Arabic
    numbers, to which a percent sign does not attach): ``10%.`` shows as
    ``.%10`` and ``(128`` as ``128)``. A reading that starts with a sign
    that only ever follows a number (``%12``, ``.%10``) or ends with a
    closing bracket (``128)``) is turned back (``12%``, ``10%.``,
    ``(128``); any other, such as ``12%``, which a browser also shows as it
    is where the number stands apart from the Arabic text, is kept."""
    if not _SIGNED_NUMBER.fullmatch(reading) or not (
            reading[0] in _FOLLOWS_NUMBER or reading[-1] in _CLOSING):
        return reading
    units = _NUMBER_OR_SIGN.findall(reading)
    return ''.join(_MIRRORED.get(unit, unit) for unit in reversed(units))


#: A number among signs, no letter.
_SIGNED_NUMBER = regex.compile(r'[^\p{L}\s]*\p{N}[^\p{L}\s]*')
#: A number (digits with the separators inside it) or any one sign.
_NUMBER_OR_SIGN = regex.compile(r'\p{N}+(?:[.,:/٫٬]\p{N}+)*|.')
#: Signs written after a number, never before one.
_FOLLOWS_NUMBER = frozenset('%٪.,،:;!?؟)]')
#: Closing brackets, drawn for the opening ones of right-to-left text.
_CLOSING = frozenset(')]')
#: Each bracket and the one right-to-left text draws for it (UBA L4).
_MIRRORED = {'(': ')', ')': '(', '[': ']', ']': '['}


# Han and kana, and the full-width marks of CJK text (ideographic
# punctuation and brackets, full-width forms other than letters and
# digits)
_WIDE = (r'[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303f'
         r'\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]')
_WIDE_MARK = (r'[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40'
              r'\uff5b-\uff65]')
#: Spaces between two wide characters, or after / before a wide mark.
_CJK_SPACE = regex.compile(
    rf'(?<={_WIDE}) +(?={_WIDE})|(?<={_WIDE_MARK}) +| +(?={_WIDE_MARK})')


#: A run of Latin letters.
_LATIN_WORD = regex.compile(r'\p{Latin}+')
#: Lower-case Latin letters drawn as their capitals, smaller.
_CAPITAL_SHAPED = frozenset('cosuvwxz')


def _in_capitals(word: regex.Match) -> str:
    """A Latin word (a match of :data:`_LATIN_WORD`) in capitals when it
    is written in capitals but for capital-shaped lower-case letters
    (:func:`reading_to_text`); otherwise as it is."""
    letters = word.group()
    # a plural's s stays: FAQs, URLs, GPUs
    core, plural = (letters[:-1], 's') if letters.endswith('s') \
        else (letters, '')
    lower = [letter for letter in core if letter.islower()]
    capitals = len(core) - len(lower)
    if lower and capitals >= max(2, len(lower)) and \
            _CAPITAL_SHAPED.issuperset(lower):
        return core.upper() + plural
    return letters


#: A run of Latin letters and digits that starts with a letter.
_LATIN_WORD_WITH_DIGITS = regex.compile(r'\p{Latin}[\p{Latin}0-9]*')


def _zeros_as_o(word: regex.Match) -> str:
    """A match of :data:`_LATIN_WORD_WITH_DIGITS` with its zeros as the
    letter O when zeros are its only digits (:func:`reading_to_text`),
    capital when more than half its letters are."""
    text = word.group()
    digits = {character for character in text if character.isdigit()}
    if digits != {'0'}:
        return text
    letters = [character for character in text if not character.isdigit()]
    capitals = sum(letter.isupper() for letter in letters)
    return text.replace('0', 'O' if 2 * capitals > len(letters) else 'o')


#: A degree sign with a lower-case Celsius or Fahrenheit unit.
_DEGREE_UNIT = regex.compile(r'°[cf](?!\p{L})')
#: The Persian yeh (U+06CC) last in a word.
_FINAL_PERSIAN_YEH = regex.compile(r'\u06cc(?!\p{L})')
#: A dependent vowel sign or nasal mark (anusvara, candrabindu) of an
#: Indic script repeated.
_DOUBLED_SIGN = regex.compile(r'(\p{InSC=Vowel_Dependent}|\p{InSC=Bindu})\1+')


# Bidi classes of Arabic words (letters, marks, spaces): such text keeps
# the old label path, byte for byte, without running the bidi algorithm.
_RIGHT_TO_LEFT = frozenset(('AL', 'R', 'NSM', 'WS', 'BN'))


def _has_left_to_right(text: str) -> bool:
    """Whether ``text`` holds a character outside :data:`_RIGHT_TO_LEFT`
    (a digit, a Latin letter, punctuation): only such Arabic text has runs
    whose stored order differs from the reading order."""
    return any(unicodedata.bidirectional(c) not in _RIGHT_TO_LEFT
               for c in text)


def _arabic_storage_order(tokens: List[str]) -> List[str]:
    """Reading-order grapheme clusters of right-to-left text -> the order
    whose reversal is the image's left-to-right order (UBA levels, rule
    L2, clusters kept whole; mirrored brackets are not mirrored, so ARA
    samples use none)."""
    storage = bidi_algorithm.get_empty_storage()
    storage['base_level'], storage['base_dir'] = 1, 'R'
    text = ''.join(tokens)
    bidi_algorithm.get_embedding_levels(text, storage)
    # the steps set levels in these dicts; rule X9 drops some from storage
    chars = list(storage['chars'])
    for step in (bidi_algorithm.explicit_embed_and_overrides,
                 bidi_algorithm.resolve_weak_types,
                 bidi_algorithm.resolve_neutral_types,
                 bidi_algorithm.resolve_implicit_levels):
        step(storage, False)
    levels, start = [], 0
    for token in tokens:
        levels.append(chars[start]['level'])
        start += len(token)
    visual = list(range(len(tokens)))
    for level in range(max(levels), 0, -1):
        k = 0
        while k < len(visual):
            if levels[visual[k]] < level:
                k += 1
                continue
            end = k
            while end < len(visual) and levels[visual[end]] >= level:
                end += 1
            visual[k:end] = visual[k:end][::-1]
            k = end
    return [tokens[i] for i in reversed(visual)]


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
