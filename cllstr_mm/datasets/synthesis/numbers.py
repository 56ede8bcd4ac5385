"""Strings of signs that are not dictionary words: numbers, prices, dates,
times, phone numbers, distances, percentages and numbers with a unit or
word (``56Km``, ``10.0起``, ``₹250``, ``3층``, ``১২৩ টাকা``, ``१०%``,
``١٢٣``), punctuation around words, and web and e-mail addresses built
from words (``www.busbd.com``, ``blog.naver.com``, ``name@mail.com``).

Everything is drawn from the generator passed in, so a sample stays a
function of its index. Digits are drawn in the script's own digit system
part of the time (:data:`DIGIT_SYSTEMS`).
"""
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from cllstr_mm.utils.scripts import NO_SPACE_SCRIPTS

_ASCII = '0123456789'
#: Digit systems of each script with their probabilities.
DIGIT_SYSTEMS: Dict[str, Sequence[Tuple[str, float]]] = {
    'ARA': ((_ASCII, 0.5), ('٠١٢٣٤٥٦٧٨٩', 0.4), ('۰۱۲۳۴۵۶۷۸۹', 0.1)),
    'BEN': ((_ASCII, 0.5), ('০১২৩৪৫৬৭৮৯', 0.5)),
    'HIN': ((_ASCII, 0.6), ('०१२३४५६७८९', 0.4)),
}
#: Currency signs written before and words/signs written after a price.
CURRENCIES: Dict[str, Tuple[Sequence[str], Sequence[str]]] = {
    'ARA': (('$', ), (' ريال', ' درهم', ' جنيه', ' دينار', '$')),
    'BEN': (('৳', '৳ ', '$'), (' টাকা', '/-', ' টাকা মাত্র')),
    'CHI': (('¥', '￥', '$'), ('元', '元起', '起', '/斤', '元/位')),
    'HIN': (('₹', '₹ ', 'रु.', '$'), (' रुपये', '/-', ' रु.')),
    'JPN': (('¥', '￥', '$'), ('円', '円~', '円（税込）', '万円')),
    'KOR': (('₩', '$'), ('원', '만원', '천원', '원~')),
    'LAT': (('$', '€', '£', '$ ', '€ '), ('€', ' €', '$', ' EUR', ' CHF')),
}
#: Units and counters written after a number.
UNITS: Dict[str, Sequence[str]] = {
    'ARA': (' كم', ' كغ', ' متر', ' م', ' سم', ' كيلو', ' دقيقة', '°',
            '°C'),
    'BEN': (' কিমি', 'টি', ' কেজি', ' মিটার', ' জন', 'তম', ' মিনিট', '°',
            '°C'),
    'CHI': ('楼', '号', '层', '米', '公里', '克', '分钟', '个', '人', '室',
            '°C', '℃', '度'),
    'HIN': (' किमी', ' किलो', ' मीटर', ' मिनट', ' लोग', 'वां', ' ग्राम',
            '°', '°C'),
    'JPN': ('階', '号', '個', '分', '番', '人', '枚', '号室', '丁目', '°C',
            '℃'),
    'KOR': ('층', '호', '번', '개', '분', '명', '동', '번지', '호선', '°',
            '°C'),
    'LAT': ('km', 'Km', ' km', 'm', 'cm', 'kg', 'g', 'ml', 'L', 'GB', 'h',
            'min', '°C', '℃', '°', '°F', 'th', 'st', 'nd', 'x', ' mph',
            'kW'),
}
#: Date formats: {y} {m} {d} are filled with numbers.
DATES: Dict[str, Sequence[str]] = {
    'CHI': ('{y}年{m}月{d}日', '{m}月{d}日', '{y}-{m2}-{d2}', '{y}.{m}.{d}'),
    'JPN': ('{y}年{m}月{d}日', '{m}月{d}日', '{y}/{m2}/{d2}', '{y}.{m}.{d}'),
    'KOR': ('{y}년 {m}월 {d}일', '{m}월 {d}일', '{y}.{m2}.{d2}', '{y}-{m2}-{d2}'),
}
_DEFAULT_DATES = ('{d2}/{m2}/{y}', '{d2}.{m2}.{y}', '{y}-{m2}-{d2}',
                  '{d}/{m}', '{d2}-{m2}-{y}')
