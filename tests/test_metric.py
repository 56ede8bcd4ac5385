"""MultilingualRecogMetric against hand-computed 1-NED / word accuracy."""
import random

import pytest
from mmengine.evaluator import Evaluator
from mmengine.structures import LabelData
from mmocr.registry import METRICS
from mmocr.structures import TextRecogDataSample

from cllstr_mm.evaluation.metrics import (MultilingualRecogMetric,
                                          one_minus_ned)
from cllstr_mm.models.common.dictionary import MultilingualDictionary


@pytest.fixture(scope='module')
def metric():
    return METRICS.build(
        dict(type='MultilingualRecogMetric',
             dictionary=dict(type='MultilingualDictionary')))


def sample(pred, gt, lang=None):
    data_sample = TextRecogDataSample()
    if lang is not None:
        data_sample.set_metainfo(dict(lang=lang))
    data_sample.gt_text = LabelData(item=gt)
    data_sample.pred_text = LabelData(item=pred)
    return data_sample.to_dict()


def score(metric, pred, gt):
    metric.results.clear()
    metric.process([], [sample(pred, gt)])
    _, ned, match, _ = metric.results.pop()
    return ned, match


# (lang, prediction as idx2str gives it, stored label, 1-NED, exact match)
CASES = [
    # Case-sensitive code points.
    ('LAT', 'hello', 'Hello', 1 - 1 / 5, False),
    ('LAT', 'Hello', 'Hello', 1.0, True),
    ('CHI', '中国', '中国人', 1 - 1 / 3, False),
    ('JPN', 'カタナ', 'カタカナ', 1 - 1 / 4, False),
    ('KOR', '한국어', '한국어', 1.0, True),
    ('KOR', '한굮어', '한국어', 1 - 1 / 3, False),
    # Clusters count by code point: বা দে লা are 2 + 2 + 2.
    ('BEN', 'বাদে', 'বা\tদে\tলা', 1 - 2 / 6, False),
    # क्ष म भा are 3 + 1 + 2 code points; the prediction lacks the sign ा.
    ('HIN', 'क्षमभ', 'क्ष\tम\tभा', 1 - 1 / 6, False),
    ('HIN', 'क्षमभा', 'क्ष\tम\tभा', 1.0, True),
    # Arabic is compared in visual order, as the original did: the label
    # ا|ب|ت (reading order) is تبا; the prediction اب (reading order) was
    # emitted as با.
    ('ARA', 'اب', 'ا\tب\tت', 1 - 1 / 3, False),
    ('ARA', 'ابت', 'ا\tب\tت', 1.0, True),
    # Visual order matters when only one side is Arabic: the label ب|a reads
    # "aب" in the image; the prediction "ab" is one substitution away
    # (in reading order it would be two).
    ('ARA', 'ab', 'ب\ta', 1 - 1 / 2, False),
    # A prediction in the stored, tab-joined format is parsed like a label.
    ('ARA', 'ا\tب\tت', 'ا\tب\tت', 1.0, True),
]


@pytest.mark.parametrize('lang,pred,gt,ned,match', CASES)
def test_per_script_scores(metric, lang, pred, gt, ned, match):
    got_ned, got_match = score(metric, pred, gt)
    assert got_ned == pytest.approx(ned, abs=1e-12)
    assert got_match is match


def test_empty_strings(metric):
    assert score(metric, '', 'abc') == (0.0, False)
    assert score(metric, 'abc', '') == (0.0, False)
    # Both empty: 0 1-NED (original rules), and no word to have read.
    assert score(metric, '', '') == (0.0, False)


def test_unknown_tokens_are_deleted(metric):
    # ☃ and ASCII digits are not in the MLT19 charset.
    assert score(metric, 'ab', 'a☃b') == (1.0, True)
    assert score(metric, 'a[UNK]b', 'a☃b') == (1.0, True)
    assert score(metric, 'a[UNK]b', 'a1b2') == (1.0, True)
    assert score(metric, '[UNK]', '☃') == (0.0, False)
    # Only the gt loses unknown tokens: a prediction has none but [UNK].
    assert score(metric, 'a☃b', 'ab') == (1 - 1 / 3, False)
    # An unknown Hindi cluster is deleted whole.
    assert score(metric, 'म', 'क्ष्ह\tम') == (1.0, True)


