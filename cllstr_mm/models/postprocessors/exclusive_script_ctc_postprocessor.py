# Copyright (c) cllstr_mm contributors. All rights reserved.
from typing import Dict, List, Sequence, Tuple

import regex
import torch
from mmocr.models.textrecog.postprocessors import CTCPostProcessor
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

#: Scripts that never share a word: Bengali and Devanagari letters look
#: alike (several differ by a stroke) and a recogniser trained on both
#: mixes them inside a word (``গাड़ी``), which no text does; nor does any
#: text put Arabic, Hangul or kanji/kana inside another of these scripts'
#: words (``王는``, ``बै苦:``). Latin does appear inside Korean and
#: Japanese words (brand names, units; making it exclusive with Hangul cost
#: real-photo KOR 1.5 points, docs/model_zoo.md), but not inside Bengali,
#: Devanagari or Arabic ones, where the recogniser put it when a styled
#: Latin word looked like them (``Vয়াESE``, ``لeha``): a second group.
EXCLUSIVE_SCRIPTS = (('Bengali', 'Devanagari', 'Arabic', 'Hangul',
                      'Han+Hiragana+Katakana'),
                     ('Latin', 'Bengali', 'Devanagari', 'Arabic'))


@MODELS.register_module()
class ExclusiveScriptCTCPostProcessor(CTCPostProcessor):
    """MMOCR's greedy CTC decoding, then one script per word among scripts
    that never share one.

    When a reading holds letters of two or more scripts of a group in
    ``exclusive_scripts``, it is decoded again with the classes of the
    group's other scripts left out, keeping the script of most of the
    reading's tokens (on a tie, the one of the higher summed score); the
    groups are applied in turn. Other mixes, such as Latin inside Korean
    or kanji beside kana, are read as they are. A class belongs to the
    script of its first letter (Unicode ``Script``; digits count, a danda
    or punctuation shared by the scripts does not).

    Args:
        exclusive_scripts: Groups of Unicode script names; a member may
            join scripts that share words with ``+``
            (``'Han+Hiragana+Katakana'``: Japanese).
        space_weight: Factor on the space class's probability before
            decoding (1: MMOCR's greedy reading). Over 1 reads the narrow
            blanks between the words of a text line as spaces; the
            detection + recognition inferencer sets it for the regions
            its detector finds (``LINE_SPACE_WEIGHT``), word crops keep 1.
            A dictionary without a space class ignores it. A space's
            score stays its probability, not the weighted one: the
            readings of a region are chosen by their mean score.
        **kwargs: MMOCR's ``CTCPostProcessor`` arguments (``dictionary``,
            ``max_seq_len``, ``ignore_chars``).
    """

    def __init__(self,
                 exclusive_scripts: Sequence[Sequence[str]] = (
                     EXCLUSIVE_SCRIPTS),
                 space_weight: float = 1.0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.space_weight = space_weight
        tokens = self.dictionary.dict
        self._space = tokens.index(' ') if ' ' in tokens else None
        #: per group, each script's class indexes
        self.groups: List[Dict[str, List[int]]] = []
        for group in exclusive_scripts:
            patterns = {
                member: regex.compile('|'.join(
                    rf'\p{{Script={s}}}' for s in member.split('+')))
                for member in group
            }
            self.groups.append({
                script: [
                    index for index, token in enumerate(self.dictionary.dict)
                    if pattern.match(token)
                ]
                for script, pattern in patterns.items()
            })
        self._script_of = [{
            index: script
            for script, members in classes.items() for index in members
        } for classes in self.groups]

    def get_single_prediction(
            self, probs: torch.Tensor, data_sample: TextRecogDataSample
    ) -> Tuple[Sequence[int], Sequence[float]]:
        """Class indexes and scores of one image's reading.

        Args:
            probs: Class probabilities ``(T, C)``.
            data_sample: Its data sample (``valid_ratio`` is read).
        """
        if self.space_weight != 1 and self._space is not None:
            probs = probs.clone()
            probs[:, self._space] *= self.space_weight
        index, score = super().get_single_prediction(probs, data_sample)
        for classes, script_of in zip(self.groups, self._script_of):
            present: Dict[str, Tuple[int, float]] = {}
            for i, s in zip(index, score):
                if i in script_of:
                    count, total = present.get(script_of[i], (0, 0.))
                    present[script_of[i]] = (count + 1, total + s)
            if len(present) < 2:
                continue
            keep = max(present, key=present.get)
            probs = probs.clone()
            for script, members in classes.items():
                if script != keep:
                    probs[:, members] = -1.
            index, score = super().get_single_prediction(probs, data_sample)
        if self.space_weight != 1:
            score = [s / self.space_weight if i == self._space else s
                     for i, s in zip(index, score)]
        return index, score
