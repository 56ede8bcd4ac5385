"""Which of the seven CLL-STR scripts a recognised word is written in.

A recogniser's text carries no language of its own; the Unicode script of
its characters tells it. Chinese and Japanese share the Han ideographs, so a
word with any hiragana or katakana is Japanese and one of ideographs alone
is Chinese.
"""
from collections import Counter
from typing import Optional

import regex

#: Unicode scripts that decide a language, and the language they vote for.
#: Han votes for JPN instead when the word holds kana.
_SCRIPT_LANGUAGE = (
    ('Arabic', 'ARA'),
    ('Bengali', 'BEN'),
    ('Devanagari', 'HIN'),
    ('Hangul', 'KOR'),
    ('Hiragana', 'JPN'),
    ('Katakana', 'JPN'),
    ('Han', 'CHI'),
    ('Latin', 'LAT'),
)
_SCRIPTS = [(regex.compile(rf'\p{{Script={script}}}'), lang)
            for script, lang in _SCRIPT_LANGUAGE]
#: Scripts whose words are written without spaces between them.
NO_SPACE_SCRIPTS = ('CHI', 'JPN')
# Digits, punctuation, spaces, combining marks and the ideographic
# iteration/prolonged-sound marks belong to every script (Unicode's Common
# and Inherited); they neither vote nor count against a script.
_NEUTRAL = regex.compile(r'[\p{Script=Common}\p{Script=Inherited}]')
_KANA = regex.compile(r'[\p{Script=Hiragana}\p{Script=Katakana}]')
#: Vote of a character of any other script (Cyrillic, Thai...).
_OTHER = 'other'


def detect_script(text: str, unknown_token: str = '[UNK]') -> Optional[str]:
    """The language of ``text`` by the Unicode scripts of its characters.

    Every character votes for the language of its script (Arabic -> 'ARA',
    Bengali -> 'BEN', Devanagari -> 'HIN', Hangul -> 'KOR', hiragana and
    katakana -> 'JPN', Han -> 'CHI', or 'JPN' when the text holds any kana,
    Latin -> 'LAT'); characters of another script vote for no language;
    digits, punctuation, spaces and combining marks do not vote. The most
    voted wins; a tie goes to the one whose first vote comes first in
    ``text``.

    Args:
        text: A recognised word (or line), any order of characters.
        unknown_token: The recogniser's unknown-character token
            (``MultilingualDictionary.unknown_token``), removed before
            voting so that its letters do not vote Latin.

    Returns:
        'ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR' or 'LAT'; None when no
        character votes (empty text, digits or punctuation only) or other
        scripts win.
    """
    if unknown_token:
        text = text.replace(unknown_token, '')
    han = 'JPN' if _KANA.search(text) else 'CHI'
    votes = Counter()
    for char in text:
        if _NEUTRAL.match(char):
            continue
        lang = next((lang for pattern, lang in _SCRIPTS
                     if pattern.match(char)), _OTHER)
        votes[han if lang == 'CHI' else lang] += 1
    if not votes:
        return None
    # Counter keeps first-seen order and most_common() is stable, so ties
    # go to the language seen first.
    lang = votes.most_common(1)[0][0]
    return None if lang == _OTHER else lang
