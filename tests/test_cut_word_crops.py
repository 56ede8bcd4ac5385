"""tools/data/cut_word_crops.py on a drawn image with a known rotated word
box, its errors for bad annotations, and the checked-in real-text sets it
made (data/photo_dev/photos.json, data/real_dev/photo/gt.txt)."""
import json
import math

import cv2
import numpy as np
import pytest
from tool_utils import REPO, load_tool, run_tool

from cllstr_mm.apis import load_image
from cllstr_mm.utils.languages import LANGUAGES

cut = load_tool('tools/data/cut_word_crops.py')

# A 80 x 20 px "word" turned 30 degrees: its left half red, its right half
# blue and a black band along its top edge, so the crop shows whether the
# warp put it upright and the right way round.
WIDTH, HEIGHT, ANGLE = 80, 20, math.radians(30)
RED, BLUE, BLACK = (0, 0, 255), (255, 0, 0), (0, 0, 0)


def word_point(u, v, centre=(100, 70)):
    """Image point at (u, v) px along the word's width and height from its
    top-left corner."""
    cx, cy = centre
    x, y = u - WIDTH / 2, v - HEIGHT / 2
    return (cx + x * math.cos(ANGLE) - y * math.sin(ANGLE),
            cy + x * math.sin(ANGLE) + y * math.cos(ANGLE))


def fill(image, u0, v0, u1, v1, color):
    quad = [
        word_point(u, v) for u, v in ((u0, v0), (u1, v0), (u1, v1), (u0, v1))
    ]
    cv2.fillPoly(image, [np.round(quad).astype(np.int32)], color)


@pytest.fixture
def photo_dir(tmp_path):
    image = np.full((160, 200, 3), 255, np.uint8)
    fill(image, 0, 0, WIDTH / 2, HEIGHT, RED)
    fill(image, WIDTH / 2, 0, WIDTH, HEIGHT, BLUE)
    fill(image, 0, 0, WIDTH, 4, BLACK)
    (tmp_path / 'images').mkdir()
    cv2.imwrite(str(tmp_path / 'images' / 'synth_word.png'), image)
    box = [[round(c, 2) for c in word_point(u, v)]
           for u, v in ((0, 0), (WIDTH, 0), (WIDTH, HEIGHT), (0, HEIGHT))]
    entries = [{
        'file':
        'images/synth_word.png',
        'kind':
        'photo',
        'source':
        'drawn',
        'licence':
        'CC0',
        'words': [
            {
                'text': 'Hello',
                'lang': 'LAT',
                'box': box,
                'ignore': False
            },
            {
                'text': '###',
                'lang': 'LAT',
                'box': box,
                'ignore': True
            },
            {
                'text': 'سلام',
                'lang': 'ARA',
                'box': box,
                'ignore': False
            },
        ]
    }]
    (tmp_path / 'photos.json').write_text(json.dumps(entries), 'utf-8')
    return tmp_path


def write_entries(path, words, file='images/synth_word.png'):
    path.write_text(json.dumps([{'file': file, 'words': words}]), 'utf-8')


