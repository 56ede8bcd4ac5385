"""Whole photos read offline: PP-OCRv5's ONNX detector behind MMOCR's
interface, never an untrained detector by default, degenerate regions
dropped before recognition, and a model-zoo detector that cannot be
downloaded."""
import json
import logging
import urllib.error

import numpy as np
import pytest
import torch
from mmengine.hub import get_config
from mmengine.structures import InstanceData
from mmocr.utils import bbox2poly, crop_img, poly2bbox
from PIL import Image, ImageDraw, ImageFont
from tool_utils import REPO, load_tool, run_tool

from cllstr_mm.apis import (OFFLINE_DETECTOR, MultilingualOCRInferencer,
                            MultilingualTextRecInferencer,
                            ONNXTextDetInferencer, PhotoReader,
                            build_text_detector, clean_polygons, load_image,
                            model_zoo_detector, released_model)
from cllstr_mm.apis.ocr_inferencer import LINE_SPACE_WEIGHT
from cllstr_mm.apis.onnx_detector import ResizeToMultiple
from cllstr_mm.apis.word_split import split_words, upright_crop

DBNET_R18 = 'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py'
#: A text face of ordinary spacing (tools/install.sh: fonts-dejavu-core).
FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'


def screenshot(words, size=(480, 240), font_size=40):
    """A white BGR image with black ``words`` ``{text: (x, y)}`` drawn by
    PIL, and each word's ink box ``(x1, y1, x2, y2)``."""
    image = Image.new('RGB', size, 'white')
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, font_size)
    boxes = {}
    for text, xy in words.items():
        draw.text(xy, text, fill='black', font=font)
        boxes[text] = draw.textbbox(xy, text, font=font)
    return np.ascontiguousarray(np.asarray(image)[..., ::-1]), boxes


@pytest.fixture(scope='module')
def reader():
    return PhotoReader(num_threads=1)


def test_the_onnx_detector_finds_two_printed_words():
    image, boxes = screenshot({'Hello': (30, 30), 'World': (250, 150)})
    detector = ONNXTextDetInferencer(num_threads=1)
    pred = detector([image], progress_bar=False)['predictions'][0]
    assert len(pred['polygons']) == 2
    assert pred['dropped_boxes'] == 0
    assert all(score > 0.6 for score in pred['scores'])
    found = sorted(np.reshape(p, (-1, 2)).mean(axis=0).tolist()
                   for p in pred['polygons'])
    expected = sorted([(x1 + x2) / 2, (y1 + y2) / 2]
                      for x1, y1, x2, y2 in boxes.values())
    # each region centred on its word, within a few pixels
    assert np.abs(np.subtract(found, expected)).max() < 6
    for polygon, (x1, y1, x2, y2) in zip(
            sorted(pred['polygons'], key=lambda p: p[1]),
            sorted(boxes.values(), key=lambda b: b[1])):
        points = np.reshape(polygon, (-1, 2))
        # around the ink, not far beyond it
        assert points[:, 0].min() <= x1 and points[:, 0].max() >= x2
        assert points[:, 1].min() <= y1 and points[:, 1].max() >= y2
        assert points[:, 0].max() - points[:, 0].min() < 1.5 * (x2 - x1)


def test_resize_to_multiple():
    big = ResizeToMultiple(limit_side_len=1280, limit_type='max')
    # round half to even, as PaddleOCR: 720 / 32 = 22.5 -> 22
    assert big.target_size(720, 1280) == (704, 1280)
    assert big.target_size(3000, 4000) == (960, 1280)
    assert big.target_size(20, 20) == (32, 32)
    small = ResizeToMultiple(limit_side_len=64, limit_type='min')
    assert small.target_size(28, 227) == (64, 512)
    with pytest.raises(ValueError, match='limit_type'):
        ResizeToMultiple(limit_type='long')
    # the image at its own size is kept in grey on request
    image = np.zeros((3000, 400, 3), np.uint8)
    image[:, :, 2] = 90
    results = ResizeToMultiple(1280, keep_gray=True).transform(
        dict(img=image))
    assert results['img'].shape == (1280, 160, 3)
    assert results['ori_gray'].shape == (3000, 400)
    assert results['ori_gray'].dtype == np.float32
    assert np.allclose(results['ori_gray'], 30)
    assert 'ori_gray' not in big.transform(dict(img=image))


