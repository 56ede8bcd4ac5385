"""The second release's opt-in looks of the synthetic word generator: the
default stays the first release's, every look does what it says and is
reproducible, photo backgrounds and the extra font families."""
import glob
import os.path as osp
import runpy
import sys

import cv2
import numpy as np
import pytest

from cllstr_mm.datasets import SynthWordDataset
from cllstr_mm.datasets.synthesis import (HELDOUT_FONT_FAMILIES,
                                          SCRIPT_FONTS, WordImageSynthesizer,
                                          find_fonts, split_fonts)
from cllstr_mm.datasets.synthesis import photos
from cllstr_mm.datasets.synthesis.effects import (STYLES, Style, draw_look,
                                                  motion_blur, padding,
                                                  parse_style, pick_weight,
                                                  two_tone, uneven_light)
from cllstr_mm.datasets.synthesis.fonts import (EVALUATION_FONT_PACKAGES,
                                                FONT_PACKAGES_EXTRA,
                                                SCRIPT_FONTS_EXTRA,
                                                face_weight, load_font,
                                                script_families)
from cllstr_mm.datasets.synthesis.styled import StyledWordImageSynthesizer

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools', 'data',
    'synth_style_sheet.py')
WORDS = {'KOR': ['농업', '한국', '학교', '서울'],
         'LAT': ['house', 'river', 'Straße', 'water']}
LOOKS = [f for f in Style._fields if f != 'font_set']


def _styled(lang='LAT', **kwargs):
    return StyledWordImageSynthesizer(lang, words=WORDS[lang], seed=3,
                                      stream='test', **kwargs)


def _luma(image):
    return image.astype(np.float32) @ np.float32([0.299, 0.587, 0.114])


def test_without_a_style_samples_are_the_first_release_s():
    for lang in ('KOR', 'LAT'):
        base = WordImageSynthesizer(lang, words=WORDS[lang], seed=3,
                                    stream='test', spaced_prob=0.5)
        styled = _styled(lang, spaced_prob=0.5)
        assert [styled.sample(i) for i in range(4)] == [
            base.sample(i) for i in range(4)]
    # The dataset draws through the styled generator, style None.
    dataset = SynthWordDataset(langs=('LAT', ), length=10, word_split='all',
                               vocab_size=300, channel_order='rgb')
    base = WordImageSynthesizer('LAT', vocab_size=300, font_split='train')
    expected = cv2.imdecode(np.frombuffer(base.sample(2)[0], np.uint8),
                            cv2.IMREAD_COLOR)[..., ::-1]
    assert np.array_equal(dataset.get_data_info(2)['img'], expected)
    assert dataset.synths[0].style is None


@pytest.mark.parametrize('look', LOOKS)
def test_each_look_is_reproducible_and_changes_the_crops(look):
    plain = _styled(style=dict())
    styled = _styled(style={look: 1.0})
    again = _styled(style={look: 1.0})
    samples = [styled.sample(i) for i in range(3)]
    assert [again.sample(i) for i in range(3)] == samples
    assert samples != [plain.sample(i) for i in range(3)]
    for image, label in samples:
        assert label.lower() in [w.lower() for w in WORDS['LAT']]


def test_clean_words_are_dark_on_a_flat_light_background():
    synth = _styled(style=dict(clean=1.0))
    for i in range(6):
        luma = _luma(synth.draw(i).image).round()
        # the commonest value is the background's: light, and flat (no
        # noise, texture or JPEG before encoding)
        values, counts = np.unique(luma, return_counts=True)
        assert values[counts.argmax()] >= 0.85 * 255 - 1
        assert counts.max() >= 0.3 * luma.size
        assert luma.min() <= 0.25 * 255 + 10  # dark text


def test_tight_crops_touch_the_ink_and_loose_ones_leave_room():
    def margin(image):
        dark = _luma(image) < 128  # dark text on a light background
        cols = np.flatnonzero(dark.any(axis=0))
        return min(cols[0], image.shape[1] - 1 - cols[-1]) / image.shape[0]

    tight = _styled(style=dict(clean=1.0, tight_crop=1.0))
    loose = _styled(style=dict(clean=1.0, loose_crop=1.0))
    tight_margins = [margin(tight.draw(i).image) for i in range(6)]
    loose_margins = [margin(loose.draw(i).image) for i in range(6)]
    assert max(tight_margins) <= 0.05
    assert min(loose_margins) >= 0.05