def test_matches_the_dictionary_round_trip(metric):
    dictionary = MultilingualDictionary()
    for label in [
            'ب\tا\tث', 'বা\tদে\tলা', 'क्ष\tम', '中国', 'カナ', '서울', 'Straße'
    ]:
        pred = dictionary.idx2str(dictionary.str2idx(label))
        assert score(metric, pred, label) == (1.0, True)


def reference_edit_distance(a, b):
    """Plain Levenshtein DP (nltk's edit_distance defaults)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1,
                                       prev + (ca != cb))
    return row[-1]


def test_one_minus_ned_is_exact():
    rng = random.Random(0)
    alphabet = 'aAbक्षम中한ب ا'
    for _ in range(300):
        a = ''.join(rng.choices(alphabet, k=rng.randint(1, 12)))
        b = ''.join(rng.choices(alphabet, k=rng.randint(1, 12)))
        expected = 1 - reference_edit_distance(a, b) / max(len(a), len(b))
        assert one_minus_ned(a, b) == pytest.approx(expected, abs=1e-12)


def test_pooled_macro_and_per_language(metric):
    metric.results.clear()
    metric.process(
        [],
        [
            sample('한국어', '한국어', 'KOR'),
            sample('x', 'Hello', 'LAT'),
            sample('Hell', 'Hello', 'LAT'),
            sample('Hello', 'Hello', 'LAT'),
            sample('中国', '中国人', 'CHI'),
            sample('ok', 'ok'),  # no language
            sample('', 'ไทย', 'THA'),  # Thai is not in the charset: gt ''
        ])
    results = metric.compute_metrics(metric.results)
    lat_ned = (0 + (1 - 1 / 5) + 1) / 3
    chi_ned = 1 - 1 / 3
    neds = [1, 0, 1 - 1 / 5, 1, chi_ned, 1, 0]
    per_lang_keys = ('1-NED', 'word_acc', 'num_samples', 'num_empty_gt',
                     'num_unreadable')
    assert list(results) == [
        '1-NED', 'word_acc', 'macro_1-NED', 'macro_word_acc', 'num_samples',
        'num_empty_gt', 'num_unreadable'
    ] + [
        f'{lang}/{key}' for lang in ('CHI', 'KOR', 'LAT', 'THA', 'UNK')
        for key in per_lang_keys
    ]
    expected = {
        '1-NED': 100 * sum(neds) / 7,
        'word_acc': 100 * 3 / 7,
        'macro_1-NED': 100 * (chi_ned + 1 + lat_ned + 0 + 1) / 5,
        'macro_word_acc': 100 * (0 + 1 + 1 / 3 + 0 + 1) / 5,
        'num_samples': 7,
        'num_empty_gt': 1,
        'num_unreadable': 0,
        'CHI/1-NED': 100 * chi_ned,
        'CHI/word_acc': 0.0,
        'CHI/num_samples': 1,
        'KOR/1-NED': 100.0,
        'KOR/word_acc': 100.0,
        'KOR/num_samples': 1,
        'LAT/1-NED': 100 * lat_ned,
        'LAT/word_acc': 100 / 3,
        'LAT/num_samples': 3,
        'THA/1-NED': 0.0,
        'THA/word_acc': 0.0,
        'THA/num_samples': 1,
        'THA/num_empty_gt': 1,
        'UNK/1-NED': 100.0,
        'UNK/word_acc': 100.0,
        'UNK/num_samples': 1,
    }
    for lang in ('CHI', 'KOR', 'LAT', 'THA', 'UNK'):
        for key in ('num_empty_gt', 'num_unreadable'):
            expected.setdefault(f'{lang}/{key}', 0)
    assert results == pytest.approx(expected, abs=1e-9)
    assert isinstance(results['LAT/num_samples'], int)


def test_labels_without_known_tokens_score_zero_and_are_counted(
        metric, monkeypatch):
    """Two all-Thai LAT labels (Thai is not in MLT19) read as nothing: not
    two correct words. The count is reported and logged."""
    from cllstr_mm.evaluation.metrics import multilingual_recog_metric
    logged = []
    monkeypatch.setattr(multilingual_recog_metric, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    metric.results.clear()
    metric.process([], [
        sample('', 'ไทย', 'LAT'),
        sample('', 'ภาษา', 'LAT'),
        sample('Hello', 'Hello', 'LAT'),
    ])
    results = metric.compute_metrics(metric.results)
    assert results['LAT/word_acc'] == pytest.approx(100 / 3)
    assert results['LAT/1-NED'] == pytest.approx(100 / 3)
    assert (results['num_empty_gt'], results['LAT/num_empty_gt'],
            results['num_samples']) == (2, 2, 3)
    assert logged == [
        'MultilingualRecogMetric: 2 samples have no ground truth left once '
        'tokens outside the dictionary are removed; they score 0 (LAT 2)'
    ]


def test_unreadable_samples_are_left_out_and_counted(metric):
    metric.results.clear()
    unreadable = sample('x', 'Hello', 'KOR')
    unreadable['unreadable'] = True
    metric.process([], [unreadable, sample('서울', '서울', 'KOR')])
    results = metric.compute_metrics(metric.results)
    assert (results['KOR/word_acc'], results['KOR/num_samples'],
            results['KOR/num_unreadable'], results['num_unreadable']) == (
                100.0, 1, 1, 1)


def test_pooled_is_sample_weighted_macro_is_not(metric):
    metric.results.clear()
    metric.process([], [sample('한국어', '한국어', 'KOR')] +
                   [sample('x', 'ab', 'LAT')] * 3)
    results = metric.compute_metrics(metric.results)
    assert results['1-NED'] == pytest.approx(25.0)
    assert results['macro_1-NED'] == pytest.approx(50.0)
    assert results['word_acc'] == pytest.approx(25.0)
    assert results['macro_word_acc'] == pytest.approx(50.0)


def test_through_mmengine_evaluator():
    evaluator = Evaluator(MultilingualRecogMetric())
    data_samples = []
    for pred, gt, lang in [('ابت', 'ا\tب\tت', 'ARA'), ('Ab', 'ab', 'LAT')]:
        data_sample = TextRecogDataSample(metainfo=dict(lang=lang))
        data_sample.gt_text = LabelData(item=gt)
        data_sample.pred_text = LabelData(item=pred)
        data_samples.append(data_sample)
    evaluator.process(data_samples)
    results = evaluator.evaluate(2)
    assert results['recog/1-NED'] == pytest.approx(75.0)
    assert results['recog/ARA/word_acc'] == 100.0
    assert results['recog/LAT/1-NED'] == pytest.approx(50.0)
    assert list(results)[0] == 'recog/1-NED'
    assert list(results)[7:10] == [
        'recog/ARA/1-NED', 'recog/ARA/word_acc', 'recog/ARA/num_samples'
    ]


def test_bad_dictionary():
    with pytest.raises(TypeError, match='dictionary must be a Dictionary'):
        MultilingualRecogMetric(dictionary='MLT19_charset.txt')


def test_same_as_original_visual_order_scoring(metric):
    """Random mixed-script predictions scored as test.py did: prediction
    tokens concatenated in emission (visual) order, label tokens in visual
    order with unknown ones deleted. (Word accuracy is ours: an empty
    ground truth is no word read.)"""
    dictionary = MultilingualDictionary()
    pool = ['ب', 'ا', 'ت', 'a', 'b', '中', '[UNK]']
    rng = random.Random(1)
    for _ in range(300):
        emitted = rng.choices(pool, k=rng.randint(0, 6))
        label_tokens = rng.choices(pool[:6] + ['☃'], k=rng.randint(0, 6))
        if any(t in 'بات' for t in label_tokens):
            label = '\t'.join(label_tokens[::-1])  # stored in reading order
        else:
            label = ''.join(label_tokens)
        pred = dictionary.idx2str([dictionary.char2idx(t) for t in emitted])
        orig_pred = ''.join(emitted).replace('[UNK]', '')
        orig_gt = ''.join(t for t in label_tokens if t != '☃')
        expected_ned = one_minus_ned(orig_pred, orig_gt)
        expected_match = bool(orig_gt) and orig_pred == orig_gt
        assert score(metric, pred, label) == (
            pytest.approx(expected_ned, abs=1e-12), expected_match)


def test_result_table_layout_and_other_evaluators():
    from cllstr_mm.utils.report import format_table
    metrics = {'recog/1-NED': 50.0, 'recog/word_acc': 25.0,
               'recog/LAT/1-NED': 60.0, 'recog/LAT/word_acc': 30.0,
               'recog/CHI/1-NED': 40.0, 'recog/CHI/word_acc': 20.0}
    head, ned, acc = format_table(
        metrics, name='m', ms_per_image=1.5, num_params=8_021_768).splitlines()
    # the original's column order: CHI before LAT, then the pooled total
    assert head.split() == ['model', 'score', 'CHI', 'LAT', 'total',
                            'ms/img', 'params']
    assert ned.split() == ['m', '1-NED', '40.00', '60.00', '50.00', '1.50',
                           '8.02M']
    assert acc.split()[1:5] == ['word_acc', '20.00', '30.00', '25.00']
    # MMOCR's WordMetric (English LMIM configs) has no per-language keys
    text = format_table({'recog/word_acc_ignore_case_symbol': 0.5},
                        name='m', num_params=10)
    assert text.splitlines() == [
        'm', '  recog/word_acc_ignore_case_symbol: 0.5000', '  params: 0.00M']


def test_every_character_counts_when_unknowns_are_kept():
    metric = MultilingualRecogMetric(drop_unknown_gt=False)
    # '5' and '6' are not in the MLT19 charset: kept, they are two of four
    # characters the prediction missed (Levenshtein 2 of max length 4).
    assert score(metric, 'Km', '56Km') == (1 - 2 / 4, False)
    assert score(metric, '56Km', '56Km') == (1.0, True)
    # An unknown Hindi cluster is kept whole: 'क्ष्ह' + 'म' is 6 code
    # points against the prediction's 1, 5 of them missing.
    assert score(metric, 'म', 'क्ष्ह\tम') == (1 - 5 / 6, False)
    # The [UNK] token is still removed from the prediction.
    assert score(metric, 'a[UNK]b', 'a☃b') == (1 - 1 / 3, False)


def test_unicode_form_compares_spellings_of_one_character():
    # क़ as one code point (U+0958) in the prediction, as क + nukta typed in
    # the ground truth: different code points, the same letter.
    precomposed, typed = '\u0958', '\u0915\u093c'
    assert score(MultilingualRecogMetric(drop_unknown_gt=False),
                 precomposed, typed) == (0.0, False)
    assert score(
        MultilingualRecogMetric(drop_unknown_gt=False, unicode_form='NFC'),
        precomposed, typed) == (1.0, True)
    with pytest.raises(ValueError, match='unicode_form'):
        MultilingualRecogMetric(unicode_form='nfc')


def test_subset_metrics_score_their_part_of_one_validation_set():
    synth = sample('ab', 'ab', lang='LAT')
    real = sample('x', 'ab', lang='LAT')
    real['subset'] = 'real'
    evaluator = Evaluator([
        dict(type='MultilingualRecogMetric'),
        dict(type='MultilingualRecogMetric', subset='real', prefix='real')
    ])
    evaluator.process([synth, real])
    metrics = evaluator.evaluate(2)
    assert metrics['recog/1-NED'] == 100.0
    assert metrics['recog/num_samples'] == 1
    assert metrics['real/1-NED'] == 0.0
    assert metrics['real/LAT/num_samples'] == 1
