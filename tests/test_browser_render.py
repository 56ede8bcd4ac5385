"""The second renderer (cllstr_mm.datasets.synthesis.browser): its committed
sets, font table, word source, looks and degradations, and one small
Chromium render."""
import io
import json
import os.path as osp
import zlib

import numpy as np
import pytest
import regex
from PIL import Image

from cllstr_mm.apis import load_image
from cllstr_mm.datasets.crop_folder_dataset import read_crop_folder
from cllstr_mm.datasets.synthesis.browser.degrade import (OUTPUT_HEIGHTS,
                                                          STRAUG_GROUPS,
                                                          degrade,
                                                          straug_ops)
from cllstr_mm.datasets.synthesis.browser.fonts import (BROWSER_FONTS,
                                                        BROWSER_PACKAGES,
                                                        FONT_SOURCES,
                                                        BrowserFont, covers,
                                                        load_browser_font,
                                                        unseen_by_training)
from cllstr_mm.datasets.synthesis.browser.screens import (ScreenWord,
                                                          crop_box,
                                                          word_lang,
                                                          words_html)
from cllstr_mm.datasets.synthesis.browser.style import draw_style
from cllstr_mm.datasets.synthesis.browser.text import (NATIVE_DIGITS,
                                                       draw_string,
                                                       heldout_words,
                                                       non_word)
from cllstr_mm.datasets.synthesis.fonts import SCRIPT_FONTS
from cllstr_mm.datasets.synthesis.words import (HELDOUT_WORD_EVERY,
                                                SCRIPT_PATTERNS, load_words,
                                                split_words)
from cllstr_mm.utils.languages import LANGUAGES

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
EVAL_DIR = osp.join(ROOT, 'data', 'render2_eval')
SCREEN_DIR = osp.join(ROOT, 'data', 'real_dev', 'screen')
SCREENS_JSON = osp.join(ROOT, 'data', 'photo_dev', 'screens.json')


def _heldout(word: str) -> bool:
    return zlib.crc32(word.encode('utf-8')) % HELDOUT_WORD_EVERY == 0


def test_eval_set_is_well_formed():
    crops = read_crop_folder(EVAL_DIR)  # raises on a bad line or file
    counts = {lang: sum(c.lang == lang for c in crops) for lang in LANGUAGES}
    assert counts == dict.fromkeys(LANGUAGES, 100)
    for crop in crops[::25]:
        height = load_image(crop.path).shape[0]
        assert OUTPUT_HEIGHTS[0] <= height <= OUTPUT_HEIGHTS[1]
    with open(osp.join(EVAL_DIR, 'fonts.tsv'), encoding='utf-8') as f:
        families = dict(line.split('\t')[:2] for line in f)
    assert set(families) == {osp.basename(c.path) for c in crops}
    for crop in crops:
        assert families[osp.basename(crop.path)] in BROWSER_FONTS[crop.lang]


def test_eval_words_are_held_out_of_training():
    """Every drawn word (punctuation aside) is in the words' held-out part;
    CHI and JPN join words, so only their single-word strings count."""
    checked = 0
    for crop in read_crop_folder(EVAL_DIR):
        core = regex.sub(r'[\p{P}\p{S}]', '', crop.text)
        if not SCRIPT_PATTERNS[crop.lang].fullmatch(core):
            continue  # a number, price, date...
        spellings = {core, core.lower()}
        if crop.lang in ('CHI', 'JPN') and not any(map(_heldout, spellings)):
            continue  # two or three words run together
        assert any(map(_heldout, spellings)), crop
        checked += 1
    assert checked > 400


def test_heldout_words_exclude_training_words():
    words = heldout_words('KOR')
    train = set(split_words(load_words('KOR', 30000, require_charset=False),
                            'train'))
    assert len(words) > 2000 and not train & set(words)


