"""Words grouped into lines in reading order, on hand-made boxes."""
import numpy as np
import pytest

from cllstr_mm.apis.reading_order import group_lines, read_lines, skew_angle


def box(x, y, w, h, angle_deg=0.0, centre=(0.0, 0.0)):
    """The polygon ``[x1, y1, ..., x4, y4]`` of a ``w`` x ``h`` box at
    ``(x, y)``, turned by ``angle_deg`` (clockwise on screen) about
    ``centre``."""
    points = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
                      dtype=float) - centre
    a = np.radians(angle_deg)
    turn = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    return (points @ turn + centre).reshape(-1).tolist()


def test_two_lines_top_to_bottom_words_left_to_right():
    # given out of order, second line first
    polygons = [
        box(200, 100, 80, 30),  # 0: line 2, word 2
        box(100, 12, 90, 30),  # 1: line 1, word 2 (slightly lower)
        box(10, 100, 120, 32),  # 2: line 2, word 1
        box(10, 10, 80, 28),  # 3: line 1, word 1
    ]
    texts = ['two', 'world', 'line', 'hello']
    assert group_lines(polygons) == [[3, 1], [2, 0]]
    lines = read_lines(polygons, texts)
    assert [line['text'] for line in lines] == ['hello world', 'line two']
    assert [line['words'] for line in lines] == [[3, 1], [2, 0]]
    assert [line['lang'] for line in lines] == ['LAT', 'LAT']
    assert lines[0]['box'] == [10, 10, 190, 42]
    assert lines[1]['box'] == [10, 100, 280, 132]


def test_arabic_line_reads_right_to_left():
    # presentation forms, as the recogniser writes Arabic
    right, left = 'الباب', 'مدرسة'
    polygons = [box(10, 10, 100, 40), box(130, 12, 90, 40),
                box(10, 80, 60, 30), box(80, 80, 60, 30)]
    texts = [left, right, 'EXIT', '42']
    lines = read_lines(polygons, texts)
    assert [line['words'] for line in lines] == [[1, 0], [2, 3]]
    assert lines[0]['lang'] == 'ARA'
    # the right-hand word first
    assert lines[0]['text'] == 'الباب مدرسة'
    assert lines[1]['text'] == 'EXIT 42'


def test_a_rotated_line_stays_one_line():
    # five words along a line turned 12 degrees: the last word's top is
    # below the first word's bottom, yet it is one line; a second line
    # under it, turned alike
    words = ['one', 'two', 'three', 'four', 'five']
    polygons = [box(20 + 110 * i, 200, 100, 30, 12, (20, 200))
                for i in range(5)]
    polygons += [box(20 + 110 * i, 250, 100, 30, 12, (20, 200))
                 for i in range(2)]
    assert np.degrees(skew_angle(
        [np.reshape(p, (-1, 2)) for p in polygons])) == pytest.approx(12)
    assert min(polygons[4][1::2]) > max(polygons[0][1::2])
    texts = words + ['six', 'seven']
    lines = read_lines(polygons, texts)
    assert [line['text'] for line in lines] == [
        'one two three four five', 'six seven'
    ]


def test_chinese_and_japanese_lines_have_no_spaces():
    polygons = [box(100, 10, 60, 30), box(10, 10, 80, 30),
                box(10, 60, 80, 30), box(100, 60, 50, 30),
                box(10, 110, 50, 30), box(70, 110, 50, 30)]
    texts = ['西站', '北京', 'くすり', '薬局', '서울', '역']
    lines = read_lines(polygons, texts)
    assert [(line['text'], line['lang']) for line in lines] == [
        ('北京西站', 'CHI'), ('くすり薬局', 'JPN'), ('서울 역', 'KOR')
    ]


def test_columns_and_gaps():
    # two columns of two lines each, under a title across both
    polygons = [
        box(10, 60, 100, 20), box(10, 90, 100, 20),  # left column
        box(400, 58, 100, 20), box(400, 88, 100, 20),  # right column
        box(150, 10, 200, 25),  # title
    ]
    assert group_lines(polygons) == [[4], [0], [1], [2], [3]]
    # an empty reading is left out of the lines
    lines = read_lines(polygons, ['a', 'b', 'c', '', 'T'])
    assert [line['words'] for line in lines] == [[4], [0], [1], [2]]


def test_nothing_to_order():
    assert group_lines([]) == []
    assert read_lines([], []) == []
    assert read_lines([box(0, 0, 10, 10)], ['  ']) == []


def test_numbers_in_arabic_lines_are_typed_right_to_left():
    from cllstr_mm.apis.ocr_inferencer import MultilingualOCRInferencer
    word = '\u0645\u062f\u0631\u0633\u0629'
    polygons = [box(200, 10, 100, 40), box(130, 12, 60, 40),  # one line
                box(10, 200, 60, 30)]  # a number alone lower down
    result = dict(det_polygons=polygons, rec_texts=[word, '%12', '.%10'])
    lines = MultilingualOCRInferencer._lines(result, '[UNK]')
    assert result['rec_texts'] == [word, '12%', '10%.']
    assert [line['text'] for line in lines] == [f'{word} 12%', '10%.']
    # on a Latin page a number keeps the order it shows
    latin = dict(det_polygons=polygons, rec_texts=['EXIT', '%12', '(3'])
    MultilingualOCRInferencer._lines(latin, '[UNK]')
    assert latin['rec_texts'] == ['EXIT', '%12', '(3']
