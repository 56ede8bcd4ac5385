"""tools/demo.py, tools/infer.py and the synthetic-scene check
(tools/misc/check_scene_reading.py) on untrained weights."""
import json
from pathlib import Path

import numpy as np
import pytest
from cllstr_model_helpers import untrained_checkpoint
from data_utils import make_word_image
from PIL import Image
from tool_utils import load_tool, run_tool

from cllstr_mm.datasets.synthesis import load_words
from cllstr_mm.datasets.synthesis.words import label_tokens
from cllstr_mm.utils.cli import parse_vocab_sizes
from cllstr_mm.utils.scripts import detect_script

REPO = Path(__file__).resolve().parents[1]
SVTR = REPO / 'configs/textrecog/cllstr/svtr-tiny_1xb128-100k_mlt19-joint.py'
DEMO_IMAGES = REPO / 'demo'


@pytest.fixture(scope='module')
def svtr_weights(tmp_path_factory):
    return untrained_checkpoint(SVTR,
                                tmp_path_factory.mktemp('ckpt') / 'svtr.pth')


def test_demo_reads_the_demo_images(svtr_weights, tmp_path, monkeypatch,
                                    capsys):
    out = tmp_path / 'results.txt'
    status = run_tool(
        load_tool('tools/demo.py'),
        [SVTR, svtr_weights, DEMO_IMAGES, '--out', out, '--batch-size', 4,
         '--vis-dir', tmp_path / 'vis', '--device', 'cpu'], monkeypatch)
    assert status == 0
    lines = out.read_text(encoding='utf-8').splitlines()
    names = sorted(p.name for p in DEMO_IMAGES.glob('*.jpg'))
    assert [Path(line.split('\t')[0]).name for line in lines] == names
    for line in lines:
        path, text, lang, confidence = line.split('\t')
        assert lang == (detect_script(text) or '-')
        assert 0 <= float(confidence) <= 1
    assert capsys.readouterr().out.splitlines()[-len(lines):] == lines
    assert sorted(p.name for p in (tmp_path / 'vis' / 'vis').iterdir()) == names


def test_demo_reports_bad_images_and_keeps_the_rest(svtr_weights, tmp_path,
                                                    monkeypatch, capsys):
    images = tmp_path / 'images'
    images.mkdir()
    (images / 'a.jpg').write_bytes(make_word_image('HELLO'))
    (images / 'b.jpg').write_bytes(b'\xff\xd8 truncated')
    (images / 'c.png').write_bytes(make_word_image('WORLD', fmt='PNG'))
    out = tmp_path / 'results.txt'
    demo = load_tool('tools/demo.py')
    status = run_tool(demo, [SVTR, svtr_weights, images, '--out', out,
                             '--batch-size', 3], monkeypatch)
    assert status == 1
    lines = out.read_text(encoding='utf-8').splitlines()
    assert [Path(line.split('\t')[0]).name for line in lines] == [
        'a.jpg', 'c.png'
    ]
    assert "cannot read image '" in capsys.readouterr().err
    empty = tmp_path / 'empty'
    empty.mkdir()
    status = run_tool(demo, [SVTR, svtr_weights, empty, '--out', out],
                      monkeypatch)
    assert 'no images in folder' in status


def test_infer_tool_detects_and_reads(svtr_weights, tmp_path, monkeypatch,
                                      capsys):
    images = tmp_path / 'images'
    images.mkdir()
    scene = np.full((96, 160, 3), 235, np.uint8)
    Image.fromarray(scene).save(images / 'scene.png')
    Image.fromarray(scene[:, :, 0]).save(images / 'gray.png')
    status = run_tool(
        load_tool('tools/infer.py'),
        [images, '--rec', SVTR, '--rec-weights', svtr_weights, '--out-dir',
         tmp_path / 'out', '--device', 'cpu'], monkeypatch)
    assert status == 0
    for name in ('scene', 'gray'):
        pred = json.loads((tmp_path / 'out' / 'preds' /
                           f'{name}.json').read_text(encoding='utf-8'))
        assert set(pred) == {
            'det_polygons', 'det_scores', 'rec_texts', 'rec_scores',
            'rec_langs', 'dropped_boxes', 'lines', 'text'
        }
        assert len(pred['det_polygons']) == len(pred['rec_texts'])
        assert pred['rec_langs'] == [detect_script(t)
                                     for t in pred['rec_texts']]
        picture = Image.open(tmp_path / 'out' / 'vis' / f'{name}.jpg')
        assert picture.size == (320, 96)
    status = run_tool(
        load_tool('tools/infer.py'),
        [images, '--rec', REPO / 'configs/textrecog/cllstr/_base_mlt19.py',
         '--rec-weights', svtr_weights], monkeypatch)
    assert 'has no model' in status


def test_synthetic_scene_end_to_end(svtr_weights, tmp_path, monkeypatch,
                                    capsys):
    check = load_tool('tools/misc/check_scene_reading.py')
    scene, words = check.compose_scene(seed=1)
    assert [word['lang'] for word in words] == list(check.SCENE_WORDS)
    for word in words:
        x0, y0, x1, y1 = word['box']
        assert 0 <= x0 < x1 <= scene.shape[1] and 0 <= y0 < y1 <= scene.shape[0]
        # the word's crop, not the background, is inside its box
        assert scene[y0:y1, x0:x1].std() > 10
    # an untrained recogniser reads nothing, so a reading threshold fails,
    # after the full check has run
    status = run_tool(check, [
        '--rec', SVTR, '--rec-weights', svtr_weights, '--out-dir', tmp_path,
        '--device', 'cpu', '--min-1ned', 50
    ], monkeypatch)
    assert 'mean 1-NED' in status
    out = capsys.readouterr().out
    assert 'structure OK' in out
    for lang in check.SCENE_WORDS:
        assert f'\n{lang}\t' in '\n' + out
    assert (tmp_path / 'preds' / 'scene.json').exists()
    assert (tmp_path / 'vis' / 'scene.jpg').exists()
    assert check.check_ocr_result(dict(det_polygons=[[0, 0, 1, 1]])) != []


def test_scene_words_from_a_small_vocabulary():
    check = load_tool('tools/misc/check_scene_reading.py')
    sizes = parse_vocab_sizes(['80', 'LAT=200'], list(check.SCENE_WORDS))
    assert sizes['LAT'] == 200 and sizes['CHI'] == 80
    words = check.vocabulary_words(sizes, per_script=3, seed=3)
    assert [lang for lang, _ in words] == [
        lang for lang in check.SCENE_WORDS for _ in range(3)
    ]
    for lang, word in words:
        assert word in load_words(lang, sizes[lang]), (lang, word)
        assert 2 <= len(label_tokens(word, lang)) <= 6
    assert len(set(words)) == len(words)
    assert check.vocabulary_words(sizes, per_script=3, seed=3) == words
    with pytest.raises(SystemExit, match='2 KOR words of 2-6 tokens among '
                       'the 20 most frequent, 4 needed'):
        check.vocabulary_words(dict(KOR=20), per_script=4)
    with pytest.raises(SystemExit, match=r"--vocab-size: expected N or "
                       r"LANG=N .* got 'XYZ=3'"):
        parse_vocab_sizes(['XYZ=3'], ['LAT'])
    with pytest.raises(SystemExit, match=r"no size for \['CHI'\]"):
        parse_vocab_sizes(['LAT=3'], ['LAT', 'CHI'])
