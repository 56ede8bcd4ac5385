"""Per-language 1-NED and word accuracy, as CLL-STR's test.py scores them."""
import logging
import unicodedata
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import METRICS
from rapidfuzz.distance import Levenshtein

from cllstr_mm.datasets.labels import split_known
from cllstr_mm.models.common.dictionary import build_dictionary
from cllstr_mm.utils.languages import TABLE_ORDER, is_arabic, split_label

#: Group of the samples whose metainfo has no language.
UNKNOWN_LANGUAGE = 'UNK'
#: How a sample was counted: scored, scored 0 for lack of a ground truth,
#: or left out because its image could not be read.
SCORED, EMPTY_GT, UNREADABLE = 'scored', 'empty_gt', 'unreadable'


def one_minus_ned(pred: str, gt: str) -> float:
    """ICDAR 2019 1-NED of one sample, in [0, 1].

    ``1 - Levenshtein(pred, gt) / max(len(pred), len(gt))`` on code points,
    case-sensitive; 0 when either string is empty, as the original scored.
    """
    if not pred or not gt:
        return 0.0
    return 1 - Levenshtein.distance(pred, gt) / max(len(pred), len(gt))


@METRICS.register_module()
class MultilingualRecogMetric(BaseMetric):
    """1-NED and exact word accuracy per language, pooled and macro.

    Not MMOCR's ``WordMetric``: its default mode deletes all but
    ``[A-Za-z0-9]`` and CJK ideographs, and it has no 1-NED or languages.

    Each sample is scored as the original ``test.py`` did: both strings in
    visual (image) order, ground-truth tokens the dictionary does not know
    deleted, the unknown token deleted from the prediction, tabs removed;
    then 1-NED (:func:`one_minus_ned`) and exact match, both case-sensitive.
    With ``drop_unknown_gt=False`` every ground-truth token is kept, so a
    character the model's dictionary cannot write counts as an error: the
    protocol for text from outside MLT19 (the real-text dev set, the second
    renderer's set); the paper's configs keep the original's. There, text
    typed by people may also spell a character another way than the
    dictionary does (Devanagari क़ as one code point or as क + nukta), so
    ``unicode_form='NFC'`` puts both strings in one normal form first.
    A sample whose ground truth is empty after this (e.g. a label all of
    whose tokens are outside the dictionary) scores 0 for both, whatever the
    prediction, and is counted (``num_empty_gt``, with a warning): an empty
    prediction would otherwise match it. A sample whose image could not be
    read (metainfo ``unreadable``, see ``LangLMDBDataset``) is not scored and
    is counted (``num_unreadable``).

    Predictions are expected as :meth:`MultilingualDictionary.idx2str` gives
    them (reading order, no tabs); an Arabic one is reversed back code point
    by code point. Every Arabic-script token of the MLT19 charset is one code
    point, so this is the original's emission order unless the prediction
    also holds a multi-code-point token (a Devanagari/Bengali cluster) whose
    code points the label shares. Predictions in the stored label format
    (tab-joined tokens) are parsed exactly like labels.

    The language is read from the metainfo key ``lang_key`` (e.g. 'KOR');
    samples without it form the group ``'UNK'``. Results, all in percent
    except the counts, with the evaluator's prefix (``recog/`` by default):

    - ``1-NED``, ``word_acc``: pooled over all scored samples (= weighted
      by sample count), the original's total and model-selection score;
      ``num_samples`` (scored, empty ground truths included),
      ``num_empty_gt``, ``num_unreadable``.
    - ``macro_1-NED``, ``macro_word_acc``: unweighted mean over the
      language groups present.
    - ``{LANG}/1-NED``, ``{LANG}/word_acc``, ``{LANG}/num_samples``,
      ``{LANG}/num_empty_gt``, ``{LANG}/num_unreadable`` per group, in the
      original table order (CHI, BEN, HIN, JPN, ARA, KOR, LAT), then other
      languages alphabetically, then ``UNK``.

    MMEngine cannot infer whether a larger ``1-NED`` is better, so keep the
    best checkpoint with ``default_hooks = dict(checkpoint=dict(
    type='CheckpointHook', save_best='recog/1-NED', rule='greater'))``.

    Args:
        dictionary (dict or Dictionary, optional): The recogniser's
            dictionary, which decides which ground-truth tokens count.
            Defaults to None: ``MultilingualDictionary()`` (MLT19 charset).
        lang_key (str): Metainfo key of the language. Defaults to 'lang'.
        drop_unknown_gt (bool): Delete the ground-truth tokens outside the
            dictionary before scoring, as MLT19's protocol does. Defaults to
            True; False counts every character.
        unicode_form (str, optional): Unicode normal form ('NFC', ...)
            both strings are put in before scoring. Defaults to None
            (compared as they are, as the original did).
        subset (str, optional): Score only the samples whose metainfo
            ``subset`` is this (``CropFolderDataset(subset=...)``); None,
            the default, scores those without one. Several metrics with
            their own ``prefix`` then score the parts of one concatenated
            validation set apart.
        collect_device (str): 'cpu' or 'gpu', for gathering results across
            ranks. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the keys. Defaults to 'recog'.

    Example:
        >>> val_evaluator = dict(
        ...     type='MultilingualRecogMetric',
        ...     dictionary=dict(type='MultilingualDictionary'))
    """

    default_prefix: Optional[str] = 'recog'

    def __init__(self,
                 dictionary: Union[Dict, Dictionary, None] = None,
                 lang_key: str = 'lang',
                 drop_unknown_gt: bool = True,
                 unicode_form: Optional[str] = None,
                 subset: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device, prefix)
        dictionary = build_dictionary(dictionary, type(self).__name__)
        self.dictionary = dictionary
        self.lang_key = lang_key
        self.drop_unknown_gt = drop_unknown_gt
        if unicode_form not in (None, 'NFC', 'NFD', 'NFKC', 'NFKD'):
            raise ValueError(f'unicode_form={unicode_form!r}; use None, '
                             "'NFC', 'NFD', 'NFKC' or 'NFKD'")
        self.unicode_form = unicode_form
        self.subset = subset
        self.unknown_token = None if dictionary.unknown_idx is None else \
            dictionary.dict[dictionary.unknown_idx]

    def normalize_gt(self, gt: str) -> str:
        """Stored label -> its tokens (the known ones only, with
        ``drop_unknown_gt``) joined in visual order."""
        if self.drop_unknown_gt:
            gt = ''.join(split_known(gt, self.dictionary)[0])
        else:
            gt = ''.join(split_label(gt))
        return self._normal_form(gt)

    def normalize_pred(self, pred: str) -> str:
        """Prediction -> text in visual order without the unknown token."""
        if self.unknown_token:
            pred = pred.replace(self.unknown_token, '')
        if '\t' not in pred and is_arabic(pred):
            return self._normal_form(pred[::-1])
        return self._normal_form(''.join(split_label(pred)).replace('\t', ''))

    def _normal_form(self, text: str) -> str:
        if self.unicode_form is None:
            return text
        return unicodedata.normalize(self.unicode_form, text)

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Score each sample; keeps ``(lang, 1-NED, exact match, how it
        was counted)``, the last one of ``'scored'``, ``'empty_gt'``,
        ``'unreadable'``.

        Args:
            data_batch (Sequence[Dict]): Unused.
            data_samples (Sequence[Dict]): Outputs with ``pred_text.item``,
                ``gt_text.item`` and optionally the language key and
                ``unreadable``.
        """
        for data_sample in data_samples:
            if data_sample.get('subset') != self.subset:
                continue
            lang = data_sample.get(self.lang_key) or UNKNOWN_LANGUAGE
            if data_sample.get('unreadable'):
                self.results.append((lang, 0.0, False, UNREADABLE))
                continue
            pred = self.normalize_pred(
                data_sample.get('pred_text').get('item'))
            gt = self.normalize_gt(data_sample.get('gt_text').get('item'))
            if not gt:
                self.results.append((lang, 0.0, False, EMPTY_GT))
                continue
            self.results.append(
                (lang, one_minus_ned(pred, gt), pred == gt, SCORED))

    def compute_metrics(
        self, results: List[Tuple[str, float, bool, str]]
    ) -> Dict[str, Union[float, int]]:
        """Aggregate per language, pooled and macro (percentages)."""
        groups = defaultdict(list)
        for result in results:
            groups[result[0]].append(result)
        others = sorted(set(groups) - set(TABLE_ORDER) - {UNKNOWN_LANGUAGE})
        order = [lang for lang in TABLE_ORDER if lang in groups] + others
        if UNKNOWN_LANGUAGE in groups:
            order.append(UNKNOWN_LANGUAGE)

        per_lang = {}
        for lang in order:
            per_lang.update({
                f'{lang}/{key}': value
                for key, value in _scores(groups[lang]).items()
            })
        pooled = _scores(results)
        metrics = {
            '1-NED': pooled.pop('1-NED'),
            'word_acc': pooled.pop('word_acc'),
            'macro_1-NED': _mean(per_lang[f'{lang}/1-NED'] for lang in order),
            'macro_word_acc':
            _mean(per_lang[f'{lang}/word_acc'] for lang in order),
        }
        metrics.update(pooled)
        metrics.update(per_lang)
        for key, what in (('num_empty_gt', 'have no ground truth left once '
                           'tokens outside the dictionary are removed; they '
                           'score 0'),
                          ('num_unreadable', 'have an image that cannot be '
                           'read; they are not scored')):
            if metrics[key]:
                counts = ', '.join(f'{lang} {per_lang[f"{lang}/{key}"]}'
                                   for lang in order
                                   if per_lang[f'{lang}/{key}'])
                print_log(
                    f'MultilingualRecogMetric: {metrics[key]} samples {what} '
                    f'({counts})',
                    logger='current',
                    level=logging.WARNING)
        return metrics


def _scores(results: List[Tuple[str, float, bool, str]]
            ) -> Dict[str, Union[float, int]]:
    """1-NED and word accuracy (percent) of the scored samples, and the
    counts."""
    scored = [r for r in results if r[3] != UNREADABLE]
    return {
        '1-NED': _percent(r[1] for r in scored),
        'word_acc': _percent(r[2] for r in scored),
        'num_samples': len(scored),
        'num_empty_gt': sum(r[3] == EMPTY_GT for r in results),
        'num_unreadable': sum(r[3] == UNREADABLE for r in results),
    }


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _percent(values) -> float:
    return 100 * _mean(values)
