"""benchmarks/photos.py: the matching rule on hand-made predictions (recall
and precision computed by hand), and a run end to end on a tiny set drawn
here."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'benchmarks'))
import photos  # noqa: E402


def quad(x1, y1, x2, y2):
    return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]]


def word(text, lang, box, ignore=False):
    return dict(text=text, lang=lang, box=quad(*box), ignore=ignore)


def region(box, text):
    return photos.Region(np.array(quad(*box), np.float64), text)


def test_word_level_predictions():
    words = [
        word('OPEN', 'LAT', (10, 10, 60, 30)),
        word('EXIT', 'LAT', (100, 10, 150, 30)),
        word('서울', 'KOR', (10, 50, 60, 80)),
        word('???', 'LAT', (200, 200, 240, 220), ignore=True),
    ]
    regions = [
        region((8, 9, 62, 31), ' OPEN '),  # found (outer spaces)
        region((100, 10, 150, 30), 'EXlT'),  # detected, misread
        region((20, 55, 40, 75), '서울'),  # inside its word: found
        region((200, 200, 240, 220), 'xyz'),  # on the ignored word only
        region((300, 300, 340, 320), 'noise'),  # on nothing
        region((400, 10, 440, 30), ''),  # no text: not counted
    ]
    match = photos.match_page(words, regions)
    assert match['found'] == [True, False, True, None]
    assert match['detected'] == [True, True, True, None]
    assert match['credit'] == [1.0, 0.0, 1.0, None, 0.0, None]
    counts = photos.tally([(words, match)])
    # 2 of 3 words found, 3 of 3 detected; 2 of the 4 counted regions
    assert counts['pooled']['recall'] == pytest.approx(66.7)
    assert counts['pooled']['det_recall'] == 100.0
    assert counts['pooled']['precision'] == 50.0
    assert counts['KOR']['recall'] == 100.0
    assert counts['LAT']['recall'] == 50.0
    # 'noise' counts as Latin by its own text
    assert counts['LAT']['regions'] == 3 and counts['LAT']['credit'] == 1


def test_line_level_predictions():
    # one line region over three words, one misread; the line's text
    # places each word, so a word read elsewhere in the line does not count
    words = [
        word('the', 'LAT', (10, 10, 40, 30)),
        word('quick', 'LAT', (50, 10, 100, 30)),
        word('fox', 'LAT', (110, 10, 140, 30)),
        word('北京', 'CHI', (10, 50, 50, 80)),
        word('西站', 'CHI', (50, 50, 90, 80)),
        word('Cat', 'LAT', (300, 10, 330, 30)),
    ]
    regions = [
        region((5, 5, 145, 35), 'the quiet fox'),
        region((5, 45, 95, 85), '北京西站'),
        # a line holding 'Cat' only inside a longer word
        region((295, 5, 400, 35), 'Cats dog'),
    ]
    match = photos.match_page(words, regions)
    assert match['found'] == [True, False, True, True, True, False]
    assert match['detected'] == [True] * 6
    # credits: (3 + 3) / 11 characters, 4 / 4, 0
    assert match['credit'] == pytest.approx([6 / 11, 1.0, 0.0])
    counts = photos.tally([(words, match)])
    assert counts['pooled']['recall'] == pytest.approx(100 * 4 / 6, abs=0.05)
    assert counts['pooled']['precision'] == pytest.approx(
        100 * (6 / 11 + 1) / 3, abs=0.05)
    assert counts['CHI']['precision'] == 100.0
    # the text must lie where the word lies: 'fox' at the line's start
    moved = photos.match_page(words[2:3],
                              [region((5, 5, 145, 35), 'fox quiet the')])
    assert moved['found'] == [False]


def test_a_word_read_in_pieces():
    # a Chinese run annotated as one word, read as two regions, in either
    # order of the regions
    words = [word('北京西站', 'CHI', (10, 10, 90, 40)),
             word('ﻣﺪﺭﺳﺔ', 'ARA', (10, 60, 90, 90))]
    regions = [region((52, 12, 88, 38), '西站'), region((12, 12, 50, 38), '北京'),
               region((12, 62, 50, 88), 'سة'), region((52, 62, 88, 88), 'مدر')]
    match = photos.match_page(words, regions)
    assert match['found'] == [True, True]
    assert match['credit'] == [1.0, 1.0, 1.0, 1.0]
    # pieces that do not spell the word
    wrong = photos.match_page(words[:1], [regions[1], region(
        (52, 12, 88, 38), '西')])
    assert wrong['found'] == [False] and wrong['credit'] == [0.0, 0.0]


def test_arabic_lines_read_right_to_left():
    # the right-hand word comes first in the line's text
    words = [word('الباب', 'ARA', (110, 10, 160, 30)),
             word('مدرسة', 'ARA', (10, 10, 100, 30))]
    # presentation forms, as our recogniser writes, are folded
    line = region((5, 5, 165, 35), 'ﺍﻟﺒﺎﺏ مدرسة')
    assert photos.match_page(words, [line])['found'] == [True, True]
    swapped = region((5, 5, 165, 35), 'مدرسة الباب')
    assert photos.match_page(words[:1], [swapped])['found'] == [False]


def test_tesseract_lines():
    tsv = '\n'.join([
        'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop'
        '\twidth\theight\tconf\ttext',
        '4\t1\t1\t1\t1\t0\t10\t10\t100\t20\t-1\t',
        '5\t1\t1\t1\t1\t1\t10\t10\t40\t20\t91\tHello',
        '5\t1\t1\t1\t1\t2\t60\t12\t50\t20\t90\tworld',
        '5\t1\t1\t1\t2\t1\t10\t50\t20\t20\t80\t北京',
        '5\t1\t1\t1\t2\t2\t30\t50\t20\t20\t80\t西站',
        '5\t1\t1\t1\t3\t1\t10\t90\t20\t20\t80\t ',
    ])
    lines = photos.tesseract_lines(tsv)
    assert [r.text for r in lines] == ['Hello world', '北京西站']
    assert lines[0].points.tolist() == quad(10, 10, 110, 32)


def draw_page(path, words):
    """A white image with ``words`` ``{text: (x, y)}`` drawn in black; the
    annotation of each (its ink box)."""
    image = Image.new('RGB', (320, 160), 'white')
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=32)
    annotated = []
    for text, xy in words.items():
        draw.text(xy, text, fill='black', font=font)
        annotated.append(word(text, 'LAT', draw.textbbox(xy, text,
                                                          font=font)))
    image.save(path)
    return annotated


def test_run_on_a_tiny_set(tmp_path, capsys):
    (tmp_path / 'images').mkdir()
    entries = [
        dict(file='images/a.png', kind='photo', source='drawn here',
             licence='CC0',
             words=draw_page(tmp_path / 'images' / 'a.png',
                             {'OPEN': (20, 20), 'EXIT': (20, 90)})),
        dict(file='images/b.png', kind='screenshot', source='drawn here',
             licence='CC0',
             words=draw_page(tmp_path / 'images' / 'b.png',
                             {'HOTEL': (40, 50)})),
    ]
    (tmp_path / 'photos.json').write_text(json.dumps(entries[:1]))
    (tmp_path / 'screens.json').write_text(json.dumps(entries[1:]))
    out = tmp_path / 'results.json'
    photos.main(['--data', str(tmp_path), '--pipelines', 'ours', '--out',
                 str(out)])
    printed = capsys.readouterr().out
    assert 'photos: end-to-end recall' in printed
    assert 'screenshots: end-to-end recall' in printed
    results = json.loads(out.read_text(encoding='utf-8'))
    photo = results['results']['photo']['ours']
    assert photo['scripts']['LAT']['words'] == 2
    # the detector finds both printed words
    assert photo['scripts']['LAT']['det_recall'] == 100.0
    assert photo['seconds_per_image'] > 0
    assert results['results']['screenshot']['ours']['scripts']['pooled'][
        'words'] == 1
    assert [r['file'] for r in results['images']['ours']] == [
        'images/a.png', 'images/b.png'
    ]
    with pytest.raises(SystemExit, match='holds none of'):
        photos.main(['--data', str(tmp_path / 'images')])
