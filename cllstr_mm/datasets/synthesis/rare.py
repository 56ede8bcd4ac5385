"""Samples built around the dictionary classes a script's word stream shows
least, so that every class is trained.

Which classes the stream shows is known without drawing it: words are drawn
uniformly from the vocabulary, so a class's expected count per word is its
mean count over the vocabulary's words. Rare draws pick classes by water
filling: the distribution that, added to the word draws, raises the least
expected classes to one common level (the highest minimum the rare share
allows), never spending on classes already above it. Keeping running counts
of what was emitted instead would make a sample depend on the samples drawn
before it (and on the DataLoader worker that drew it); expected counts keep
each sample a function of its index.
"""
from collections import Counter
from typing import Collection, Dict, List, Sequence

import numpy as np
import regex

from .words import SCRIPT_PATTERNS, label_tokens

#: Classes that are no script's letters go to the script whose samples
#: draw them: Arabic, Bengali and Devanagari digits and signs to theirs,
#: CJK punctuation and full-width forms to CHI, the rest (ASCII and Latin-1
#: signs, currencies, danda) to LAT.
_SIGN_SCRIPTS = (
    ('ARA', regex.compile(r'\p{Arabic}')),
    ('BEN', regex.compile(r'\p{Bengali}')),
    ('HIN', regex.compile(r'\p{Devanagari}')),
    ('CHI', regex.compile(r'[\u3000-\u303f\uff00-\uffef]')),
    ('JPN', regex.compile(r'[\u30fb\u30fc]')),
)


def class_script(token: str) -> str:
    """The script whose rare draws cover ``token``: the script whose letters
    it is (Han: CHI; JPN takes kana), else by :data:`_SIGN_SCRIPTS`, else
    LAT."""
    for lang in ('CHI', 'KOR', 'ARA', 'BEN', 'HIN', 'JPN', 'LAT'):
        if SCRIPT_PATTERNS[lang].fullmatch(token):
            return lang
    for lang, pattern in _SIGN_SCRIPTS:
        if pattern.search(token):
            return lang
    return 'LAT'


def water_fill(expected: np.ndarray, share: float) -> np.ndarray:
    """Probabilities ``q`` of drawing each class in a rare draw such that
    ``(1 - share) * expected + share * q`` has the highest minimum.

    Args:
        expected: Expected count of each class per ordinary draw, shape
            (K, ), >= 0.
        share: Share (0-1] of draws that are rare draws.

    Returns:
        np.ndarray: ``q``, shape (K, ), summing to 1; 0 for every class
        already above the level the rare draws raise the others to.
    """
    if not 0 < share <= 1:
        raise ValueError(f'share must be within (0, 1], got {share}')
    base = (1 - share) / share * np.asarray(expected, dtype=np.float64)
    ordered = np.sort(base)
    # The level L with sum(max(0, L - base)) = 1 when the k least classes
    # are filled is levels[k - 1]; the right k is the last whose level
    # still lies above its k-th class (a prefix of k's qualify).
    levels = (1 + np.cumsum(ordered)) / np.arange(1, len(ordered) + 1)
    level = levels[np.nonzero(ordered < levels)[0][-1]]
    fill = np.clip(level - base, 0, None)
    return fill / fill.sum()


class RareClassSampler:
    """Draws text around the classes of one script that its word stream
    shows least.

    Args:
        lang: The script.
        words: The stream's vocabulary (drawn uniformly).
        charset: The dictionary's tokens; the script's classes are those
            :func:`class_script` gives to ``lang``.
        share: Share (0-1] of the script's samples that are rare draws.
        words_per_sample: Mean number of words in an ordinary sample.
    """

    def __init__(self, lang: str, words: Sequence[str],
                 charset: Collection[str], share: float,
                 words_per_sample: float = 1.0) -> None:
        self.lang = lang
        self.words = list(words)
        self.classes = sorted(t for t in charset if class_script(t) == lang)
        if not self.classes:
            raise ValueError(f'the dictionary has no {lang} class')
        position = {token: k for k, token in enumerate(self.classes)}
        counts: Counter = Counter()
        self.index: Dict[int, List[int]] = {}
        for w, word in enumerate(self.words):
            for token in label_tokens(word, lang):
                k = position.get(token)
                if k is not None:
                    counts[k] += 1
                    self.index.setdefault(k, []).append(w)
        expected = np.zeros(len(self.classes))
        for k, count in counts.items():
            expected[k] = count * words_per_sample / len(self.words)
        self.expected = expected
        self.probs = water_fill(expected, share)

    def draw(self, rng: np.random.Generator) -> str:
        """Text holding one rare class: a vocabulary word that has it, else
        the class after (or before) a vocabulary word, else the class
        alone (when the word would merge with it into another token)."""
        k = int(rng.choice(len(self.classes), p=self.probs))
        token = self.classes[k]
        holders = self.index.get(k)
        if holders:
            return self.words[holders[int(rng.integers(len(holders)))]]
        word = self.words[int(rng.integers(len(self.words)))]
        text = word + token if rng.random() < 0.5 else token + word
        if token in label_tokens(text, self.lang):
            return text
        return token