def test_clean_polygons():
    polygons = [
        [10, 10, 50, 10, 50, 30, 10, 30],  # fine
        [10, 10, 10, 10, 10, 40, 10, 40],  # zero width, 2 points
        [10, 10, 50, 10, 10, 10, 50, 10],  # zero height
        [10, 10, np.nan, 10, 50, 30, 10, 30],  # NaN
        [500, 10, 560, 10, 560, 30, 500, 30],  # right of the image
        [-20, -5, 30, -5, 30, 20, -20, 20],  # partly outside: clipped
        [0, 0, 50, 50, 100, 100],  # 3 points on a line: no area
        [10, 10, 50, 10, 50],  # odd number of coordinates
    ]
    kept, indexes = clean_polygons(polygons, (100, 200, 3))
    assert indexes == [0, 5]
    assert kept[1].tolist() == [0, 0, 30, 0, 30, 20, 0, 20]


def fake_regions(polygons):
    """A stand-in for the detector network: these polygons (pixels of the
    input image), score 0.9 each, for every image."""

    def predict(inputs, data_samples):
        for sample in data_samples:
            sample.pred_instances = InstanceData(
                polygons=[np.array(p, np.float32) for p in polygons],
                scores=torch.full((len(polygons), ), 0.9))
        return data_samples

    return predict


def test_degenerate_regions_are_dropped_before_recognition(
        reader, monkeypatch):
    image, _ = screenshot({'OPEN': (20, 20)}, size=(200, 100))
    regions = [
        [18, 18, 130, 18, 130, 70, 18, 70],  # the word
        [200, 10, 230, 10, 230, 40, 200, 40],  # beyond the right edge
        [50, 50, 50, 50, 50, 90, 50, 90],  # a vertical line
        [10, 5, 60, 5, 60, 5, 10, 5],  # a horizontal line
    ]
    # what MMOCRInferencer did with the region beyond the edge: an empty
    # crop, on which the recogniser's resize divides by zero
    crop = crop_img(image, bbox2poly(poly2bbox(regions[1])).tolist())
    assert crop.size == 0
    with pytest.raises(ZeroDivisionError):
        reader.inferencer.textrec_inferencer([crop], progress_bar=False)
    monkeypatch.setattr(reader.inferencer.textdet_inferencer.model,
                        'predict', fake_regions(regions))
    pred = reader(image)
    assert pred['dropped_boxes'] == 3
    assert len(pred['det_polygons']) == len(pred['rec_texts']) == len(
        pred['det_scores']) == len(pred['rec_langs']) == 1
    assert pred['text'] == pred['lines'][0]['text']


def test_the_default_detector_is_the_offline_one(reader, monkeypatch):
    assert isinstance(reader.inferencer.textdet_inferencer,
                      ONNXTextDetInferencer)
    infer = load_tool('tools/infer.py')
    monkeypatch.setattr('sys.argv', ['infer.py', 'x.jpg'])
    assert infer.parse_args().det == OFFLINE_DETECTOR
    # a detector config without weights is refused, unless asked for
    rec = released_model()
    with pytest.raises(ValueError, match='no weights for the detector'):
        MultilingualOCRInferencer(det=DBNET_R18, rec=rec[0],
                                  rec_weights=rec[1])
    small = get_config(DBNET_R18)
    with pytest.warns(UserWarning, match='random weights'):
        detector = build_text_detector(small, allow_untrained=True)
    assert type(detector).__name__ == 'MultilingualTextDetInferencer'
    with pytest.raises(ValueError, match="MMOCR's model zoo"):
        build_text_detector('no-such-detector')


def test_detected_regions_are_read_with_spaces_likelier(reader):
    """The regions a detector finds are lines (or words cut from them):
    the photo reader's recogniser weighs the space class up; a recogniser
    reading word crops alone does not."""
    assert LINE_SPACE_WEIGHT > 1
    assert reader.inferencer.textrec_inferencer.postprocessor.space_weight \
        == LINE_SPACE_WEIGHT
    crops = MultilingualTextRecInferencer(*released_model(), device='cpu')
    assert crops.postprocessor.space_weight == 1