def test_effects():
    rng = np.random.default_rng(0)
    fill = two_tone(rng, 20, 30, np.zeros(3), np.full(3, 200.0))
    assert fill.shape == (20, 30, 3) and fill.dtype == np.float32
    assert fill.min() == pytest.approx(0, abs=20) and fill.max() > 180
    flat = np.full((40, 120, 3), 200.0, np.float32)
    lit = uneven_light(np.random.default_rng(1), flat)
    assert lit.max() <= 200 + 1e-3 and lit.min() <= 0.85 * 200 + 1e-3
    bars = np.zeros((40, 120, 3), np.float32)
    bars[:, ::4] = 255
    blurred = motion_blur(np.random.default_rng(2), bars)
    assert blurred.mean() == pytest.approx(bars.mean(), rel=0.05)
    assert np.abs(np.diff(blurred, axis=1)).mean() < \
        0.7 * np.abs(np.diff(bars, axis=1)).mean()
    for kind, (lo, hi) in (('tight', (0, 0.02)), ('loose', (0.1, 0.3))):
        pads = padding(np.random.default_rng(3), kind)
        assert pads.shape == (4, ) and (lo <= pads).all() and (pads <= hi).all()


def test_weights_pick_bold_and_heavy_faces_or_embolden():
    noto = [f for f in find_fonts('LAT') if f.family == 'Noto Sans']
    rng = np.random.default_rng(0)
    for weight, (lo, hi) in (('regular', (350, 550)), ('bold', (600, 750)),
                             ('heavy', (800, 1000))):
        face, stroke = pick_weight(rng, noto, weight)
        assert lo <= face_weight(face) <= hi and stroke == 0
        assert 'italic' not in face.style.lower()
    regular_only = [f for f in noto if face_weight(f) == 400][:1]
    assert pick_weight(rng, regular_only, 'bold') == (regular_only[0], 0.02)
    look = draw_look(np.random.default_rng(0), Style(clean=1.0, bold=1.0))
    assert look.clean and look.weight == 'bold' and not look.outline


def test_styles_are_checked():
    assert parse_style('release2') is STYLES['release2']
    assert parse_style(dict(clean=0.5)) == Style(clean=0.5)
    assert parse_style(dict(base='release2', neighbours=0.5)) == \
        STYLES['release2']._replace(neighbours=0.5)
    with pytest.raises(ValueError, match="style base='release9'"):
        parse_style(dict(base='release9'))
    with pytest.raises(ValueError, match='neighbours=1.5'):
        parse_style(dict(base='release2', neighbours=1.5))
    with pytest.raises(ValueError, match="style='fancy'"):
        parse_style('fancy')
    with pytest.raises(ValueError, match=r"unknown keys \['glow'\]"):
        parse_style(dict(glow=0.5))
    with pytest.raises(ValueError, match='photo_bg=1.5'):
        parse_style(dict(photo_bg=1.5))
    with pytest.raises(ValueError, match='tight_crop \\+ loose_crop'):
        parse_style(dict(tight_crop=0.6, loose_crop=0.6))
    with pytest.raises(ValueError, match="font_set='release3'"):
        parse_style(dict(font_set='release3'))


def test_photo_backgrounds(monkeypatch):
    synth = _styled(style=dict(photo_bg=1.0))
    assert synth.wallpapers == photos.find_wallpapers()
    assert len(synth.wallpapers) >= 10
    image = synth.draw(0).image
    assert image.dtype == np.uint8 and image.shape[2] == 3
    patch = photos.photo_patch(np.random.default_rng(0), synth.wallpapers,
                               40, 300)
    assert patch.shape == (40, 300, 3) and patch.dtype == np.float32
    # Without the wallpaper packages: a clear error naming them.
    monkeypatch.setattr(photos.glob, 'glob', lambda pattern: [])
    with pytest.raises(FileNotFoundError,
                       match='apt-get install mate-backgrounds '
                       'plasma-workspace-wallpapers'):
        _styled(style=dict(photo_bg=0.1))
    _styled(style=dict(clean=0.5))  # no photo look: no photo needed


def test_calm_under_text_bounds_the_background_near_the_text():
    rng = np.random.default_rng(0)
    patch = rng.uniform(0, 255, (30, 60, 3)).astype(np.float32)
    near = np.zeros((30, 60), bool)
    near[10:20, 10:50] = True
    calm, mean = photos.calm_under_text(patch, near, 0.2)
    deviation = np.abs(_luma(calm - mean))[near]
    assert np.percentile(deviation, 95) <= 0.2 * 255 + 1e-3