def test_screen_crops_are_well_formed():
    crops = read_crop_folder(SCREEN_DIR)
    counts = {lang: sum(c.lang == lang for c in crops) for lang in LANGUAGES}
    for lang in ('ARA', 'BEN', 'HIN', 'KOR'):
        assert 30 <= counts[lang] <= 60, counts
    for lang in ('CHI', 'JPN', 'LAT'):
        assert 15 <= counts[lang] <= 30, counts
    names = [osp.basename(c.path) for c in crops]
    assert all(regex.fullmatch(r'[A-Z]{3}_screen_\d{3}\.png', n)
               for n in names)


def test_screens_json_is_well_formed():
    with open(SCREENS_JSON, encoding='utf-8') as f:
        records = json.load(f)
    pages = {lang: 0 for lang in LANGUAGES}
    for record in records:
        assert set(record) == {'file', 'kind', 'source', 'licence', 'words'}
        assert record['kind'] == 'screenshot'
        path = osp.join(osp.dirname(SCREENS_JSON), record['file'])
        width, height = Image.open(path).size
        pages[osp.basename(path).split('_')[0]] += 1
        assert record['words']
        for word in record['words']:
            assert word['text'] and word['lang'] in LANGUAGES
            assert word['ignore'] is False
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = word['box']
            # clockwise from the top-left: top-right, bottom-right,
            # bottom-left
            assert x0 < x1 == x2 and x3 == x0 and y0 == y1 < y2 == y3
            assert 0 <= x0 and x1 <= width and 0 <= y0 and y2 <= height
    assert pages == dict(ARA=2, BEN=2, HIN=2, KOR=2, CHI=1, JPN=1, LAT=1)


def test_font_table_uses_no_training_family():
    used = {f for families in SCRIPT_FONTS.values() for f in families}
    for lang in LANGUAGES:
        families = BROWSER_FONTS[lang]
        assert len(families) >= 2, lang
        assert not used & set(families), lang
        assert all(unseen_by_training(f) for f in families)
        assert all(f in FONT_SOURCES for f in families)
    assert not [p for p in BROWSER_PACKAGES if p.startswith('npm:')]
    assert 'chromium' in BROWSER_PACKAGES


def test_missing_family_names_its_package():
    with pytest.raises(KeyError, match='unknown family'):
        load_browser_font('No Such Family')


def _font(family, text, weights=(400, )):
    return BrowserFont(family, '', weights,
                       frozenset(map(ord, text)), frozenset((family, )))


def test_style_is_seeded_and_needs_a_covering_font():
    fonts = [_font('A', 'abc'), _font('B', 'abcxyz', (400, 700, 900))]
    one = draw_style('LAT', 'xy', fonts, np.random.default_rng(5))
    assert one == draw_style('LAT', 'xy', fonts, np.random.default_rng(5))
    assert one.font.family == 'B'  # the only one with x and y
    assert covers(fonts[0], 'ab c') and not covers(fonts[0], 'ax')
    with pytest.raises(ValueError, match='no LAT font covers'):
        draw_style('LAT', 'q', fonts, np.random.default_rng(0))


def test_strings_are_seeded_words_or_non_words():
    words = ['alpha', 'beta']
    drawn = [draw_string('LAT', np.random.default_rng(k), words)
             for k in range(200)]
    assert drawn == [draw_string('LAT', np.random.default_rng(k), words)
                     for k in range(200)]
    plain = [s for s in drawn if s.lower() in words]
    assert 0.7 < len(plain) / len(drawn) < 0.95
    assert any(s.isupper() for s in plain) and any(s.islower() for s in plain)
    rng = np.random.default_rng(0)
    for lang, digits in NATIVE_DIGITS.items():
        made = [non_word(lang, rng, ['x']) for _ in range(60)]
        assert any(set(s) & set(digits) for s in made), lang
        assert any(regex.search('[0-9]', s) for s in made), lang