def test_infer_tool_refuses_an_untrained_detector(tmp_path, monkeypatch):
    image, _ = screenshot({'EXIT': (10, 10)}, size=(160, 64))
    path = tmp_path / 'exit.png'
    Image.fromarray(image[..., ::-1]).save(path)
    status = run_tool(load_tool('tools/infer.py'),
                      [path, '--det', DBNET_R18, '--out-dir', tmp_path],
                      monkeypatch)
    assert status.startswith('error: no weights for the detector')
    assert '--det-weights' in status and OFFLINE_DETECTOR in status
    assert not (tmp_path / 'preds').exists()


def test_a_model_zoo_detector_without_network(tmp_path, monkeypatch,
                                               capsys):
    assert model_zoo_detector('DBNet')[1].startswith(
        'https://download.openmmlab.com/mmocr/textdet/dbnet/')
    config, url = model_zoo_detector('dbnet_resnet18_fpnc_1200e_icdar2015')
    assert config.endswith('dbnet_resnet18_fpnc_1200e_icdar2015.py')

    def offline(url, **kwargs):
        raise urllib.error.URLError('[Errno -3] Temporary failure in name '
                                    'resolution')

    monkeypatch.setattr('mmengine.runner.checkpoint.load_url', offline)
    # MMEngine's logger keeps the stderr of the test that created it, which
    # pytest has closed since; logging would print its own traceback for
    # that (a test artefact, not the tool's), as it does not in production.
    monkeypatch.setattr(logging, 'raiseExceptions', False)
    with pytest.raises(ConnectionError) as error:
        build_text_detector('dbnet_resnet18_fpnc_1200e_icdar2015')
    message = str(error.value)
    assert '\n' not in message and url in message
    assert f"det='{OFFLINE_DETECTOR}'" in message
    status = run_tool(load_tool('tools/infer.py'), [
        REPO / 'demo' / 'LAT.jpg', '--det', 'DB_r18', '--out-dir', tmp_path
    ], monkeypatch)
    assert status.startswith("error: cannot download the detector's "
                             'weights')
    assert 'Traceback' not in capsys.readouterr().err


def test_infer_tool_prints_the_text_in_lines(tmp_path, monkeypatch, capsys):
    image, _ = screenshot({'Open': (20, 20), 'Exit': (20, 120)})
    path = tmp_path / 'sign.png'
    Image.fromarray(image[..., ::-1]).save(path)
    assert run_tool(load_tool('tools/infer.py'),
                    [path, '--out-dir', tmp_path, '--device', 'cpu'],
                    monkeypatch) == 0
    pred = json.loads(
        (tmp_path / 'preds' / 'sign.json').read_text(encoding='utf-8'))
    assert set(pred) == {
        'det_polygons', 'det_scores', 'rec_texts', 'rec_scores',
        'rec_langs', 'dropped_boxes', 'lines', 'text'
    }
    assert len(pred['det_polygons']) == 2
    # the upper word's line first
    upper = int(np.argmin([p[1] for p in pred['det_polygons']]))
    assert [line['words'] for line in pred['lines']] == [[upper],
                                                         [1 - upper]]
    # after MMEngine's and MMOCR's own lines
    assert capsys.readouterr().out.endswith(
        f'==> {path} <==\n{pred["text"]}\n')
    assert (tmp_path / 'vis' / 'sign.jpg').exists()



def drawn_line(words, origin=(20, 30), font_size=40):
    """``{text: (x, y)}`` for ``words`` drawn one space apart from
    ``origin``."""
    font = ImageFont.truetype(FONT, font_size)
    x, placed = origin[0], {}
    for text in words:
        placed[text] = (x, origin[1])
        x += font.getlength(text + ' ')
    return placed


