"""LMIM's evaluation protocol: LMIMWordMetric and the postprocessor that
drops UNK predictions."""
import pytest
import torch
from mmengine.structures import LabelData
from mmocr.registry import METRICS, MODELS
from mmocr.structures import TextRecogDataSample
from test_lmim_helpers import REPO

from cllstr_mm.evaluation.metrics import lmim_normalize


def sample(gt, pred):
    data = TextRecogDataSample()
    data.gt_text = LabelData(item=gt)
    data.pred_text = LabelData(item=pred)
    return data.to_dict()


def test_normalisation_keeps_ascii_letters_and_digits_lower_cased():
    assert lmim_normalize('Fixture-42!') == 'fixture42'
    # not even the characters MMOCR's ignore_case_symbol keeps
    assert lmim_normalize('^北京é_Z') == 'z'
    assert lmim_normalize('<UNK>') == 'unk'


def test_metric_drops_long_words_and_scores_normalised_text():
    pairs = [
        ('Hello!', 'hello'),  # right: case and symbols do not count
        ('A-1', 'a1'),  # right
        ('café', 'caf'),  # right: é is not an ASCII letter
        ('word', 'ward'),  # wrong
        ('x' * 23, 'x' * 23),  # right, the longest scored
        ('y' * 24, 'z'),  # dropped, as the original skips it
    ]
    metric = METRICS.build(dict(type='LMIMWordMetric'))
    metric.process(None, [sample(g, p) for g, p in pairs])
    result = metric.evaluate(len(pairs))
    assert result == {
        'recog/word_acc_lmim': pytest.approx(4 / 5),
        'recog/num_scored': 5,
        'recog/num_dropped': 1
    }
    every = METRICS.build(dict(type='LMIMWordMetric', max_chars=None))
    every.process(None, [sample(g, p) for g, p in pairs])
    assert every.evaluate(len(pairs))['recog/word_acc_lmim'] == \
        pytest.approx(4 / 6)
    with pytest.raises(ValueError, match='max_chars'):
        METRICS.build(dict(type='LMIMWordMetric', max_chars=0))


def test_unknown_predictions_are_dropped_before_scoring():
    dictionary = dict(
        type='Dictionary',
        dict_file=f'{REPO}/cllstr_mm/dicts/english_printable94.txt',
        with_start=True,
        with_end=True,
        same_start_end=True,
        with_padding=True,
        with_unknown=True)
    post = MODELS.build(
        dict(
            type='AttentionPostprocessor',
            dictionary=dictionary,
            ignore_chars=['padding', 'unknown']))
    # 'a', UNK, 'b', EOS, 'c'
    ids = [10, 96, 11, 94, 12]
    probs = torch.zeros(1, len(ids), 97)
    probs[0, torch.arange(len(ids)), torch.tensor(ids)] = 1.
    data = TextRecogDataSample()
    assert post(probs, [data])[0].pred_text.item == 'ab'
