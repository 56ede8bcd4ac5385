"""Strings for the second renderer: words that training never draws and
strings that no word list holds (numbers, prices, dates, words with
punctuation), in each script's own digits where people write them."""
from typing import List, Sequence

import numpy as np

from ..render import MAX_WORDS
from ..words import case_variants, load_words, split_words

#: Vocabulary sizes of the released model's training words
#: (configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7.py), so the
#: held-out words come from the same frequency range.
VOCAB_SIZES = {'ARA': 20000, 'BEN': 20000, 'CHI': 20000, 'HIN': 20000,
               'JPN': 20000, 'KOR': 30000, 'LAT': 50000}

#: Each script's own digits, where its writers use them beside 0-9.
NATIVE_DIGITS = {
    'ARA': '٠١٢٣٤٥٦٧٨٩',
    'BEN': '০১২৩৪৫৬৭৮৯',
    'HIN': '०१२३४५६७८९',
}

#: Punctuation put around a word: (before, after) pairs as the script
#: writes them.
WORD_PUNCTUATION = {
    'ARA': (('', '.'), ('', ':'), ('', '!'), ('', '؟'), ('', '،'),
            ('(', ')'), ('«', '»')),
    'BEN': (('', '।'), ('', ':'), ('', '!'), ('', '?'), ('', ','),
            ('(', ')'), ('‘', '’')),
    'HIN': (('', '।'), ('', ':'), ('', '!'), ('', '?'), ('', ','),
            ('(', ')'), ('"', '"')),
    'CHI': (('', '：'), ('', '！'), ('', '。'), ('（', '）'), ('“', '”'),
            ('【', '】'), ('', '、')),
    'JPN': (('', '：'), ('', '！'), ('', '。'), ('（', '）'), ('「', '」'),
            ('【', '】'), ('', '、')),
    'KOR': (('', '.'), ('', ':'), ('', '!'), ('', '?'), ('(', ')'),
            ('[', ']'), ('', ',')),
    'LAT': (('', '.'), ('', ':'), ('', '!'), ('', '?'), ('(', ')'),
            ('"', '"'), ('', ','), ('#', '')),
}

#: Unit and currency words written next to a number, per script: ``{n}``
#: is replaced by a number.
NUMBER_TEMPLATES = {
    'ARA': ('{n}', '{n} ريال', '{n}ر.س', '{n} كم', '{n}٪', '{n} د.إ',
            '{n} جنيه', 'ص.ب {n}', '{n} دقيقة', '{n}$', '{n}%'),
    'BEN': ('{n}', '৳{n}', '{n} টাকা', '{n}টি', '{n} কিমি', '{n}%',
            '{n} মিনিট', '{n}তম', 'নং {n}', '{n}/-'),
    'CHI': ('{n}', '¥{n}', '{n}元', '{n}.0起', '{n}楼', '{n}号', '{n}公里',
            '{n}%', '{n}折', '{n}小时', '第{n}名', '{n}km', '满{n}减{m}',
            '{n}元/斤'),
    'HIN': ('{n}', '₹{n}', 'रु.{n}', '{n} रुपये', '{n} किमी', '{n}%',
            '{n}वां', 'नं. {n}', '{n} मिनट', '{n}/-'),
    'JPN': ('{n}', '¥{n}', '{n}円', '{n}階', '{n}号', '{n}km', '{n}%OFF',
            '{n}分', '第{n}位', '{n}名様', '{n}円(税込)', '{n}番線'),
    'KOR': ('{n}', '₩{n}', '{n}원', '{n}층', '{n}호', '{n}km', '{n}%',
            '{n}분', '{n}번', '제{n}회', '{n}개', '{n}시간'),
    'LAT': ('{n}', '${n}', '€{n}', '£{n}', '{n}€', '{n}Km', '{n}km/h',
            '{n}%', 'No.{n}', '#{n}', '{n}kg', '{n}min', '{n}mm', '{n}x'),
}
#: Dates and times per script (``{d}`` day, ``{mo}`` month, ``{y}`` year,
#: ``{h}``/``{mi}`` hour and minute, two digits).
DATE_TEMPLATES = {
    'ARA': ('{d}/{mo}/{y}', '{h}:{mi}', '{y}-{mo}-{d}'),
    'BEN': ('{d}/{mo}/{y}', '{h}:{mi}', '{d}.{mo}.{y}'),
    'CHI': ('{y}年{mo}月{d}日', '{h}:{mi}', '{mo}月{d}日', '{y}-{mo}-{d}',
            '{h}:{mi}-{h}:{mi}'),
    'HIN': ('{d}/{mo}/{y}', '{h}:{mi}', '{d}.{mo}.{y}'),
    'JPN': ('{y}年{mo}月{d}日', '{h}:{mi}', '{mo}/{d}', '{h}:{mi}～',
            '{y}.{mo}.{d}'),
    'KOR': ('{y}.{mo}.{d}', '{h}:{mi}', '{mo}월{d}일', '{y}년'),
    'LAT': ('{d}/{mo}/{y}', '{h}:{mi}', '{y}-{mo}-{d}', '{d}.{mo}.{y}',
            '{h}:{mi}h', '{h}:{mi}PM'),
}
#: Phone-number layouts (``9`` is a random digit).
PHONE_TEMPLATES = ('999-9999', '999-999-9999', '9999 999 999', '(99)9999-9999',
                   '+99 99 999 9999', '99-9999-9999')