def test_crop_is_the_word_upright_with_a_margin(photo_dir):
    out = photo_dir / 'crops'
    crops = cut.cut_crops(str(photo_dir / 'photos.json'), str(out))

    assert crops == {'LAT_synth_001.jpg': 'Hello', 'ARA_synth_001.jpg': 'سلام'}
    crop = load_image(str(out / 'LAT_synth_001.jpg'))
    pad = cut.DEFAULT_MARGIN * HEIGHT
    assert crop.shape == (round(HEIGHT + 2 * pad), round(WIDTH + 2 * pad), 3)
    # inside the word: red left, blue right, black on top; the margin is the
    # white background
    p = round(pad)
    mid = p + HEIGHT // 2 + 3
    assert np.abs(crop[mid, p + 10].astype(int) - RED).max() < 60
    assert np.abs(crop[mid, p + WIDTH - 10].astype(int) - BLUE).max() < 60
    assert crop[p + 1, p + WIDTH // 2].max() < 60
    assert crop[0, 0].min() > 200 and crop[-1, -1].min() > 200


def test_gt_lines_are_merged_and_rewritten(photo_dir):
    out = photo_dir / 'crops'
    out.mkdir()
    # a crop that came already cut is kept; a crop of an earlier run of
    # these annotations (LAT_synth_) is replaced, its file deleted
    (out / 'gt.txt').write_text(
        'KOR_paddle_001.jpg\t만행은\nLAT_synth_007.jpg\told\n', 'utf-8')
    (out / 'LAT_synth_007.jpg').write_bytes(b'stale')

    cut.cut_crops(str(photo_dir / 'photos.json'), str(out))

    assert (out / 'gt.txt').read_text('utf-8').splitlines() == [
        'ARA_synth_001.jpg\tسلام', 'KOR_paddle_001.jpg\t만행은',
        'LAT_synth_001.jpg\tHello'
    ]
    assert not (out / 'LAT_synth_007.jpg').exists()


def test_margin_option_and_summary(photo_dir, monkeypatch, capsys):
    out = photo_dir / 'crops'
    assert run_tool(cut, [photo_dir / 'photos.json', out, '--margin', '0'],
                    monkeypatch) == 0
    assert 'ARA 1, LAT 1' in capsys.readouterr().out
    assert load_image(str(out / 'LAT_synth_001.jpg')).shape[:2] == (HEIGHT,
                                                                    WIDTH)


@pytest.mark.parametrize('word, message', [
    ({
        'text': 'a',
        'lang': 'XYZ',
        'box': [[0, 0], [9, 0], [9, 9], [0, 9]]
    }, '"lang" is \'XYZ\''),
    ({
        'text': '',
        'lang': 'LAT',
        'box': [[0, 0], [9, 0], [9, 9], [0, 9]]
    }, '"text" must be a non-empty string'),
    ({
        'text': 'a',
        'lang': 'LAT',
        'box': [[0, 0], [9, 0], [9, 9]]
    }, '"box" must be four [x, y] points'),
    ({
        'text': 'a',
        'lang': 'LAT',
        'box': [[0, 0], [0, 9], [9, 9], [9, 0]]
    }, 'is not clockwise from the top-left'),
    ({
        'text': 'a',
        'lang': 'LAT',
        'box': [[150, 0], [250, 0], [250, 9], [150, 9]]
    }, 'reaches outside the 200x160 image'),
])
def test_bad_annotations_name_the_word(photo_dir, word, message):
    ann = photo_dir / 'bad.json'
    write_entries(ann, [word])
    with pytest.raises(cut.AnnotationError) as error:
        cut.cut_crops(str(ann), str(photo_dir / 'crops'))
    assert message in str(error.value)
    assert 'bad.json: entry 0' in str(error.value)


def test_cli_errors_are_messages(photo_dir, monkeypatch):
    (photo_dir / 'list.json').write_text('{"file": "x"}', 'utf-8')
    status = run_tool(cut, [photo_dir / 'list.json', photo_dir / 'crops'],
                      monkeypatch)
    assert 'expected a JSON list of images' in status
    write_entries(photo_dir / 'missing.json', [], file='images/none.jpg')
    status = run_tool(cut, [photo_dir / 'missing.json', photo_dir / 'crops'],
                      monkeypatch)
    assert 'none.jpg' in status
    status = run_tool(
        cut, [photo_dir / 'photos.json', photo_dir / 'crops', '--margin', '2'],
        monkeypatch)
    assert '--margin must be between 0 and 1' in status


def test_photo_dev_annotations_fit_their_images():
    ann = REPO / 'data' / 'photo_dev' / 'photos.json'
    entries = cut.load_annotations(str(ann))
    assert len(entries) >= 20
    langs = set()
    for i, entry in enumerate(entries):
        assert entry['kind'] in ('photo', 'screenshot')
        assert entry['source'] and entry['licence']
        image = load_image(str(ann.parent / entry['file']))
        size = (image.shape[1], image.shape[0])
        for j, word in enumerate(entry['words']):
            cut.check_box(word['box'], f'{entry["file"]} word {j}', size)
            langs.add(word['lang'])
    assert langs == set(LANGUAGES)


def test_real_dev_photo_crops_are_all_listed():
    folder = REPO / 'data' / 'real_dev' / 'photo'
    gt = cut.read_gt(str(folder / 'gt.txt'))
    assert len(gt) >= 100
    assert set(gt) == {p.name for p in folder.glob('*.jpg')}
    for name, text in gt.items():
        assert name.split('_')[0] in LANGUAGES, name
        assert text.strip() and text == text.strip(), name
    assert {name.split('_')[0] for name in gt} == set(LANGUAGES)


def test_contact_sheet_draws_every_crop(photo_dir, tmp_path):
    out = photo_dir / 'crops'
    cut.cut_crops(str(photo_dir / 'photos.json'), str(out))
    sheet = tmp_path / 'sheet.png'
    assert cut.contact_sheet(str(out), str(sheet), columns=2) == 2
    assert load_image(str(sheet)).shape[:2] == (86, 400)


def test_real_dev_cut_crops_match_the_photo_words():
    # one crop per word not marked "ignore", named <LANG>_<source>_<n>; the
    # crops that came already cut use other sources (<source>crop, cllstr),
    # so cutting again leaves them alone
    ann = REPO / 'data' / 'photo_dev' / 'photos.json'
    entries = cut.load_annotations(str(ann))
    sources = {cut.source_tag(e['file']) for e in entries}
    gt = cut.read_gt(str(REPO / 'data' / 'real_dev' / 'photo' / 'gt.txt'))
    cut_texts = sorted(t for n, t in gt.items() if n.split('_')[1] in sources)
    words = sorted(w['text'] for e in entries for w in e['words']
                   if not w['ignore'])
    assert cut_texts == words
