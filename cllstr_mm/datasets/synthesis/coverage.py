"""How much of what people write a charset can write, measured on the
``wordfreq`` lists, and the release charset built to write nearly all of it.

A word's tokens are those of the label the synthetic stream stores for it
(:func:`~cllstr_mm.datasets.labels.text_to_label` after :func:`~.words.respell_nukta`, whose
precomposed letters are canonically equivalent to what people type).
wordfreq writes every digit of a multi-digit number as ``0`` (``2024`` is
``0000``), so ``0`` stands for any digit there; its tokenizer drops
punctuation, so the shares say nothing about punctuation.

Two shares per script (:func:`coverage`):

- **words**: of the distinct words of the list, those whose every token is
  in the charset;
- **text**: of the tokens of running text (each word weighted by its
  wordfreq frequency), those in the charset.
"""
import heapq
from collections import Counter
from typing import (Callable, Collection, Dict, Iterable, List, NamedTuple,
                    Optional, Sequence, Tuple)

import wordfreq

from cllstr_mm.datasets.labels import text_to_label
from cllstr_mm.utils.languages import LANGUAGES, split_label
from .words import SCRIPT_PATTERNS, WORD_SOURCES, respell_nukta

#: Words per script the shares are measured on (wordfreq's ``'best'``
#: lists: ``large`` for ar bn zh ja en fr de it, ``small`` for hi ko).
DEFAULT_TOP_N = 100000
#: Running-text share per script that :func:`release_charset` reaches.
RELEASE_TARGET = 0.995

#: Digits: ASCII, Arabic-Indic, Eastern Arabic-Indic, Bengali, Devanagari.
DIGITS = ('0123456789' '\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667'
          '\u0668\u0669' '\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7'
          '\u06f8\u06f9' '০১২৩৪৫৬৭৮৯' '०१२३४५६७८९')
#: Punctuation and symbols of signs, prices and prose: ASCII's, typographic
#: quotes and dashes, currencies, units, CJK brackets and the full-width
#: forms people type in CJK text, the danda, Arabic comma, semicolon,
#: question mark, percent and decimal/thousands separators.
PUNCTUATION = ('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
               '–—‘’“”«»‹›…•·°×÷±§©®™€£¥₩₹৳¢‰№℃'
               '、。〈〉《》「」『』【】〔〕〜・'
               '！＂＃＄％＆＇（）＊＋，－．／：；＜＝＞？＠［＼］＾＿｀｛｜｝～￥'
               '।॥،؛؟٪٫٬')
#: Letters of the Latin-1 Supplement and Latin Extended-A blocks.
LATIN_LETTERS = ''.join(
    chr(c) for c in range(0xc0, 0x180) if chr(c).isalpha())
#: Hiragana, katakana and their iteration / prolonged-sound marks.
KANA = ''.join(chr(c) for c in range(0x3041, 0x3097)) + 'ゝゞ' + ''.join(
    chr(c) for c in range(0x30a1, 0x30fb)) + 'ーヽヾ々〆'
#: Letters whose contextual (presentation) forms the release writes: the
#: Arabic block's letters and the Persian/Urdu letters of Arabic signage.
ARABIC_LETTERS = ''.join(
    chr(c) for c in range(0x621, 0x64b)
    if chr(c).isalpha() and c != 0x640) + 'پچژگکی'


def _encodable_rows(codec: str, first_bytes: range,
                    code_points: range) -> str:
    """Characters whose two-byte ``codec`` encoding starts with one of
    ``first_bytes``: a row range of a national standard's table."""
    chars = []
    for code in code_points:
        try:
            encoded = chr(code).encode(codec)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and encoded[0] in first_bytes:
            chars.append(chr(code))
    return ''.join(chars)


def standard_lists() -> Dict[str, str]:
    """The common-use characters of the national standards, read from
    Python's codecs: GB 2312 level 1 (3,755 hanzi), JIS X 0208 level 1
    (2,965 kanji) and KS X 1001 (2,350 Hangul syllables)."""
    han = range(0x4e00, 0xa000)
    return {
        'CHI': _encodable_rows('gb2312', range(0xb0, 0xd8), han),
        'JPN': _encodable_rows('euc_jp', range(0xb0, 0xd0), han),
        'KOR': _encodable_rows('euc_kr', range(0xb0, 0xc9),
                               range(0xac00, 0xd7a4)),
    }


def arabic_forms(letters: str = ARABIC_LETTERS) -> List[str]:
    """Label tokens of ``letters`` in every joining context (isolated,
    initial, medial, final; after lam for the lam-alef ligatures)."""
    tokens = []
    for letter in letters:
        for context in ('{}', 'ب{}', '{}ب', 'ب{}ب', 'ل{}', 'بل{}'):
            tokens += split_label(text_to_label(context.format(letter), 'ARA'))
    return list(dict.fromkeys(t for t in tokens if t not in ('ب', 'ل')))


#: (word, frequency) pairs, most frequent first.
WordFreqs = List[Tuple[str, float]]