def _package_files(packages):
    """Files Debian's dpkg lists for the installed ``packages``."""
    files = set()
    for package in packages:
        for listing in glob.glob(f'/var/lib/dpkg/info/{package}.list') + \
                glob.glob(f'/var/lib/dpkg/info/{package}:*.list'):
            with open(listing) as f:
                files.update(osp.realpath(line.strip()) for line in f)
    return files


def test_extra_fonts_stay_apart_from_held_out_and_evaluation_fonts():
    heldout = set(HELDOUT_FONT_FAMILIES.values())
    evaluation_files = _package_files(EVALUATION_FONT_PACKAGES)
    for lang, extra in SCRIPT_FONTS_EXTRA.items():
        assert not set(extra) & heldout, lang
        assert not set(extra) & set(SCRIPT_FONTS[lang]), lang
        assert not set(FONT_PACKAGES_EXTRA[lang]) & set(
            EVALUATION_FONT_PACKAGES), lang
        assert script_families(lang) == list(SCRIPT_FONTS[lang])
        # no face drawn comes from a package of the evaluation renderer
        faces = find_fonts(lang, font_set='release2')
        assert not {f.path for f in faces} & evaluation_files, lang
    faces = find_fonts('KOR', font_set='release2')
    families = {f.family for f in faces}
    assert set(SCRIPT_FONTS_EXTRA['KOR']) <= families
    train = split_fonts(faces, 'KOR', 'train')
    assert HELDOUT_FONT_FAMILIES['KOR'] not in {f.family for f in train}
    # The first release's set is untouched by the option.
    assert find_fonts('KOR') == [f for f in faces
                                 if f.family in SCRIPT_FONTS['KOR']]
    synth = _styled('KOR', style='release2', font_split='train')
    assert {f.family for f in synth.fonts} == families - {
        HELDOUT_FONT_FAMILIES['KOR']}


def test_dataset_forwards_the_style():
    dataset = SynthWordDataset(langs=('KOR', 'LAT'), length=10,
                               word_split='all', vocab_size=300,
                               style=dict(clean=1.0))
    assert all(s.style == Style(clean=1.0) for s in dataset.synths)
    img = dataset.get_data_info(1)['img']
    assert img.dtype == np.uint8 and img.shape[2] == 3


def test_sample_sheet_tool(tmp_path, monkeypatch):
    out = tmp_path / 'sheet.png'
    monkeypatch.setattr(sys, 'argv', [
        TOOL, '--out', str(out), '--langs', 'KOR', 'LAT', '--per-lang', '4',
        '--vocab-size', '300'
    ])
    runpy.run_path(TOOL, run_name='__main__')
    # one row of 4 crops (300x120 cells) per script
    assert cv2.imread(str(out)).shape == (2 * 120, 4 * 300, 3)


def test_neighbours_are_cut_by_the_crop_edge():
    """The crop of a word with neighbours (here a 20 x 40 px block of ink
    in a blank canvas) shows ink beside the word's own columns, on the
    side(s) drawn, reaching the crop's edge region; the word's label is
    unchanged. A style without neighbours draws as before the look
    existed (draw_look takes no extra number)."""
    synth = _styled(style=dict(neighbours=1.0))
    font = load_font(synth.fonts[0], 20)
    sides = set()
    for seed in range(12):
        masks = np.zeros((60, 80, 3), np.uint8)
        masks[20:40, 20:60, 0] = 255
        rng = np.random.default_rng(seed)
        out, ink, pads = synth._add_neighbours(
            masks, (20, 20, 60, 40), padding(rng, 'normal'), font, (0, ),
            rng)
        assert ink == (40, 20, 80, 40)  # one font size more on each side
        assert np.array_equal(out[20:40, 40:80, 0], masks[20:40, 20:60, 0])
        crop = synth._crop(out, ink, pads)[..., 0]
        left = int(pads[0] * 20)
        word = np.zeros(crop.shape[1], bool)
        word[left:left + 40] = True
        beside = np.flatnonzero(crop[:, ~word].any(axis=0))
        assert len(beside)
        sides.update('left' if c < left else 'right'
                     for c in np.flatnonzero(~word)[beside])
    assert sides == {'left', 'right'}
    labelled = _styled(style=dict(clean=1.0, neighbours=1.0))
    plain = _styled(style=dict(clean=1.0))
    assert [labelled.draw(i).text for i in range(4)] == [
        plain.draw(i).text for i in range(4)]
    rng = np.random.default_rng(5)
    without = STYLES['release2']._replace(neighbours=0.0)
    assert not draw_look(rng, without).neighbours
    assert rng.random() == np.random.default_rng(5).random(10)[-1]
