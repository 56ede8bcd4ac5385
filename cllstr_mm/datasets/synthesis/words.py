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
import zlib
from typing import Dict, FrozenSet, Iterator, List, Optional, Sequence

import regex
import wordfreq

from cllstr_mm.datasets.labels import text_to_label
from cllstr_mm.utils.languages import max_label_length, split_label

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


def label_tokens(text: str, lang: str) -> List[str]:
    """Dictionary tokens of ``text``'s label, in image order."""
    return split_label(text_to_label(text, lang))


def _frequency_order(lang: str) -> Iterator[str]:
    lists = [wordfreq.iter_wordlist(code) for code in WORD_SOURCES[lang]]
    for words in itertools.zip_longest(*lists):
        yield from (word for word in words if word is not None)


def _usable(word: str, lang: str, max_len: int, require_charset: bool,
            charset: FrozenSet[str]) -> bool:
    for variant in case_variants(word, lang):
        label = text_to_label(variant, lang)
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
