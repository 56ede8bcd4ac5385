"""Words to render, from the word-frequency lists of the ``wordfreq`` package.

Each script takes the words of its languages in frequency order (LAT
interleaves English, French, German and Italian rank by rank), keeps those
written only in the script's letters, whose CLL-STR label passes the
dataset's length filter and, by default, whose label tokens are all in the
joint charset (so the dictionary never maps them to UNK).
"""
import functools
import itertools
import os.path as osp
import unicodedata
import zlib
from typing import Dict, FrozenSet, Iterator, List, Optional, Sequence

import regex
import wordfreq

from bidi import algorithm as bidi_algorithm

from cllstr_mm.datasets.labels import has_grapheme_letters, to_cllstr_label
from cllstr_mm.utils.languages import (GRAPHEME_LANGUAGES, max_label_length,
                                       split_label)

#: wordfreq language codes per script.
WORD_SOURCES: Dict[str, Sequence[str]] = {
    'ARA': ('ar', ),
    'BEN': ('bn', ),
    'CHI': ('zh', ),
    'HIN': ('hi', ),
    'JPN': ('ja', ),
    'KOR': ('ko', ),
    'LAT': ('en', 'fr', 'de', 'it'),
}

#: A word is kept only when it matches its script's pattern in full: letters
#: and combining signs of the script, no digits, punctuation or mixed scripts.
SCRIPT_PATTERNS = {
    'ARA': regex.compile(r'(?V1)[\p{Arabic}&&\p{L}]+'),
    'BEN': regex.compile(r'(?V1)[\p{Bengali}&&[\p{L}\p{M}]]+'),
    'CHI': regex.compile(r'\p{Han}+'),
    'HIN': regex.compile(r'(?V1)[\p{Devanagari}&&[\p{L}\p{M}]]+'),
    # U+30FC (prolonged sound mark) is script Common but only used in kana.
    'JPN': regex.compile(r'[\p{Hiragana}\p{Katakana}\p{Han}\u30fc]+'),
    # Precomposed syllables only: lone jamo are chat artefacts (e.g. ㅋㅋ).
    'KOR': regex.compile(r'[\uac00-\ud7a3]+'),
    'LAT': regex.compile(r'\p{Latin}+'),
}

# Nukta letters that MLT19's labels (and so the charset) mostly hold
# precomposed, while wordfreq's NFC text holds them as letter + nukta.
_PRECOMPOSED_NUKTA = {
    '\u0921\u093c': '\u095c',
    '\u0922\u093c': '\u095d',
    '\u09a1\u09bc': '\u09dc',
    '\u09a2\u09bc': '\u09dd',
    '\u09af\u09bc': '\u09df',
}
_NUKTA_PATTERN = regex.compile('|'.join(_PRECOMPOSED_NUKTA))

CHARSET_FILE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'dicts',
    'MLT19_charset.txt')


@functools.lru_cache(maxsize=None)
def load_charset(path: str = CHARSET_FILE) -> FrozenSet[str]:
    """Tokens of a CLL-STR charset file (one per line)."""
    with open(path, encoding='utf-8') as f:
        return frozenset(line.rstrip('\n') for line in f if line.strip('\n'))


def case_variants(word: str, lang: str) -> Sequence[str]:
    """Spellings a word is rendered in: lower, Title and UPPER case for LAT
    (scene text uses all three), the word itself otherwise."""
    if lang != 'LAT':
        return (word, )
    return (word, word[:1].upper() + word[1:], word.upper())


def respell_nukta(word: str) -> str:
    """``word`` with its Devanagari/Bengali letter + nukta pairs spelled as
    the precomposed letters that MLT19's labels (and so the charsets) hold;
    other text unchanged."""
    return _NUKTA_PATTERN.sub(lambda m: _PRECOMPOSED_NUKTA[m.group()], word)


