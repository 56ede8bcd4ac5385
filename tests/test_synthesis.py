"""Synthetic word images: reproducibility, labels, fonts, LMDB output."""
import os.path as osp
import runpy
import sys

import cv2
import lmdb
import numpy as np
import pytest

from cllstr_mm.datasets.synthesis import (WordImageSynthesizer, covers,
                                          find_fonts, iter_samples,
                                          load_charset, load_words,
                                          output_dir, write_synth_lmdb)
from cllstr_mm.datasets.synthesis import fonts as fonts_module
from cllstr_mm.datasets.synthesis.fonts import load_font
from cllstr_mm.utils.languages import (LANGUAGES, max_label_length,
                                       split_label)

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools', 'data',
    'synth_text.py')


def _decode(image_bytes):
    image = cv2.imdecode(
        np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def _face(family):
    for lang in ('KOR', 'LAT'):
        for face in find_fonts(lang):
            if face.family == family:
                return face
    raise AssertionError(f'font family {family} is not installed '
                         '(see APT_PKGS in tools/install.sh)')


def test_same_seed_same_bytes_whatever_the_workers():
    words = ['한국', '서울', '학교', '사람']
    first = WordImageSynthesizer('KOR', words=words, seed=7, stream='test')
    again = WordImageSynthesizer('KOR', words=words, seed=7, stream='test')
    other = WordImageSynthesizer('KOR', words=words, seed=8, stream='test')
    samples = [first.sample(i) for i in range(6)]
    assert [again.sample(i) for i in range(6)] == samples
    # Sample i does not depend on what was drawn before it.
    assert again.sample(4) == samples[4]
    assert [other.sample(i) for i in range(6)] != samples
    parallel = list(iter_samples(first, 6, workers=2, chunksize=2))
    assert [(image, label) for image, label, _ in parallel] == samples
    for image, label in samples:
        assert label in {w + v for w in words for v in [''] + words}
        h, w = _decode(image).shape[:2]
        assert 32 <= h <= 64 and w >= 8


@pytest.mark.parametrize('lang', LANGUAGES)
def test_labels_tokenise_into_charset(lang):
    charset = load_charset()
    words = load_words(lang, 40)
    synth = WordImageSynthesizer(lang, words=words, seed=0, height=(32, 32))
    for index in range(4):
        sample = synth.draw(index)
        tokens = split_label(sample.label)
        assert tokens and all(token in charset for token in tokens), tokens
        assert len(sample.label) <= max_label_length(lang)
        assert sample.image.shape[0] == 32 and sample.image.dtype == np.uint8
        assert covers(sample.font, sample.text)
        if lang in ('ARA', 'BEN', 'HIN') and len(tokens) > 1:
            assert '\t' in sample.label
        if lang == 'LAT':
            assert sample.text.lower() in words


def test_arabic_label_in_reading_order():
    # Stored in reading order; the CTC converter's reversal gives the
    # left-to-right order of the image: meem (leftmost) first.
    sample = WordImageSynthesizer('ARA', words=['سلام']).draw(0)
    assert sample.label == '\ufeb3\t\ufefc\t\u0645'
    assert split_label(sample.label) == ['\u0645', '\ufefc', '\ufeb3']


@pytest.mark.parametrize('lang', ['ARA', 'BEN', 'HIN'])
def test_refuses_complex_scripts_without_raqm(monkeypatch, lang):
    monkeypatch.setattr(fonts_module.features, 'check',
                        lambda feature: False)
    with pytest.raises(RuntimeError, match='raqm.*libfribidi0'):
        WordImageSynthesizer(lang, words=['x'])
    # Scripts without complex shaping still work.
    WordImageSynthesizer('KOR', words=['한국'])


def test_face_without_the_glyphs_is_skipped():
    latin = _face('DejaVu Sans')
    hangul = _face('NanumGothic')
    assert not covers(latin, '한국') and covers(hangul, '한국')
    synth = WordImageSynthesizer(
        'KOR', words=['한국'], fonts=[latin, hangul], max_words=1)
    assert synth.covering_faces(['한국']) == [[hangul]]
    assert {synth.draw(i).font for i in range(5)} == {hangul}
    no_font = WordImageSynthesizer('KOR', words=['한국'], fonts=[latin])
    with pytest.raises(RuntimeError, match='no font covers'):
        no_font.draw(0)


def test_spaced_letters_sit_one_advance_plus_gap_apart():
    synth = WordImageSynthesizer('LAT', words=['minimum'])
    font = load_font(_face('DejaVu Sans'), 40)
    assert synth._layout('ab', font, 0.0) == [(0.0, 'ab')]
    # 'e' + COMBINING ACUTE stays one letter; each letter starts the
    # previous one's advance plus the gap further on.
    runs = synth._layout('e\u0301ab', font, 12.0)
    assert [run for _, run in runs] == ['e\u0301', 'a', 'b']
    advance_e = font.getlength('e\u0301')
    assert runs[1][0] == pytest.approx(advance_e + 12)
    assert runs[2][0] == pytest.approx(advance_e + font.getlength('a') + 24)


def test_spacing_widens_latin_and_leaves_joined_scripts_alone():
    def aspects(synth):
        shapes = [synth.draw(i).image.shape for i in range(12)]
        return np.mean([w / h for h, w, _ in shapes])

    words = ['minimum']
    plain = WordImageSynthesizer('LAT', words=words, height=(32, 32))
    spaced = WordImageSynthesizer(
        'LAT', words=words, height=(32, 32), spaced_prob=1.0)
    # Six gaps of 0.1-1.0 em widen a 7-letter word by about 3 heights.
    assert aspects(spaced) > aspects(plain) + 1.5
    for lang, word in (('ARA', 'سلام'), ('HIN', 'नमस्ते')):
        assert [WordImageSynthesizer(lang, words=[word],
                                     spaced_prob=1.0).sample(i)
                for i in range(3)] == [
                    WordImageSynthesizer(lang, words=[word]).sample(i)
                    for i in range(3)]
    with pytest.raises(ValueError, match='spaced_prob'):
        WordImageSynthesizer('LAT', words=words, spaced_prob=1.5)


def test_missing_fonts_name_the_packages(tmp_path):
    with pytest.raises(FileNotFoundError, match='fonts-noto-cjk'):
        find_fonts('KOR', font_dirs=[str(tmp_path)])


def test_lmdb_and_contact_sheet(tmp_path):
    synth = WordImageSynthesizer('JPN', words=['日本', 'テスト', 'ひらがな'])
    out = output_dir(str(tmp_path), 'training', 'JPN', synthmlt=True)
    assert out == osp.join(str(tmp_path), 'training', 'SynthMLT_JPN')
    sheet = tmp_path / 'JPN.png'
    ticks = []
    count = write_synth_lmdb(
        out,
        synth,
        5,
        sheet_path=str(sheet),
        on_sample=lambda: ticks.append(1))
    assert count == 5 and len(ticks) == 5
    expected = [synth.sample(i) for i in range(5)]
    env = lmdb.open(out, readonly=True, lock=False)
    with env.begin() as txn:
        assert txn.get(b'num-samples') == b'5'
        for i, (image, label) in enumerate(expected, start=1):
            assert txn.get(b'image-%09d' % i) == image
            assert txn.get(b'label-%09d' % i).decode() == label
        assert txn.get(b'image-000000006') is None
    env.close()
    sheet_image = cv2.imread(str(sheet))
    assert sheet_image.shape[1] == 4 * 300 and sheet_image.shape[0] == 2 * 120
    with pytest.raises(FileExistsError):
        write_synth_lmdb(out, synth, 1)
    with pytest.raises(ValueError, match='training data only'):
        output_dir(str(tmp_path), 'validation', 'JPN', synthmlt=True)


def test_command_line(tmp_path, monkeypatch):
    argv = [
        TOOL, '--out',
        str(tmp_path), '--langs', 'KOR', '--num', '3', '--split',
        'validation', '--vocab-size', '30', '--workers', '1'
    ]
    monkeypatch.setattr(sys, 'argv', argv)
    runpy.run_path(TOOL, run_name='__main__')
    env = lmdb.open(str(tmp_path / 'validation' / 'KOR'), readonly=True,
                    lock=False)
    with env.begin() as txn:
        assert txn.get(b'num-samples') == b'3'
    env.close()
    monkeypatch.setattr(sys, 'argv', argv)
    with pytest.raises(SystemExit, match='--overwrite'):
        runpy.run_path(TOOL, run_name='__main__')
    monkeypatch.setattr(sys, 'argv', argv + ['--overwrite', '--spaced-prob',
                                             '2'])
    with pytest.raises(SystemExit, match='KOR: spaced_prob must be within'):
        runpy.run_path(TOOL, run_name='__main__')