def test_japanese_lines_cut_into_words_are_read_whole(reader):
    """Words of one line (``line_ids``) read as Japanese are replaced by
    the line read whole when that reading is likelier than theirs: the
    demo's くすり cut in two, read 'く' and 'すり' at a low score. A Latin
    line cut in two keeps its words."""
    from mmengine.structures import LabelData
    from mmocr.structures import TextDetDataSample, TextRecogDataSample
    image = load_image(str(REPO / 'demo' / 'JPN.jpg'))
    height, width = image.shape[:2]
    line = np.float32([0, 0, width, 0, width, height, 0, height])
    half = np.float32([0, 0, width / 2, 0, width / 2, height, 0, height])
    other = half + np.float32([width / 2, 0] * 4)

    def reading(text, score):
        sample = TextRecogDataSample()
        sample.pred_text = LabelData(item=text, score=[score] * len(text))
        return sample

    def detected():
        sample = TextDetDataSample()
        sample.pred_instances = InstanceData(
            polygons=[half, other, half, other],
            scores=torch.tensor([0.9, 0.9, 0.8, 0.8]),
            line_ids=np.array([0, 0, 1, 1]),
            line_polygons=[line, line, line, line])
        return sample

    sample = detected()
    readings = reader.inferencer._read_japanese_lines_whole(
        image, sample, [reading('く', 0.3), reading('すり', 0.3),
                        reading('CITY', 0.3), reading('HALL', 0.3)], 2)
    whole = reader.inferencer.textrec_inferencer(
        [image], progress_bar=False)['predictions'][0]
    assert [r.pred_text.item for r in readings] == [
        whole['text'], 'CITY', 'HALL']
    instances = sample.pred_instances
    assert len(instances.polygons) == 3
    assert (instances.polygons[0] == line).all()
    assert (instances.polygons[2] == other).all()
    assert instances.line_ids.tolist() == [0, 1, 1]
    assert instances.scores.tolist() == pytest.approx([0.9, 0.8, 0.8])
    # words likelier than the whole line keep their reading
    sample = detected()
    readings = reader.inferencer._read_japanese_lines_whole(
        image, sample, [reading('く', 1.0), reading('すり', 1.0),
                        reading('CITY', 0.3), reading('HALL', 0.3)], 2)
    assert [r.pred_text.item for r in readings] == [
        'く', 'すり', 'CITY', 'HALL']
    assert len(sample.pred_instances.polygons) == 4


def test_lines_are_cut_into_words_at_their_gaps():
    line = drawn_line(['Open', 'now', 'daily'])
    image, boxes = screenshot(dict(line, **{'S P A C E D': (20, 130)}),
                              size=(480, 200))
    detector = ONNXTextDetInferencer(num_threads=1)
    polygons = detector([image], progress_bar=False)['predictions'][0][
        'polygons']
    # PP-OCRv5 finds the two lines, which the config cuts into words;
    # evenly spaced letters stay one region
    assert len(polygons) == 4
    regions = sorted(polygons, key=lambda p: (p[1] > 100, p[0]))
    inks = [boxes[w] for w in line] + [boxes['S P A C E D']]
    for number, (polygon, ink) in enumerate(zip(regions, inks)):
        left, right = min(polygon[0::2]), max(polygon[0::2])
        # around the ink (up to its anti-aliased edge pixels)
        assert left <= ink[0] + 2 and right >= ink[2] - 2
        if number < 2:  # short of the next word's ink
            assert right < inks[number + 1][0]


def test_lines_are_cut_into_words_at_the_images_own_size():
    """The detector's pipeline keeps the image at its own size in grey
    (``ori_gray``): lines are cut into words there, not in the network's
    scaled-down input (here blank: it would not cut), and the words come
    back in the image's pixels."""
    from mmocr.structures import TextDetDataSample
    line = drawn_line(['CITY', 'HALL', 'EAST'])
    image, boxes = screenshot(line, size=(400, 120))
    sample = TextDetDataSample(metainfo=dict(
        scale_factor=(0.5, 0.5), ori_gray=image.mean(axis=2)))
    sample.pred_instances = InstanceData(
        polygons=[np.float32([12, 24, 355, 24, 355, 80, 12, 80])],
        scores=torch.tensor([0.9]))
    model = ONNXTextDetInferencer(num_threads=1).model
    model._split_lines(torch.zeros(3, 60, 200), sample)
    words = sample.pred_instances.polygons
    assert len(words) == 3
    for word, text in zip(words, ['CITY', 'HALL', 'EAST']):
        # each around its own word's ink, in the image's pixels
        assert min(word[0::2]) <= boxes[text][0] + 2
        assert max(word[0::2]) >= boxes[text][2] - 2
    assert sample.pred_instances.scores.tolist() == pytest.approx([0.9] * 3)
    # without it, the network's input is cut (blank: the line stays whole)
    del sample.ori_gray
    sample.pred_instances = InstanceData(
        polygons=[np.float32([12, 24, 355, 24, 355, 80, 12, 80])],
        scores=torch.tensor([0.9]))
    model._split_lines(torch.zeros(3, 60, 200), sample)
    assert len(sample.pred_instances.polygons) == 1


