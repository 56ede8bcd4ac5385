"""Training data rendered on the fly: the dataset, the word and font splits,
the stream sampler and the loop that resumes without re-rendering."""
import zlib

import numpy as np
import pytest
import torch
from toy_runner import toy_runner

from cllstr_mm.datasets import SynthWordDataset
from cllstr_mm.datasets.samplers import StreamSampler
from cllstr_mm.datasets.synthesis import (HELDOUT_FONT_FAMILIES, find_fonts,
                                          split_fonts, split_words)

WORDS = {'KOR': ['한국', '서울', '학교', '사람', '시간', '문제', '경제', '사회',
                 '정부', '세계', '지역', '기업', '생각', '대통령', '아이', '이후'],
         'LAT': ['house', 'river', 'stone', 'light', 'water', 'green']}


def test_split_words_is_disjoint_and_by_hash():
    words = [f'word{i}' for i in range(500)]
    train, heldout = split_words(words, 'train'), split_words(words, 'heldout')
    assert not set(train) & set(heldout)
    assert sorted(train + heldout) == sorted(words)
    # one word in ten, decided by the word alone (hand check on CRC-32)
    assert heldout == [w for w in words if zlib.crc32(w.encode()) % 10 == 0]
    assert 30 <= len(heldout) <= 70
    assert split_words(words[:100], 'heldout') == [
        w for w in heldout if w in words[:100]]
    with pytest.raises(ValueError, match="word split 'test'"):
        split_words(words, 'test')


def test_split_fonts_holds_out_one_family():
    faces = find_fonts('LAT')
    heldout = split_fonts(faces, 'LAT', 'heldout')
    train = split_fonts(faces, 'LAT', 'train')
    assert {f.family for f in heldout} == {HELDOUT_FONT_FAMILIES['LAT']}
    assert HELDOUT_FONT_FAMILIES['LAT'] not in {f.family for f in train}
    assert len(train) + len(heldout) == len(faces)
    others = [f for f in faces if f.family != HELDOUT_FONT_FAMILIES['LAT']]
    with pytest.raises(ValueError, match="held-out family 'Liberation Serif'"):
        split_fonts(others, 'LAT', 'heldout')


def _dataset(**kwargs):
    from cllstr_mm.datasets.synthesis import words as words_module
    loaded = {}

    def load_words(lang, vocab_size=None):
        loaded[lang] = vocab_size
        return WORDS[lang]

    original = words_module.load_words
    from cllstr_mm.datasets.synthesis import render
    render.load_words = load_words
    try:
        dataset = SynthWordDataset(
            langs=('KOR', 'LAT'), length=1000, word_split='all', **kwargs)
    finally:
        render.load_words = original
    return dataset, loaded


def test_dataset_interleaves_scripts_and_is_deterministic():
    dataset, loaded = _dataset(vocab_size=dict(KOR=7))
    assert loaded == dict(KOR=7, LAT=20000)
    assert len(dataset) == 1000
    infos = [dataset.get_data_info(i) for i in range(6)]
    assert [i['lang'] for i in infos] == ['KOR', 'LAT'] * 3
    assert infos[3]['img_path'] == 'synth/training/LAT/1'
    for info in infos:
        img = info['img']
        assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
        assert 32 <= img.shape[0] <= 64
        text = info['instances'][0]['text']
        words = WORDS[info['lang']]
        assert any(text.lower().startswith(w) for w in words)
    again, _ = _dataset(vocab_size=dict(KOR=7))
    assert np.array_equal(again.get_data_info(3)['img'], infos[3]['img'])
    rgb, _ = _dataset(channel_order='rgb')
    assert np.array_equal(rgb.get_data_info(3)['img'],
                          infos[3]['img'][..., ::-1])
    with pytest.raises(IndexError, match='index 1000 out of range'):
        dataset.get_data_info(1000)
    spaced, _ = _dataset(vocab_size=dict(KOR=7), spaced_prob=1.0)
    # Every LAT crop now has its letters apart, so none is drawn the same.
    for i in (1, 3, 5):
        assert spaced.get_data_info(i)['img'].shape != infos[i]['img'].shape