@functools.lru_cache(maxsize=1 << 16)
def synth_label(text: str, lang: str) -> str:
    """CLL-STR label of rendered ``text``.

    Arabic text is in logical order and is not bidi-reordered, so its label
    is stored in reading order, which the CTC converter reverses into the
    left-to-right order of the image. Digits and Latin letters inside Arabic
    text are drawn left to right (the bidi algorithm, as raqm lays them
    out), so each such run is stored reversed, and the converter's reversal
    gives the image's order for them too. Text of an ARA, BEN or HIN sample
    without a letter of those scripts (a number, a price) is stored plain,
    as :func:`~cllstr_mm.utils.languages.split_label` reads it: tab-joined,
    its tabs would be read as tokens. Cached: reshaping Arabic costs
    milliseconds.
    """
    if lang in GRAPHEME_LANGUAGES and not has_grapheme_letters(text):
        return text
    label = to_cllstr_label(text, lang, reorder=False)
    if lang == 'ARA' and any(
            unicodedata.bidirectional(c) not in _RIGHT_TO_LEFT
            for c in text):
        return '\t'.join(_arabic_storage_order(label.split('\t')))
    return label


# Bidi classes of Arabic words (letters, marks, spaces): such text keeps
# the old label path, byte for byte, without running the bidi algorithm.
_RIGHT_TO_LEFT = frozenset(('AL', 'R', 'NSM', 'WS', 'BN'))


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


def label_tokens(text: str, lang: str) -> List[str]:
    """Dictionary tokens of ``text``'s label, in image order."""
    return split_label(synth_label(text, lang))


def _frequency_order(lang: str) -> Iterator[str]:
    lists = [wordfreq.iter_wordlist(code) for code in WORD_SOURCES[lang]]
    for words in itertools.zip_longest(*lists):
        yield from (word for word in words if word is not None)


def _usable(word: str, lang: str, max_len: int, require_charset: bool,
            charset: FrozenSet[str]) -> bool:
    for variant in case_variants(word, lang):
        label = synth_label(variant, lang)
        if len(label) > max_len or (require_charset and not all(
                token in charset for token in split_label(label))):
            return False
    return True


def load_words(lang: str,
               vocab_size: Optional[int] = None,
               require_charset: bool = True,
               charset: Optional[FrozenSet[str]] = None) -> List[str]:
    """The ``vocab_size`` most frequent usable words of ``lang``.

    Args:
        lang: One of the seven CLL-STR scripts.
        vocab_size: Number of words; None for all (slow for large lists).
        require_charset: Keep only words whose label tokens (of every case
            variant) are all in ``charset``.
        charset: Tokens; defaults to the bundled MLT19 charset.

    Returns:
        list[str]: Words in frequency order, lower case for LAT. A word
        whose letter + nukta pairs are not in the charset is spelled with
        the precomposed nukta letters when those are.
    """
    if lang not in WORD_SOURCES:
        raise KeyError(f'unknown language {lang!r}; expected one of '
                       f'{sorted(WORD_SOURCES)}')
    charset = load_charset() if charset is None else charset
    pattern = SCRIPT_PATTERNS[lang]
    max_len = max_label_length(lang)
    words, seen = [], set()
    for word in _frequency_order(lang):
        if vocab_size is not None and len(words) >= vocab_size:
            break
        if word in seen or not pattern.fullmatch(word):
            continue
        seen.add(word)
        for spelling in dict.fromkeys((word, respell_nukta(word))):
            if _usable(spelling, lang, max_len, require_charset, charset):
                words.append(spelling)
                break
    if not words:
        raise ValueError(f'no usable {lang} word in the wordfreq lists '
                         f'{list(WORD_SOURCES[lang])}')
    return words


#: One word in ``HELDOUT_WORD_EVERY`` (by a hash of its spelling, so the
#: split does not depend on the vocabulary size) is held out of training.
HELDOUT_WORD_EVERY = 10


def split_words(words: Sequence[str], part: str) -> List[str]:
    """The words of ``part``: ``'heldout'`` those whose CRC-32 is a
    multiple of :data:`HELDOUT_WORD_EVERY`, ``'train'`` the others, ``'all'``
    every word; frequency order kept. Training and evaluation words are then
    disjoint whatever vocabulary sizes each uses."""
    if part == 'all':
        return list(words)
    if part not in ('train', 'heldout'):
        raise ValueError(
            f"word split {part!r}; use one of ('all', 'train', 'heldout')")
    heldout = part == 'heldout'
    return [
        w for w in words
        if (zlib.crc32(w.encode('utf-8')) % HELDOUT_WORD_EVERY == 0) ==
        heldout
    ]