def test_underlines_do_not_join_words():
    """A link's underline runs under its words' gaps; without it, the
    gaps cut. Hand-made ink masks (True: ink), 20 rows: three 'words' of
    letters (rows 4-13) with gaps of 1 column between letters and 6
    between words."""
    from cllstr_mm.apis.word_split import gap_cuts, without_rules
    ink = np.zeros((20, 80), bool)
    for start in (2, 28, 54):  # words of 4 letters, 5 columns each
        for letter in range(4):
            ink[4:14, start + 6 * letter:start + 6 * letter + 5] = True
    assert gap_cuts(ink, 0.25, 2.0, 1.2) == [(2, 25), (28, 51), (54, 77)]
    underlined = ink.copy()
    underlined[15:17, 2:77] = True  # a rule two rows thick, a row below
    assert (without_rules(underlined) == ink).all()
    assert gap_cuts(underlined, 0.25, 2.0, 1.2) == [
        (2, 25), (28, 51), (54, 77)]
    # a headline (top of the letters) and a thick baseline that the
    # letters stand on are not rules
    headline = ink.copy()
    headline[4:6, 2:77] = True
    assert (without_rules(headline) == headline).all()
    baseline = ink.copy()
    baseline[12:14, 2:77] = True
    assert (without_rules(baseline) == baseline).all()


def test_headline_lines_cut_at_wide_gaps_without_a_jump():
    """Gaps of 2, 3, 5 and 6 columns in a body 20 rows tall: no gap is
    twice the next narrower, so a line of separate letters is not cut
    (its gaps may all be between letters), while a headline line, whose
    letters are joined, is cut at those of at least 0.15 heights (3
    columns)."""
    from cllstr_mm.apis.word_split import word_gap
    gaps = np.array([5, 2, 6, 3])
    assert word_gap(gaps, 20, 0.15, 2.0) == np.inf
    assert word_gap(gaps, 20, 0.15, 2.0, joined_letters=True) == 3.0
    # a jump decides either way: 1 -> 5 columns
    assert word_gap(np.array([1, 5, 6]), 20, 0.15, 2.0) == 5.0


def test_light_fonts_cut_at_the_jump_to_wide_gaps():
    """The gaps of two lines of a light Korean font (data/photo_dev's
    mlkit_korean.jpg, body 51 and 48 rows; the minimum word gap 0.25
    heights is 12.75 and 12 columns). Between its words the gaps are 18
    columns and more, between its syllables up to 12 or 13, and inside
    them 1 to 3, where the largest jump (1 -> 3) lies: without
    ``min_wide_jump`` the first line is not cut (no jump of 2) and the
    second is cut at every gap of at least 12 columns, inside 재미있고.
    With 1.5 the first is cut at 18; the second's jump to 18 is 1.38
    times, which 1.35 takes and 1.5 does not."""
    from cllstr_mm.apis.word_split import word_gap
    first = np.array([3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 7, 7, 8, 8, 9, 9,
                      10, 11, 11, 12, 12, 12, 18, 19, 20, 20, 24, 26])
    second = np.array([1, 1, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 8, 9, 9, 9, 9,
                       10, 10, 11, 12, 12, 13, 18, 19, 20, 21])
    assert word_gap(first, 51, 0.25, 2.0) == np.inf
    assert word_gap(second, 48, 0.25, 2.0) == 12.0
    assert word_gap(first, 51, 0.25, 2.0, min_wide_jump=1.5) == 18.0
    # 13 -> 18 is 1.38 times: the largest jump (1 -> 3) decides
    assert word_gap(second, 48, 0.25, 2.0, min_wide_jump=1.5) == 12.0
    assert word_gap(second, 48, 0.25, 2.0, min_wide_jump=1.35) == 18.0
    # a clear jump to the words' gaps is the same either way
    latin = np.array([1, 2, 2, 10, 12])
    assert word_gap(latin, 30, 0.25, 2.0) == 10.0
    assert word_gap(latin, 30, 0.25, 2.0, min_wide_jump=1.5) == 10.0