#: Marks after a word, and pairs around one (none for ARA: right-to-left
#: text mirrors brackets and quotes, which its labels do not model).
TRAILING: Dict[str, str] = {
    'ARA': '،؛؟!.:',
    'BEN': '।,!?:;',
    'CHI': '。，！？：；、…',
    'HIN': '।,!?:;॥',
    'JPN': '。、！？：…',
    'KOR': '.,!?:~…',
    'LAT': '.,!?:;…',
}
#: Marks between two words of a clause or list. Those of the scripts
#: written without spaces (Chinese, Japanese) are full width and followed
#: by no space (the blank after the mark is part of its cell), the others
#: by one.
CLAUSE: Dict[str, str] = {
    'ARA': '،؛:',
    'BEN': ',;:।',
    'CHI': '，、：；。！？',
    'HIN': ',;:।',
    'JPN': '、。：！？',
    'KOR': ',:;.',
    'LAT': ',;:.',
}
PAIRS: Dict[str, Sequence[str]] = {
    'ARA': (),
    'BEN': ('""', "''", '()', '“”', '‘’'),
    'CHI': ('「」', '『』', '《》', '【】', '（）', '“”', '〈〉', '〔〕'),
    'HIN': ('""', "''", '()', '“”', '‘’'),
    'JPN': ('「」', '『』', '【】', '（）', '《》', '〈〉', '［］'),
    'KOR': ('「」', '《》', '【】', '()', '“”', '‘’', '〈〉', '[]'),
    'LAT': ('""', "''", '()', '[]', '“”', '‘’', '«»', '‹›', '{}', '<>'),
}
#: Signs that join two words or lead one (LAT: hashtags, e-mail-like).
JOINERS = ('-', '/', ' & ', ' - ', ' – ', ' — ', ' + ', '·', '_', ' | ')
LEADING = ('#', '@', '*', '~', '№', '§', '^', '`', '\\')


def _pick(rng: np.random.Generator, options: Sequence):
    return options[int(rng.integers(len(options)))]


def digit_system(rng: np.random.Generator, lang: str) -> str:
    """The ten digits a number of ``lang`` is written in."""
    systems = DIGIT_SYSTEMS.get(lang, ((_ASCII, 1.0), ))
    index = rng.choice(len(systems), p=[p for _, p in systems])
    return systems[int(index)][0]


def _digits(rng: np.random.Generator, system: str, lo: int, hi: int) -> str:
    """A number with lo-hi digits, no leading zero, in ``system``."""
    count = int(rng.integers(lo, hi + 1))
    first = system[int(rng.integers(1, 10))]
    return first + ''.join(
        system[int(d)] for d in rng.integers(0, 10, count - 1))


def _amount(rng: np.random.Generator, system: str, lang: str) -> str:
    """An integer (1-6 digits, maybe grouped by thousands) or a decimal."""
    number = _digits(rng, system, 1, 6)
    arabic_digits = lang == 'ARA' and system != _ASCII
    if len(number) > 3 and rng.random() < 0.5:
        sep = '٬' if arabic_digits else _pick(rng, (',', '.', ' '))
        head = len(number) % 3 or 3
        groups = [number[:head]] + [
            number[i:i + 3] for i in range(head, len(number), 3)]
        number = sep.join(groups)
    elif rng.random() < 0.3:
        sep = '٫' if arabic_digits else _pick(rng, ('.', ','))
        number += sep + ''.join(
            system[int(d)] for d in rng.integers(0, 10, rng.integers(1, 3)))
    return number


def _price(rng, system, lang):
    before, after = CURRENCIES[lang]
    if rng.random() < 0.5:
        return _pick(rng, before) + _amount(rng, system, lang)
    return _amount(rng, system, lang) + _pick(rng, after)


def _unit(rng, system, lang):
    return _amount(rng, system, lang) + _pick(rng, UNITS[lang])


def _percent(rng, system, lang):
    sign = '٪' if lang == 'ARA' and system != _ASCII else \
        _pick(rng, ('%', '％')) if lang in ('CHI', 'JPN') else '%'
    return _amount(rng, system, lang) + sign