def test_degradation_is_seeded():
    rng = np.random.default_rng(1)
    image = np.full((40, 120, 3), 230, np.uint8)
    image[12:28, 10:110] = rng.integers(0, 60, (16, 100, 3))
    first, steps = degrade(image, np.random.default_rng(7))
    assert (first, steps) == degrade(image, np.random.default_rng(7))
    out = Image.open(io.BytesIO(first))
    assert out.format == 'JPEG'
    assert OUTPUT_HEIGHTS[0] <= out.height <= OUTPUT_HEIGHTS[1]
    assert steps.split('+')[-1].startswith('q')
    others = {degrade(image, np.random.default_rng(s))[0] for s in range(4)}
    assert len(others) > 1


def test_straug_ops_take_one_op_per_group():
    image = Image.new('RGB', (160, 64), 'white')
    group_of = {op: g for g, ops in STRAUG_GROUPS.items() for op in ops}
    for seed in range(12):
        _, done = straug_ops(image, np.random.default_rng(seed))
        groups = [group_of[name[:-1]] for name in done]
        assert len(groups) == len(set(groups)) <= 2


def test_screen_words_and_crops():
    page = words_html('Prix: 12,50€ iPhone ·', 'ARA')
    assert page.count('class="w"') == 3  # '·' has no letter or digit
    assert 'data-lang="LAT"' in page and 'data-lang="ARA"' in page
    assert word_lang('www.busbd.com', 'BEN') == 'LAT'
    assert word_lang('৳৩,৪৯৯', 'BEN') == 'BEN'
    assert '</span><span' in words_html('北京 地铁', 'CHI')  # unspaced
    left = ScreenWord('a', 'LAT', (10, 10, 30, 30), 0)
    right = ScreenWord('b', 'LAT', (33, 10, 60, 30), 0)
    box = crop_box(left, [left, right], np.random.default_rng(0), (100, 100))
    assert box[0] < 10 and box[1] < 10 and box[3] > 30
    assert 30 <= box[2] <= 33  # stops at the neighbour's ink


def test_chromium_renders_words_with_their_labels(tmp_path):
    """Two words through the whole path: Chromium, ink boxes, font check,
    degradation; and a page's word boxes (about 5 s)."""
    from cllstr_mm.datasets.synthesis.browser.chromium import (open_browser,
                                                               render_page)
    from cllstr_mm.datasets.synthesis.browser.eval_set import render_lang
    from cllstr_mm.datasets.synthesis.browser.screens import page_words
    fonts = [load_browser_font('Roboto'), load_browser_font('Carlito')]
    with open_browser() as browser:
        written = render_lang(browser, 'LAT', 2, 0, str(tmp_path),
                              ['orange', 'lemon'], fonts, log=lambda _: None)
        page = render_page(
            browser, '<html><body style="font: 20px Roboto">' +
            words_html('Sale 25% today', 'LAT') + '</body></html>', '.w',
            '.w', width=400)
    assert [w.name for w in written] == ['LAT_0000.jpg', 'LAT_0001.jpg']
    for w in written:
        image = load_image(str(tmp_path / w.name))
        assert OUTPUT_HEIGHTS[0] <= image.shape[0] <= OUTPUT_HEIGHTS[1]
        assert image.shape[1] > image.shape[0]  # a word, not a sliver
        assert w.family in ('Roboto', 'Carlito')
    assert [w.text for w in written] == [
        draw_string('LAT', np.random.default_rng([0, LANGUAGES.index('LAT'),
                                                  k, 0]),
                    ['orange', 'lemon']) for k in range(2)]
    words = page_words(page, 0)
    assert [w.text for w in words] == ['Sale', '25%', 'today']
    assert [w.lang for w in words] == ['LAT'] * 3
    boxes = [w.box for w in words]
    assert all(a[2] < b[0] for a, b in zip(boxes, boxes[1:]))  # in order
    assert all(14 <= b[3] - b[1] <= 24 for b in boxes)  # 20 px text
    assert page.fonts == [['Roboto']] * 3