def test_slivers_join_the_nearer_word():
    """Pieces narrower than min_word body heights (a digit 1 with wide
    blanks beside it, as in 1,400원) join the neighbour across the narrower
    gap, narrowest first; a line of such pieces alone stays one."""
    from cllstr_mm.apis.word_split import gap_cuts, merge_slivers
    # 1 | ,400원에서 | 1 | ,550원: gaps 5 and 4 right of the 1s
    cuts = [(0, 3), (8, 60), (66, 69), (73, 120)]
    assert merge_slivers(cuts, 0.35 * 14) == [(0, 60), (66, 120)]
    assert merge_slivers(cuts, 0) == cuts
    # a sliver nearer its left neighbour joins it
    assert merge_slivers([(0, 40), (42, 44), (50, 90)], 4) == [
        (0, 44), (50, 90)]
    assert merge_slivers([(0, 2), (9, 11)], 4) == [(0, 11)]
    # a separator midway between two words (gaps 6 and 5) stays apart
    assert merge_slivers([(0, 40), (46, 49), (54, 90)], 4) == [
        (0, 40), (46, 49), (54, 90)]
    # on an ink mask: body rows 4-13 (10); letters 4 columns wide, 2
    # apart; a stroke 2 columns wide 8 columns left of a word, 14 right of
    # the one before: both gaps cut, the stroke joins the nearer word
    ink = np.zeros((20, 80), bool)
    for start in (0, 6, 12, 40, 46, 52):
        ink[4:14, start:start + 4] = True
    ink[4:14, 30:32] = True
    assert gap_cuts(ink, 0.25, 2.0, 1.2) == [(0, 16), (30, 32), (40, 56)]
    assert gap_cuts(ink, 0.25, 2.0, 1.2, min_word=0.35) == [
        (0, 16), (30, 56)]


def test_split_words_and_upright_crop():
    image, _ = screenshot(drawn_line(['CITY', 'HALL', 'EAST']),
                          size=(400, 120))
    turned = np.asarray(Image.fromarray(image).rotate(
        8, resample=Image.BICUBIC, fillcolor=(255, 255, 255)))
    gray = turned.mean(axis=2)
    # the line's box, turned alike about the image's centre
    corners = np.array([[12, 24], [355, 24], [355, 80], [12, 80]], float)
    angle = np.radians(-8)  # PIL turns counter-clockwise on screen
    centre = np.array([200, 60])
    turn = np.array([[np.cos(angle), np.sin(angle)],
                     [-np.sin(angle), np.cos(angle)]])
    polygon = ((corners - centre) @ turn + centre).reshape(-1)
    words = split_words(gray, polygon)
    assert len(words) == 3
    # along the line, each word one after the other
    starts = [np.reshape(w, (-1, 2))[:, 0].min() for w in words]
    assert starts == sorted(starts)
    # a short region is not cut
    square = [10, 30, 60, 30, 60, 80, 10, 80]
    assert len(split_words(gray, square)) == 1
    # an upright crop of an axis-aligned region is its plain crop
    crop = upright_crop(image, [10, 20, 60, 20, 60, 40, 10, 40])
    assert (crop == image[20:40, 10:60]).all()
    # a turned region comes out upright, its own length and height
    assert upright_crop(turned, polygon).shape[:2] == (56, 343)


def test_headline_lines_cut_at_narrower_gaps():
    """A Devanagari line of a real screenshot (data/photo_dev): its body
    rows take in the vowel signs, so its word gaps are under a quarter of
    the body's height and it stays whole; its headline lets it cut from
    0.15 instead, into its six words (अग्रदूतों और वैज्ञानिकों के जीवन का)."""
    from cllstr_mm.apis.word_split import has_headline, ink_mask
    image = load_image(
        str(REPO / 'data' / 'photo_dev' / 'images' / 'mlkit_devanagari.jpg'))
    gray = image.mean(axis=2)
    line = [400, 184, 1127, 176, 1127, 252, 401, 260]
    assert has_headline(ink_mask(upright_crop(gray, line)))
    assert len(split_words(gray, line)) == 1
    assert len(split_words(gray, line, headline_min_gap=0.15)) == 6
    # a Latin line has no headline: cut as before
    latin, _ = screenshot(drawn_line(['CITY', 'HALL', 'EAST']),
                          size=(400, 120))
    box = [12, 24, 355, 24, 355, 80, 12, 80]
    latin_gray = latin.mean(axis=2)
    assert not has_headline(ink_mask(upright_crop(latin_gray, box)))
    assert len(split_words(latin_gray, box, headline_min_gap=0.15)) == 3
