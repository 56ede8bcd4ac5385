"""The release stream's options: number strings, punctuation, spaces, rare
classes, and that the released streams draw what they drew before."""
import os.path as osp

import numpy as np
import pytest
import regex
from tool_utils import load_tool

from cllstr_mm.datasets.synthesis import WordImageSynthesizer, find_fonts
from cllstr_mm.datasets.synthesis.numbers import (DIGIT_SYSTEMS, address_text,
                                                  number_text, punctuate)
from cllstr_mm.datasets.synthesis.rare import (RareClassSampler, class_script,
                                               water_fill)
from cllstr_mm.datasets.labels import text_to_label
from cllstr_mm.models.common.dictionary import read_charset
from cllstr_mm.utils.languages import LANGUAGES, split_label

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
RELEASE2 = read_charset(osp.join(REPO, 'cllstr_mm', 'dicts',
                                 'release2_charset.txt'))
KOR_WORDS = ['한국', '서울', '학교', '사람']
LAT_WORDS = ['house', 'water', 'street', 'open', 'cafe', 'city']


def _rng(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize('lang', LANGUAGES)
def test_number_strings_are_deterministic_and_writable(lang):
    rng, again = _rng(3), _rng(3)
    texts = [number_text(rng, lang) for _ in range(300)]
    assert texts == [number_text(again, lang) for _ in range(300)]
    assert len(set(texts)) > 250
    charset = set(RELEASE2) | {' '}
    digits = ''.join(system for system, _ in DIGIT_SYSTEMS.get(
        lang, (('0123456789', 1), )))
    for text in texts:
        assert any(c in digits for c in text), text
        tokens = split_label(text_to_label(text, lang))
        assert set(tokens) <= charset, (text, set(tokens) - charset)
    # the script's own digits appear where it has them
    if lang in DIGIT_SYSTEMS:
        assert any(c in DIGIT_SYSTEMS[lang][1][0] for t in texts for c in t)


def test_number_strings_look_like_what_signs_show():
    texts = {lang: [number_text(_rng(1), lang) for _ in range(1)] +
             [number_text(r, lang) for r in [_rng(2)] for _ in range(400)]
             for lang in ('HIN', 'KOR', 'CHI', 'LAT', 'BEN')}
    patterns = {
        'HIN': r'(₹ ?|रु\.)[0-9०-९][0-9०-९,. ]*',
        'KOR': r'[0-9][0-9,. ]*(층|원|만원|호)',
        'CHI': r'[0-9][0-9,. ]*(元|元起|起|楼)',
        'LAT': r'[0-9]{1,2}:[0-9]{2}',
        'BEN': r'[০-৯][০-৯,. ]* টাকা',
    }
    for lang, pattern in patterns.items():
        assert any(regex.fullmatch(pattern, t) for t in texts[lang]), lang
    dates = [t for t in texts['KOR'] if regex.fullmatch(
        r'[0-9]{4}년 [0-9]{1,2}월 [0-9]{1,2}일', t)]
    assert dates


def test_punctuation_around_words():
    rng = _rng(0)
    for _ in range(50):
        text = punctuate(rng, ['东京', '大学'], 'CHI', '')
        assert '东京' in text and text != '东京大学'
    # a mark between two words: full width and no space in Chinese, as
    # people type it, one space after it in Latin text
    clauses = {punctuate(rng, ['东京', '大学'], 'CHI', '') for _ in range(60)}
    assert {'东京，大学', '东京、大学'} <= clauses
    assert not any(' ' in t for t in clauses)
    clauses = {punctuate(rng, ['Paris', 'Rome'], 'LAT', ' ')
               for _ in range(100)}
    assert {'Paris, Rome', 'Paris; Rome'} <= clauses
    # right-to-left text mirrors brackets: ARA gets trailing marks only
    for _ in range(20):
        text = punctuate(rng, ['سلام'], 'ARA', ' ')
        assert text.startswith('سلام') and text[-1] in '،؛؟!.:'


def test_addresses_are_web_and_mail_addresses_of_the_words():
    rng = _rng(4)
    texts = [address_text(rng, LAT_WORDS) for _ in range(400)]
    assert texts == [address_text(r, LAT_WORDS) for r in [_rng(4)]
                     for _ in range(400)]
    web = r'(https?://)?([a-z]+[.-])*[a-z0-9]+\.[a-z]+(\.[a-z]+)?(/[a-z]+)?'
    mail = r'[a-z0-9.]+@[a-z]+\.[a-z]+(\.[a-z]+)?'
    for text in texts:
        lower = text.lower()
        assert regex.fullmatch(web, lower) or regex.fullmatch(mail, lower), \
            text
        assert any(word in lower for word in LAT_WORDS), text
    assert any(t.startswith('www.') for t in texts)
    assert any('@' in t for t in texts)
    assert any(t.startswith('WWW.') or (t.isupper() and '.' in t)
               for t in texts)  # signs print them in capitals too
    charset = set(RELEASE2)
    assert set(''.join(texts)) <= charset


def test_addresses_in_latin_samples_only():
    latin = WordImageSynthesizer('LAT', words=LAT_WORDS + ['Café'],
                                 address_prob=0.5, height=(32, 32))
    labels = [latin.label(i) for i in range(60)]
    addresses = [t for t in labels if '.' in t or '@' in t]
    assert 15 < len(addresses) < 45
    assert not any('Café' in t or 'café' in t for t in addresses)
    korean = WordImageSynthesizer('KOR', words=KOR_WORDS, address_prob=0.5,
                                  height=(32, 32))
    assert not any('.' in korean.label(i) for i in range(30))
    with pytest.raises(ValueError, match='address_prob'):
        WordImageSynthesizer('LAT', words=LAT_WORDS, number_prob=0.6,
                             address_prob=0.6)


def test_class_scripts():
    assert [class_script(t) for t in ('中', 'の', '한', 'ক্ষ', 'क्ष', 'ﺳ',
                                      'é', '5', '₹', '。', '٣', '১')] == [
        'CHI', 'JPN', 'KOR', 'BEN', 'HIN', 'ARA', 'LAT', 'LAT', 'LAT',
        'CHI', 'ARA', 'BEN']


def test_water_fill_raises_the_least_classes_first():
    expected = np.array([0.0, 0.5, 2.0, 0.1])
    q = water_fill(expected, 0.5)
    assert q.sum() == pytest.approx(1) and q[2] == 0
    mixed = 0.5 * expected + 0.5 * q
    assert mixed[[0, 1, 3]] == pytest.approx([mixed[0]] * 3)
    with pytest.raises(ValueError, match='share'):
        water_fill(expected, 0)


def test_rare_sampler_draws_unseen_classes():
    sampler = RareClassSampler('LAT', ['ab', 'ab', 'ac'],
                               ['a', 'b', 'c', 'd', '中'], share=0.5)
    assert sampler.classes == ['a', 'b', 'c', 'd']
    probs = dict(zip(sampler.classes, sampler.probs))
    assert probs['d'] > probs['c'] > probs['b'] and probs['a'] == 0
    texts = [sampler.draw(_rng(i)) for i in range(40)]
    assert any('d' in t and t != 'd' for t in texts)  # beside a word
    assert 'ac' in texts


def test_rare_draws_leave_fewer_classes_unseen():
    classes = [t for t in RELEASE2 if class_script(t) == 'LAT'
               and t.isalpha()]
    # one family that has every Latin letter: fewer faces to check glyphs
    fonts = [f for f in find_fonts('LAT') if f.family == 'DejaVu Sans']

    def unseen(rare_prob):
        synth = WordImageSynthesizer('LAT', words=LAT_WORDS, fonts=fonts,
                                     charset=classes, rare_prob=rare_prob)
        seen = set()
        for i in range(300):
            seen.update(split_label(synth.label(i)))
        return len(set(classes) - seen)

    without, rare = unseen(0.0), unseen(0.6)
    assert rare < without - 50, (rare, without)


def test_labels_without_rendering_match_the_samples():
    synth = WordImageSynthesizer(
        'KOR', words=KOR_WORDS, charset=RELEASE2, number_prob=0.3,
        rare_prob=0.2, space_prob=0.3, punct_prob=0.3, height=(32, 32))
    for i in range(12):
        sample = synth.draw(i)
        assert synth.label(i) == sample.label
    labels = [synth.label(i) for i in range(200)]
    assert any(' ' in label for label in labels)
    assert any(regex.search(r'[0-9]', label) for label in labels)
    assert any(regex.search(r'[^\p{Hangul}\d\s]', label) for label in labels)


def test_default_stream_draws_what_it_drew_before():
    # Recorded before the release options existed: with them left at 0 the
    # word draws are the same (labels come from the first random numbers,
    # so fonts do not change them).
    synth = WordImageSynthesizer('KOR', words=KOR_WORDS, seed=7,
                                 stream='test')
    assert [synth.label(i) for i in range(6)] == [
        '학교사람', '서울서울', '사람사람', '사람', '서울사람', '서울한국']
    zeros = WordImageSynthesizer(
        'KOR', words=KOR_WORDS, seed=7, stream='test', number_prob=0,
        rare_prob=0, space_prob=0, punct_prob=0)
    assert zeros.sample(2) == synth.sample(2)


def test_bad_options_are_named():
    with pytest.raises(ValueError, match='rare_prob needs the charset'):
        WordImageSynthesizer('KOR', words=KOR_WORDS, rare_prob=0.1)
    with pytest.raises(ValueError, match='number_prob must be within'):
        WordImageSynthesizer('KOR', words=KOR_WORDS, number_prob=1.5)
    with pytest.raises(ValueError, match='number_prob \\+ rare_prob'):
        WordImageSynthesizer('KOR', words=KOR_WORDS, charset=RELEASE2,
                             number_prob=0.6, rare_prob=0.6)


def test_dataset_options_and_unseen_classes_report(capsys):
    from cllstr_mm.datasets import SynthWordDataset
    dataset = SynthWordDataset(
        langs=('KOR', ), length=100, vocab_size=60, dict_file=osp.join(
            REPO, 'cllstr_mm', 'dicts', 'release2_charset.txt'),
        number_prob=0.5)
    counts = dataset.token_counts(40)
    assert sum(counts[d] for d in '0123456789') > 20
    tool = load_tool('tools/analysis_tools/stream_classes.py')
    config = osp.join(REPO, 'configs', 'textrecog', 'cllstr',
                      'svtr-tiny_1xb64-stream_synth7-release2.py')
    tool.main([config, '--num', '30', '--cfg-options',
               'train_dataloader.dataset.langs=[KOR]',
               'train_dataloader.dataset.vocab_size=60'])
    out = capsys.readouterr().out
    assert 'of 11571 classes never seen in 30 samples' in out
    assert 'KOR: ' in out and 'CHI: ' in out