def word_frequencies(lang: str, top_n: Optional[int] = DEFAULT_TOP_N
                     ) -> WordFreqs:
    """The ``top_n`` most frequent words of ``lang``'s wordfreq lists
    (:data:`~.words.WORD_SOURCES`), all words and scripts as listed (digits
    and loanwords included). Each language's frequencies are scaled to sum
    to 1 and averaged over the script's languages (LAT: en fr de it).

    Args:
        lang: One of the seven CLL-STR scripts.
        top_n: Number of words; None for all.

    Returns:
        list[tuple[str, float]]: Words and frequencies, ties by spelling.
    """
    if lang not in WORD_SOURCES:
        raise KeyError(f'unknown language {lang!r}; expected one of '
                       f'{sorted(WORD_SOURCES)}')
    codes = WORD_SOURCES[lang]
    merged: Counter = Counter()
    for code in codes:
        freqs = wordfreq.get_frequency_dict(code, 'best')
        total = sum(freqs.values()) * len(codes)
        for word, freq in freqs.items():
            merged[word] += freq / total
    def rank(item):
        return -item[1], item[0]

    if top_n is None:
        return sorted(merged.items(), key=rank)
    return heapq.nsmallest(top_n, merged.items(), key=rank)


def word_tokens(word: str, lang: str) -> List[str]:
    """Dictionary tokens of ``word`` as the synthetic stream labels it
    (visual order)."""
    return split_label(text_to_label(respell_nukta(word), lang))


#: (label tokens of a word, its frequency) pairs, from :func:`tokenise`.
TokenisedWords = List[Tuple[List[str], float]]


def tokenise(word_freqs: Iterable[Tuple[str, float]],
             lang: str) -> TokenisedWords:
    """:func:`word_tokens` of each word, with its frequency: measured once,
    then checked against any number of charsets (Arabic reshaping costs
    about a millisecond a word)."""
    return [(word_tokens(word, lang), freq) for word, freq in word_freqs]


class Coverage(NamedTuple):
    """What a charset writes of a script's words (shares in 0-1)."""
    #: Share of the distinct words with every token in the charset.
    words: float
    #: Share of running text's tokens in the charset.
    text: float
    #: Running-text share of each token not in the charset.
    missing: Counter


def coverage(words: TokenisedWords, charset: Collection[str]) -> Coverage:
    """The shares of :class:`Coverage` of ``charset`` on ``words``.

    Args:
        words: Tokenised words and frequencies (:func:`tokenise` of e.g.
            :func:`word_frequencies`).
        charset: Tokens the dictionary writes.

    Returns:
        Coverage: Word share, running-text share, missing tokens.
    """
    written_words = 0
    text = 0.0
    missing: Counter = Counter()
    for tokens, freq in words:
        unknown = [token for token in tokens if token not in charset]
        written_words += not unknown
        text += freq * len(tokens)
        for token in unknown:
            missing[token] += freq
    if not words or not text:
        raise ValueError('no words to measure coverage on')
    for token in missing:
        missing[token] /= text
    return Coverage(written_words / len(words), 1 - sum(missing.values()),
                    missing)


def _text_masses(words: TokenisedWords) -> Tuple[Counter, float]:
    masses: Counter = Counter()
    for tokens, freq in words:
        for token in tokens:
            masses[token] += freq
    return masses, sum(masses.values())


def release_charset(base: Sequence[str],
                    top_n: Optional[int] = DEFAULT_TOP_N,
                    target: float = RELEASE_TARGET,
                    langs: Sequence[str] = LANGUAGES,
                    with_standard_lists: bool = True,
                    log: Callable[[str], None] = print) -> List[str]:
    """The release charset: ``base`` unchanged (so a model's classes keep
    their indexes), then in this order what it lacks of :data:`DIGITS`,
    :data:`PUNCTUATION`, :data:`LATIN_LETTERS`, :data:`KANA`,
    :func:`arabic_forms`, the :func:`standard_lists` (CHI, JPN, KOR), then
    per script the letters (script tokens, e.g. grapheme clusters, never
    other scripts or symbols) of its wordfreq text, most frequent first,
    until the script's running-text share reaches ``target``.

    Args:
        base: Tokens kept first, e.g. MLT19's.
        top_n: Words per script (:func:`word_frequencies`).
        target: Running-text share (0-1) to reach per script.
        langs: Scripts whose words add tokens.
        with_standard_lists: Add the :func:`standard_lists`.
        log: Called with one line per step.

    Returns:
        list[str]: The tokens, ready for ``write_charset``.
    """
    tokens = list(base)
    seen = set(tokens)

    def add(new: Iterable[str], what: str) -> None:
        count = len(tokens)
        for token in new:
            if token not in seen and token.strip():
                seen.add(token)
                tokens.append(token)
        log(f'{what}: +{len(tokens) - count} tokens ({len(tokens)} in all)')

    add(DIGITS, 'digits')
    add(PUNCTUATION, 'punctuation and symbols')
    add(LATIN_LETTERS, 'Latin-1 Supplement and Extended-A letters')
    add(KANA, 'kana')
    add(arabic_forms(), 'Arabic letter forms')
    if with_standard_lists:
        for lang, chars in standard_lists().items():
            add(chars, f'{lang} common-use standard list')
    for lang in langs:
        masses, total = _text_masses(
            tokenise(word_frequencies(lang, top_n), lang))
        covered = sum(masses[t] for t in seen if t in masses)
        letters = []
        for token, mass in sorted(masses.items(),
                                  key=lambda item: (-item[1], item[0])):
            if covered >= target * total:
                break
            if token not in seen and SCRIPT_PATTERNS[lang].fullmatch(token):
                letters.append(token)
                covered += mass
        add(letters, f'{lang} letters of wordfreq text (running text '
            f'{covered / total:.2%})')
    return tokens