def test_lang_shares_give_a_script_more_slots_without_repeats():
    plain, _ = _dataset(vocab_size=dict(KOR=7))
    shared, _ = _dataset(vocab_size=dict(KOR=7), lang_shares=dict(KOR=2))
    paths = [shared.get_data_info(i)['img_path'] for i in range(9)]
    # a cycle is KOR, LAT, KOR: KOR numbered on across its two slots
    assert paths == [f'synth/training/{p}' for p in (
        'KOR/0', 'LAT/0', 'KOR/1', 'KOR/2', 'LAT/1', 'KOR/3', 'KOR/4',
        'LAT/2', 'KOR/5')]
    # each sample is the plain stream's sample of that script and number
    assert np.array_equal(shared.get_data_info(2)['img'],
                          plain.get_data_info(2)['img'])  # KOR/1
    assert np.array_equal(shared.get_data_info(4)['img'],
                          plain.get_data_info(3)['img'])  # LAT/1
    # a script the dataset does not draw (langs narrowed by a config
    # override) changes nothing; a misspelt one or a share under 1 is refused
    other, _ = _dataset(vocab_size=dict(KOR=7), lang_shares=dict(CHI=2))
    assert other.get_data_info(3)['img_path'] == 'synth/training/LAT/1'
    with pytest.raises(ValueError, match='lang_shares='):
        _dataset(lang_shares=dict(CHN=2))
    with pytest.raises(ValueError, match='lang_shares='):
        _dataset(lang_shares=dict(KOR=0))


def test_dataset_logs_what_it_draws_from(monkeypatch):
    from cllstr_mm.datasets import synth_word_dataset
    messages = []
    monkeypatch.setattr(synth_word_dataset, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    dataset, _ = _dataset(vocab_size=dict(KOR=7))
    table = messages[-1].splitlines()
    assert table[0] == "SynthWordDataset 'training' (1,000 indices):"
    assert table[1].split() == ['lang', 'words', 'families', 'faces']
    for line, synth in zip(table[2:], dataset.synths):
        lang, words, families, faces = line.split()
        assert (lang, int(words)) == (synth.lang, len(WORDS[synth.lang]))
        assert int(families) == len({f.family for f in synth.fonts})
        assert int(faces) == len(synth.fonts) >= int(families) >= 1
    assert len(table) == 4


def test_dataset_rejects_bad_options():
    with pytest.raises(ValueError, match="langs=\\['XYZ'\\]"):
        SynthWordDataset(langs=('XYZ', ))
    with pytest.raises(ValueError, match="channel_order='hsv'"):
        SynthWordDataset(langs=('LAT', ), channel_order='hsv')
    with pytest.raises(ValueError, match='length=1 must be at least'):
        SynthWordDataset(langs=('KOR', 'LAT'), length=1)


def test_stream_sampler_starts_where_told_and_splits_ranks():
    sampler = StreamSampler(range(10))
    it = iter(sampler)
    assert [next(it) for _ in range(12)] == list(range(10)) + [0, 1]
    sampler.set_start(7)
    it = iter(sampler)
    assert [next(it) for _ in range(4)] == [7, 8, 9, 0]
    sampler.rank, sampler.world_size = 1, 2
    sampler.set_start(3)  # 3 samples per rank already drawn
    it = iter(sampler)
    assert [next(it) for _ in range(3)] == [7, 9, 1]
    with pytest.raises(ValueError, match='start must be >= 0'):
        sampler.set_start(-1)


class _Recorded(torch.utils.data.Dataset):
    """Records every index it is asked for in ``asked`` (a class attribute:
    the Runner deep-copies its dataset; num_workers=0 keeps one process)."""

    asked = []

    def __len__(self):
        return 10**6

    def __getitem__(self, idx):
        self.asked.append(idx)
        x = torch.full((2, ), float(idx % 7))
        return dict(inputs=x, targets=x.sum(0, keepdim=True))


def _runner(work_dir, max_iters, resume):
    return toy_runner(
        work_dir, _Recorded(), max_iters, resume,
        sampler=dict(type='StreamSampler'),
        loop='StreamResumeIterBasedTrainLoop', batch_size=3,
        default_scope='mmocr')


def test_resume_skips_trained_samples_without_loading_them(tmp_path):
    _Recorded.asked = []
    _runner(tmp_path, max_iters=2, resume=False).train()
    assert _Recorded.asked == list(range(6))
    _Recorded.asked = []
    runner = _runner(tmp_path, max_iters=4, resume=True)
    runner.train()
    assert runner.iter == 4
    # iterations 3 and 4 draw samples 6..11; nothing before is loaded again
    assert _Recorded.asked == list(range(6, 12))