def _date(rng, system, lang):
    year, month, day = (int(rng.integers(1950, 2036)),
                        int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    text = _pick(rng, DATES.get(lang, _DEFAULT_DATES)).format(
        y=year, m=month, d=day, m2=f'{month:02d}', d2=f'{day:02d}')
    return text.translate(str.maketrans(_ASCII, system))


def _time(rng, system, lang):
    hour, minute = int(rng.integers(0, 24)), int(rng.integers(0, 60))
    text = _pick(rng, ('{h}:{m:02d}', '{h:02d}:{m:02d}', '{h}:{m:02d}:00',
                       '{h}:{m:02d}-{h2}:00')).format(
                           h=hour, m=minute, h2=(hour + 8) % 24)
    return text.translate(str.maketrans(_ASCII, system))


def _phone(rng, system, lang):
    groups = _pick(rng, ((3, 4, 4), (3, 3, 4), (4, 4), (2, 4, 4), (5, 5),
                         (3, 4)))
    sep = _pick(rng, ('-', ' ', '.', '-'))
    number = sep.join(
        ''.join(system[int(d)] for d in rng.integers(0, 10, g))
        for g in groups)
    if rng.random() < 0.3:
        number = '+' + _digits(rng, system, 1, 3) + ' ' + number
    elif lang == 'LAT' and rng.random() < 0.2:
        number = _pick(rng, ('Tel: ', 'Tel. ', 'Fax ')) + number
    return number


def _plain(rng, system, lang):
    return _amount(rng, system, lang)


#: The kinds of number strings, each with its share.
KINDS: Sequence[Tuple[Callable, float]] = (
    (_plain, 0.2), (_price, 0.2), (_unit, 0.2), (_percent, 0.1),
    (_date, 0.1), (_time, 0.1), (_phone, 0.1))


def number_text(rng: np.random.Generator, lang: str) -> str:
    """A number string of ``lang``: a plain number, price, number with a
    unit or counter, percentage, date, time or phone number (shares in
    :data:`KINDS`), in one of the script's digit systems."""
    index = rng.choice(len(KINDS), p=[share for _, share in KINDS])
    return KINDS[int(index)][0](rng, digit_system(rng, lang), lang)


def punctuate(rng: np.random.Generator, words: List[str], lang: str,
              separator: str) -> str:
    """``words`` joined by ``separator``, with punctuation as in running
    text and on signs: a trailing mark, a bracket or quote pair around
    them, a clause mark between two words (:data:`CLAUSE`: ``东京，大学``,
    ``Paris, Rome``), or (LAT) a joining sign between two words or a
    leading sign."""
    kinds = ['trailing'] + ['pair'] * bool(PAIRS[lang]) + \
        ['clause'] * (len(words) > 1)
    if lang == 'LAT':
        kinds += ['join', 'leading']
    kind = _pick(rng, kinds)
    if kind == 'join' and len(words) > 1:
        return _pick(rng, JOINERS).join(words)
    if kind == 'clause':
        cut = 1 + int(rng.integers(len(words) - 1))
        mark = _pick(rng, CLAUSE[lang]) + (
            '' if lang in NO_SPACE_SCRIPTS else ' ')
        return separator.join(words[:cut]) + mark + \
            separator.join(words[cut:])
    text = separator.join(words)
    if kind == 'trailing':
        return text + _pick(rng, TRAILING[lang])
    if kind == 'pair':
        pair = _pick(rng, PAIRS[lang])
        return pair[0] + text + pair[1]
    return _pick(rng, LEADING) + text


#: Top-level domains, those of the seven scripts' countries among them.
DOMAINS = ('com', 'com', 'com', 'org', 'net', 'in', 'co.in', 'com.bd',
           'bd', 'co.kr', 'kr', 'cn', 'com.cn', 'jp', 'co.jp', 'eg', 'ae',
           'sa', 'com.sa', 'de', 'fr', 'it', 'es', 'co.uk', 'io', 'edu',
           'gov', 'info')
#: Shapes of an address: {w}, {v} and {u} are words, {d} a domain, {n} a
#: number.
ADDRESSES = ('www.{w}.{d}', 'www.{w}{v}.{d}', 'www.{w}-{v}.{d}',
             '{w}.{d}', '{w}{v}.{d}', '{w}.{v}.{d}', 'blog.{w}.{d}',
             'm.{w}.{d}', 'https://{w}.{d}', 'https://www.{w}.{d}/{v}',
             'http://www.{w}.{d}', '{w}.{d}/{v}', '{w}{n}.{d}',
             '{w}@{v}.{d}', '{w}.{v}@{u}.{d}', '{w}{n}@{v}.{d}',
             'info@{w}.{d}')


def address_text(rng: np.random.Generator, words: Sequence[str]) -> str:
    """A web or e-mail address (:data:`ADDRESSES`, :data:`DOMAINS`) made of
    ``words`` (lower-case ASCII letters), in capitals one time in ten as
    signs print them. Screenshots and signs show addresses in every
    script's text, and a recogniser that never saw one drops the dots and
    reads ``www`` as Arabic-Indic sevens."""
    text = _pick(rng, ADDRESSES).format(
        w=_pick(rng, words), v=_pick(rng, words), u=_pick(rng, words),
        d=_pick(rng, DOMAINS),
        n=int(rng.integers(1, 100)))
    return text.upper() if rng.random() < 0.1 else text
