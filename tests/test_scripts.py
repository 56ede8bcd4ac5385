"""Each reading carries its script: detect_script on the demo photos' words
and on hand-made strings, and the `lang` / `rec_langs` the inferencers
add."""
import json
from pathlib import Path

import pytest
from cllstr_model_helpers import untrained_checkpoint
from mmengine.structures import LabelData
from mmocr.structures import TextRecogDataSample

from cllstr_mm.apis import (MultilingualOCRInferencer,
                            MultilingualTextRecInferencer)
from cllstr_mm.datasets.labels import to_cllstr_label
from cllstr_mm.utils.scripts import detect_script

REPO = Path(__file__).resolve().parents[1]
CRNN = REPO / ('configs/textrecog/cllstr/'
               'crnn_vgg-bilstm_1xb128-100k_mlt19-joint.py')


def demo_words():
    """(language, word) of the 7 real demo photos: the language is the
    photo's file name (demo/README.md)."""
    lines = (REPO / 'demo' / 'gt.txt').read_text(encoding='utf-8')
    return [(name.split('.')[0], word) for name, word in
            (line.split('\t') for line in lines.splitlines())]


def test_demo_photo_words_get_their_script():
    words = demo_words()
    assert sorted(lang for lang, _ in words) == [
        'ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT'
    ]
    for lang, word in words:
        assert detect_script(word) == lang, word
        # also as the models read them: stored-label form (Arabic in
        # presentation forms, clusters joined by tabs)
        assert detect_script(to_cllstr_label(word, lang)) == lang, word


@pytest.mark.parametrize('text, lang', [
    ('', None),
    ('2024', None),
    ('12:30 - 14:00', None),
    ('!?', None),
    ('[UNK]', None),  # the unknown token's letters are not Latin
    ('Moscow', 'LAT'),
    ('Москва', None),  # a script outside the seven
    ('Москваx', None),
    ('東京', 'CHI'),
    ('東京タワー', 'JPN'),  # Han with kana is Japanese
    ('東京大学の', 'JPN'),  # one hiragana is enough
    ('ラーメン', 'JPN'),  # ー (Common) does not vote
    ('2024年', 'CHI'),  # digits do not vote
    ('서울2', 'KOR'),
    ('Coca콜라', 'LAT'),  # 4 Latin vs 2 Hangul
    ('콜라Co', 'KOR'),  # a tie goes to the script read first
    ('Co콜라', 'LAT'),
    ('नमस्ते', 'HIN'),  # virama and vowel signs are Devanagari
    ('কলকাতা', 'BEN'),
    ('১২৩', 'BEN'),  # Bengali digits are Bengali script
    ('ﺍﻟﺒﺎﺏ', 'ARA'),  # presentation forms
    ('القاهرة 2', 'ARA'),
    ('Taxi تاكسي', 'ARA'),  # 4 Latin vs 5 Arabic
])
def test_hand_made_strings(text, lang):
    assert detect_script(text) == lang


def test_unknown_token_is_the_recognisers():
    assert detect_script('<UKN>', unknown_token='<UKN>') is None
    assert detect_script('<UKN>', unknown_token='[UNK]') == 'LAT'
    assert detect_script('가[UNK]', unknown_token='') == 'LAT'


@pytest.fixture(scope='module')
def crnn_weights(tmp_path_factory):
    return str(untrained_checkpoint(
        CRNN, tmp_path_factory.mktemp('ckpt') / 'crnn.pth'))


def test_text_rec_inferencer_predictions_carry_lang(crnn_weights):
    inferencer = MultilingualTextRecInferencer(
        str(CRNN), crnn_weights, device='cpu')
    images = sorted(str(p) for p in (REPO / 'demo').glob('*.jpg'))
    out = inferencer(images, batch_size=4, progress_bar=False)
    assert len(out['predictions']) == 7
    for pred in out['predictions']:
        assert set(pred) == {'text', 'scores', 'lang'}
        assert pred['lang'] == detect_script(pred['text'])
    # what a trained model reads is tagged from its text
    for lang, word in demo_words():
        sample = TextRecogDataSample(
            pred_text=LabelData(item=word, score=[0.9] * len(word)))
        assert inferencer.pred2dict(sample)['lang'] == lang


def test_ocr_inferencer_predictions_carry_rec_langs(crnn_weights, tmp_path):
    inferencer = MultilingualOCRInferencer(
        rec=str(CRNN), rec_weights=crnn_weights, device='cpu')
    images = sorted(str(p) for p in (REPO / 'demo').glob('*.jpg'))[:3]
    out = inferencer(
        images, batch_size=2, save_pred=True, out_dir=str(tmp_path))
    for path, pred in zip(images, out['predictions']):
        assert pred['rec_langs'] == [
            detect_script(text) for text in pred['rec_texts']
        ]
        saved = json.loads((tmp_path / 'preds' /
                            f'{Path(path).stem}.json').read_text('utf-8'))
        assert saved == pred
