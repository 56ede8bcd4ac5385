"""Per-script drawing of recognised text: real glyphs (never missing-glyph
boxes), Arabic shaped right to left, and the visualisers built on it."""
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.structures import InstanceData, LabelData
from mmocr.structures import TextDetDataSample, TextRecogDataSample
from PIL import Image, ImageDraw

from cllstr_mm.datasets.labels import to_cllstr_label
from cllstr_mm.datasets.synthesis.fonts import covers, load_font
from cllstr_mm.utils.languages import plain_letters
from cllstr_mm.visualization import (MultilingualTextRecogVisualizer,
                                     MultilingualTextSpottingVisualizer,
                                     draw_text, pick_face, text_runs)

WORDS = {
    'ARA': 'الباب',
    'BEN': 'রাখিবেন',
    'CHI': '北京西',
    'HIN': 'मंडप',
    'JPN': 'くすり',
    'KOR': '냉면은',
    'LAT': 'CUISINE',
}
# a private-use code point no font here maps: drawn as the .notdef box
MISSING = '\U0010FFFD'


def render(text, face, size=32, **kwargs):
    """Ink mask of ``text`` drawn in ``face``."""
    layer = Image.new('L', (size * (len(text) + 2), size * 2))
    ImageDraw.Draw(layer).text((size, size // 2),
                               text,
                               fill=255,
                               font=load_font(face, size),
                               **kwargs)
    return np.asarray(layer) > 0


def ink_columns(image):
    ink = (np.asarray(image) < 128).any(axis=-1).any(axis=0)
    return np.flatnonzero(ink)


@pytest.mark.parametrize('lang', sorted(WORDS))
def test_labels_are_drawn_with_real_glyphs(lang):
    word = WORDS[lang]
    run, = text_runs(word)
    assert run.lang == lang
    assert covers(run.face, word)
    tofu = render(MISSING * len(word), run.face)
    drawn = render(word, run.face)
    assert drawn.any() and not np.array_equal(drawn, tofu)


def test_glyph_check_detects_missing_glyph_boxes():
    # the check above is not vacuous: a Latin font draws Bengali as boxes
    latin = pick_face('LAT', 'CUISINE')
    word = WORDS['BEN']
    assert not covers(latin, word)
    assert np.array_equal(
        render(word, latin), render(MISSING * len(word), latin))


def test_arabic_prediction_is_shaped_right_to_left():
    # a prediction holds CLL-STR's presentation forms in reading order
    prediction = to_cllstr_label(WORDS['ARA'], 'ARA').replace('\t', '')
    assert prediction != WORDS['ARA']
    assert plain_letters(prediction) == WORDS['ARA']
    blank = np.full((48, 240, 3), 255, np.uint8)
    shaped = draw_text(blank, prediction, (0, 0, 240, 48))
    assert np.array_equal(shaped, draw_text(blank, WORDS['ARA'],
                                            (0, 0, 240, 48)))
    # right to left: the alef of 'اب' is drawn right of the beh
    alef_first = draw_text(blank, 'اب', (0, 0, 240, 48))
    alef = draw_text(blank, 'ا', (0, 0, 240, 48))
    assert ink_columns(alef_first).max() > ink_columns(alef).max()


def test_mixed_scripts_are_split_into_runs():
    runs = text_runs('ক্ষ abc 北京 مرحبا')
    assert [run.lang for run in runs] == ['BEN', 'LAT', 'CHI', 'ARA']
    assert all(covers(run.face, run.text.strip()) for run in runs)
    # a text starting with Arabic is laid out from the right
    assert [run.lang for run in text_runs('مرحبا ABC')] == ['LAT', 'ARA']
    # Han next to kana takes Japanese forms
    assert {run.lang for run in text_runs('東京タワー')} == {'JPN'}


def test_combining_marks_stay_on_their_letter():
    # Arabic vowel signs are of the Inherited script, neutral on their own:
    # a word-final tanwin must not become a run (drawn on a dotted circle)
    assert [(run.text, run.lang) for run in text_runs('غدٍ')] == \
        [('غدٍ', 'ARA')]
    assert [(run.text, run.lang) for run in text_runs('غدٍ abc')] == \
        [(' abc', 'LAT'), ('غدٍ', 'ARA')]
    # nor join the run after it
    assert [(run.text, run.lang) for run in text_runs('abc غدٍ.')] == \
        [('abc ', 'LAT'), ('غدٍ', 'ARA'), ('.', 'LAT')]


def test_text_recog_visualizer_draws_prediction():
    visualizer = MultilingualTextRecogVisualizer(name='test_rec_vis')
    word = np.full((32, 100, 3), 200, np.uint8)
    sample = TextRecogDataSample()
    sample.pred_text = LabelData(item=WORDS['HIN'])
    picture = visualizer.add_datasample('w', word, sample, draw_gt=False)
    assert picture.shape == (128, 200, 3)
    panel = picture[64:]
    assert (panel < 128).any() and (panel == 255).mean() > 0.5


def test_text_spotting_visualizer_draws_texts_in_their_boxes():
    visualizer = MultilingualTextSpottingVisualizer(name='test_spot_vis')
    image = np.full((100, 200, 3), 255, np.uint8)
    sample = TextDetDataSample()
    sample.pred_instances = InstanceData(
        polygons=[np.array([20, 20, 120, 20, 120, 60, 20, 60], np.float32)],
        bboxes=np.array([[20, 20, 120, 60]], np.float32),
        scores=np.array([0.9]),
        texts=[WORDS['KOR']])
    picture = visualizer.add_datasample('s', image, sample, draw_gt=False)
    assert picture.shape == (100, 400, 3)
    text_half = picture[:, 200:]
    black = (text_half < 100).all(axis=-1)  # text, not the coloured outline
    assert black[22:58, 22:118].any()
    black[22:58, 22:118] = False
    assert not black.any()


def test_configs_use_the_multilingual_visualizer():
    for config in ('configs/textrecog/cllstr/svtr-tiny_1xb128-100k'
                   '_mlt19-joint.py',
                   'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_mlt19.py'):
        assert Config.fromfile(config).visualizer.type == (
            'MultilingualTextRecogVisualizer')