def _digits(rng: np.random.Generator, count: int) -> str:
    return ''.join(str(d) for d in rng.integers(0, 10, count))


def _number(rng: np.random.Generator) -> str:
    """A number as prices and signs write them: integers of 1-5 digits,
    thousands separated or not, or with one or two decimals."""
    kind = rng.integers(0, 4)
    value = int(10 ** rng.uniform(0, 5))
    if kind == 0 and value >= 1000:
        return f'{value:,}'
    if kind == 1:
        return f'{value % 1000}.{_digits(rng, int(rng.integers(1, 3)))}'
    return str(value)


def _localise_digits(text: str, lang: str) -> str:
    digits = NATIVE_DIGITS[lang]
    return ''.join(digits[int(c)] if c.isdigit() and c.isascii() else c
                   for c in text)


def non_word(lang: str, rng: np.random.Generator,
             words: Sequence[str]) -> str:
    """A string no word list holds: a number with a unit or currency, a
    date or time, a phone number, or a word of ``words`` with punctuation.
    ARA, BEN and HIN write half of their numbers in their own digits."""
    kind = rng.choice(('number', 'number', 'date', 'phone', 'punct',
                       'punct'))
    if kind == 'punct':
        before, after = WORD_PUNCTUATION[lang][rng.integers(
            0, len(WORD_PUNCTUATION[lang]))]
        word = words[rng.integers(0, len(words))]
        if lang == 'LAT':
            word = case_variants(word, lang)[rng.integers(0, 3)]
        return f'{before}{word}{after}'
    if kind == 'number':
        template = NUMBER_TEMPLATES[lang][rng.integers(
            0, len(NUMBER_TEMPLATES[lang]))]
        text = template.format(n=_number(rng), m=rng.integers(5, 50))
    elif kind == 'date':
        template = DATE_TEMPLATES[lang][rng.integers(
            0, len(DATE_TEMPLATES[lang]))]
        text = template.format(
            d=f'{rng.integers(1, 29):02d}', mo=f'{rng.integers(1, 13):02d}',
            y=str(rng.integers(1990, 2031)), h=f'{rng.integers(0, 24):02d}',
            mi=f'{rng.integers(0, 12) * 5:02d}')
    else:
        template = PHONE_TEMPLATES[rng.integers(0, len(PHONE_TEMPLATES))]
        text = ''.join(str(rng.integers(0, 10)) if c == '9' else c
                       for c in template)
    if lang in NATIVE_DIGITS and rng.random() < 0.5:
        text = _localise_digits(text, lang)
    return text


def heldout_words(lang: str) -> List[str]:
    """The words of ``lang`` that the released model never trains on: the
    ``'heldout'`` part of its vocabulary, not filtered to the dictionary
    (so the set shows what the dictionary cannot write)."""
    words = load_words(lang, VOCAB_SIZES[lang], require_charset=False)
    return split_words(words, 'heldout')


def draw_string(lang: str, rng: np.random.Generator, words: Sequence[str],
                non_word_prob: float = 0.15) -> str:
    """One string to render: with ``non_word_prob`` a :func:`non_word`,
    else one of ``words`` (CHI and JPN join up to
    :data:`~..render.MAX_WORDS` of them, as their signs run words together;
    LAT takes a random case)."""
    if rng.random() < non_word_prob:
        return non_word(lang, rng, words)
    count = 1
    if lang in ('CHI', 'JPN'):
        count = int(rng.integers(1, MAX_WORDS[lang] + 1))
    text = ''.join(words[i] for i in rng.integers(0, len(words), count))
    if lang == 'LAT':
        text = case_variants(text, lang)[rng.choice(3, p=(0.5, 0.3, 0.2))]
    return text

