"""MultilingualDictionary: class layouts, tokenisation per script, MMOCR's
CTC loss / post-processor on top of it, and the charset builder."""
import importlib.util
import os.path as osp

import lmdb
import pytest
import torch
from mmengine.structures import LabelData
from mmocr.registry import MODELS, TASK_UTILS
from mmocr.structures import TextRecogDataSample

from cllstr_mm.datasets.lmdb_writer import write_lmdb
from cllstr_mm.models.common.dictionary import (MLT19_CHARSET,
                                                MultilingualDictionary,
                                                build_charset, read_charset)

CHARSET = read_charset(MLT19_CHARSET)

# Stored labels as in the LMDBs: ARA/BEN/HIN are tab-joined grapheme
# clusters (Arabic in reading order), the others plain strings.
LABELS = {
    'ARA': 'ب\tا\tب',
    'BEN': 'বা\tদে\tলা',
    'HIN': 'क्ष\tम\tभा',
    'CHI': '中国人',
    'JPN': 'カタカナ',
    'KOR': '한국어',
    'LAT': 'Straße',
}


@pytest.fixture(scope='module')
def ctc_dict():
    return TASK_UTILS.build(dict(type='MultilingualDictionary'))


def idx(dictionary, token):
    return dictionary.char2idx(token)


def test_ctc_layout_matches_the_original(ctc_dict):
    assert len(CHARSET) == 4676
    assert ctc_dict.num_classes == 4680
    assert ctc_dict.dict[:4] == ['[CTCblank]', '[PAD]', '[UNK]', ' ']
    assert ctc_dict.dict[4:] == CHARSET
    assert (ctc_dict.padding_idx, ctc_dict.unknown_idx) == (0, 2)
    assert ctc_dict.start_idx is None and ctc_dict.end_idx is None
    # MMOCR picks pad indexes with `padding_idx or end_idx`: 0 must count.
    assert bool(ctc_dict.padding_idx)


def test_attention_layouts():
    attn = MultilingualDictionary(with_start=True, with_end=True)
    assert attn.num_classes == 4681
    assert attn.dict[:5] == ['[PAD]', '[UNK]', ' ', '[SOS]', '[EOS]']
    assert attn.dict[5:] == CHARSET
    assert (attn.padding_idx, attn.unknown_idx, attn.start_idx,
            attn.end_idx) == (0, 1, 3, 4)
    shared = MultilingualDictionary(with_start=True,
                                    with_end=True,
                                    same_start_end=True)
    assert shared.dict[:4] == ['[PAD]', '[UNK]', ' ', '[SOS/EOS]']
    assert shared.start_idx == shared.end_idx == 3
    assert shared.num_classes == 4680


def test_str2idx_per_script(ctc_dict):
    d = ctc_dict
    # Arabic: split on tabs, reversed into visual order.
    assert d.str2idx(LABELS['ARA']) == [idx(d, 'ب'), idx(d, 'ا'), idx(d, 'ب')]
    assert d.str2idx('ا\tب\tت') == [idx(d, 'ت'), idx(d, 'ب'), idx(d, 'ا')]
    # Bengali/Hindi: one index per multi-code-point cluster.
    assert d.str2idx(
        LABELS['HIN']) == [idx(d, 'क्ष'),
                           idx(d, 'म'),
                           idx(d, 'भा')]
    assert d.str2idx(
        LABELS['BEN']) == [idx(d, 'বা'),
                           idx(d, 'দে'),
                           idx(d, 'লা')]
    assert d.str2idx('क्ष') == [idx(d, 'क्ष')]  # no tab: one cluster
    # Other scripts: one index per code point, case kept.
    assert d.str2idx('中国人') == [idx(d, c) for c in '中国人']
    assert d.str2idx('Ab') != d.str2idx('ab')
    assert d.str2idx('a b') == [idx(d, 'a'), 3, idx(d, 'b')]
    assert all(i >= 4 for label in LABELS.values() for i in d.str2idx(label))


def test_unknown_tokens_stay_as_unk(ctc_dict):
    d = ctc_dict
    assert d.str2idx('a☃b') == [idx(d, 'a'), 2, idx(d, 'b')]
    assert d.str2idx('a1') == [idx(d, 'a'), 2]  # no ASCII digits
    assert d.idx2str(d.str2idx('a☃b')) == 'a[UNK]b'


@pytest.mark.parametrize('lang', sorted(LABELS))
def test_round_trip_per_script(ctc_dict, lang):
    label = LABELS[lang]
    text = ctc_dict.idx2str(ctc_dict.str2idx(label))
    # Readable text in reading order, without the tabs of stored labels.
    assert text == label.replace('\t', '')
    attn = MultilingualDictionary(with_start=True, with_end=True)
    assert attn.idx2str(attn.str2idx(label)) == text


def test_idx2str_drops_blank_and_pad(ctc_dict):
    d = ctc_dict
    a, b = idx(d, 'a'), idx(d, 'b')
    assert d.idx2str([0, a, 1, b, 0]) == 'ab'
    assert d.idx2str((3, a)) == ' a'
    with pytest.raises(IndexError, match='4680 classes'):
        d.idx2str([4680])
    with pytest.raises(TypeError, match='list or tuple'):
        d.idx2str(torch.tensor([a]))


def test_custom_charset_file(tmp_path):
    path = tmp_path / 'charset.txt'
    path.write_text('क्ष\nx\r\nب\n', encoding='utf-8')
    d = MultilingualDictionary(dict_file=str(path))
    assert d.dict == ['[CTCblank]', '[PAD]', '[UNK]', ' ', 'क्ष', 'x', 'ب']
    # Any Devanagari makes a label tab-split, Latin letters included.
    assert d.str2idx('x\tक्ष') == [5, 4]
    assert d.str2idx('xक्ष') == [2]
    assert d.str2idx('क्ष\tक्ष') == [4, 4]


def test_bad_charset_files(tmp_path):
    dup = tmp_path / 'dup.txt'
    dup.write_text('a\nक्ष\nb\nक्ष\n', encoding='utf-8')
    with pytest.raises(ValueError,
                       match=r"dup.txt, line 4: token 'क्ष'.*"
                       r'U\+0915 U\+094D U\+0937.*line 2'):
        MultilingualDictionary(dict_file=str(dup))
    empty = tmp_path / 'empty_line.txt'
    empty.write_text('a\n\nb\n', encoding='utf-8')
    with pytest.raises(ValueError, match='empty_line.txt, line 2: empty'):
        MultilingualDictionary(dict_file=str(empty))
    space = tmp_path / 'space.txt'
    space.write_text('a\n \n', encoding='utf-8')
    with pytest.raises(ValueError,
                       match=r"space.txt: tokens \[' '\] are "
                       'special'):
        MultilingualDictionary(dict_file=str(space))
    with pytest.raises(FileNotFoundError, match='missing.txt does not exist'):
        MultilingualDictionary(dict_file=str(tmp_path / 'missing.txt'))
    with pytest.raises(ValueError, match='with_padding and with_unknown'):
        MultilingualDictionary(with_unknown=False)


def make_samples(labels):
    samples = []
    for label in labels:
        sample = TextRecogDataSample(metainfo=dict(valid_ratio=1.0))
        sample.gt_text = LabelData(item=label)
        samples.append(sample)
    return samples


def test_mmocr_ctc_loss_uses_blank_zero():
    loss_module = MODELS.build(
        dict(type='CTCModuleLoss',
             dictionary=dict(type='MultilingualDictionary')))
    assert loss_module.ctc_loss.blank == 0
    labels = [LABELS[lang] for lang in ('ARA', 'HIN', 'KOR', 'LAT')]
    samples = loss_module.get_targets(make_samples(labels))
    d = loss_module.dictionary
    for sample, label in zip(samples, labels):
        assert sample.gt_text.indexes.tolist() == d.str2idx(label)
    torch.manual_seed(0)
    logits = torch.randn(4, 25, 4680, requires_grad=True)
    loss = loss_module(logits, samples)['loss_ctc']
    assert torch.isfinite(loss)
    loss.backward()
    assert torch.isfinite(logits.grad).all()
    # Same number as PyTorch's CTC loss with blank 0 on the same targets.
    targets = [torch.tensor(d.str2idx(label)) for label in labels]
    expected = torch.nn.CTCLoss(blank=0)(logits.log_softmax(2).permute(
        1, 0, 2), torch.cat(targets), torch.full(
            (4, ), 25), torch.tensor([len(t) for t in targets]))
    torch.testing.assert_close(loss, expected)


def one_hot_logits(indexes, num_classes=4680):
    logits = torch.full((len(indexes), num_classes), -10.)
    logits[torch.arange(len(indexes)), torch.tensor(indexes)] = 10.
    return logits


def test_mmocr_ctc_postprocessor_decodes():
    post = MODELS.build(
        dict(type='CTCPostProcessor',
             dictionary=dict(type='MultilingualDictionary')))
    d = post.dictionary
    a, b, unk = idx(d, 'a'), idx(d, 'b'), d.unknown_idx
    # Repeats merge, a blank separates them, [PAD] prints nothing.
    latin = [0, a, a, 0, a, b, b, 1, b, unk, 0, 0]
    # Visual order (as the image reads) -> text in reading order.
    arabic = [0, idx(d, 'ت'), idx(d, 'ت'), 0, idx(d, 'ب'), idx(d, 'ا')]
    hindi = [idx(d, 'क्ष'), 0, idx(d, 'म'), idx(d, 'म'), idx(d, 'भा')]
    seqs = [latin, arabic + [0] * 6, hindi + [0] * 7]
    probs = torch.stack([one_hot_logits(s) for s in seqs]).softmax(-1)
    samples = post(probs, make_samples(['', '', '']))
    texts = [s.pred_text.item for s in samples]
    assert texts == ['aabb[UNK]', 'ابت', 'क्षमभा']
    assert len(samples[0].pred_text.score) == 6


def load_cli():
    path = osp.join(osp.dirname(__file__), '..', 'tools', 'dataset_converters',
                    'build_charset.py')
    spec = importlib.util.spec_from_file_location('build_charset_cli', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mmocr_attention_modules():
    dictionary = dict(type='MultilingualDictionary',
                      with_start=True,
                      with_end=True)
    decoder = MODELS.build(
        dict(type='NRTRDecoder',
             n_layers=1,
             d_embedding=32,
             n_head=2,
             d_k=16,
             d_v=16,
             d_model=32,
             d_inner=32,
             max_seq_len=6,
             dictionary=dictionary,
             module_loss=dict(type='CEModuleLoss',
                              ignore_first_char=True,
                              flatten=True),
             postprocessor=dict(type='AttentionPostprocessor')))
    d = decoder.dictionary
    assert decoder.classifier.out_features == 4681
    samples = decoder.module_loss.get_targets(
        make_samples([LABELS['ARA'], LABELS['HIN']]))
    hin = [idx(d, 'क्ष'), idx(d, 'म'), idx(d, 'भा')]
    # [SOS] label [EOS], then [PAD] (0), which CEModuleLoss ignores.
    assert samples[1].gt_text.padded_indexes.tolist() == [3, *hin, 4, 0]
    assert decoder.module_loss.loss_ce.ignore_index == 0
    torch.manual_seed(0)
    out_enc = torch.randn(2, 10, 32)
    logits = decoder(None, out_enc, samples)
    assert logits.shape == (2, 6, 4681)
    loss = decoder.module_loss(logits, samples)['loss_ce'].view(2, 5)
    assert torch.isfinite(loss).all()
    assert (loss[:, :4] > 0).all() and (loss[:, 4] == 0).all()
    probs = torch.stack([
        one_hot_logits([*hin, 4, hin[0]], 4681),
        one_hot_logits([idx(d, 'ب'), 0, idx(d, 'ا'), 4, 4], 4681)
    ]).softmax(-1)
    texts = [s.pred_text.item for s in decoder.postprocessor(probs, samples)]
    assert texts == ['क्षमभा', 'اب']


def write_label_lmdb(path, labels):
    write_lmdb(str(path), ((b'not-an-image', label) for label in labels))


def test_build_charset(tmp_path):
    write_label_lmdb(tmp_path / 'hin', ['क्ष\tम', 'म\tभा', 'a b'])
    write_label_lmdb(tmp_path / 'ara', ['ب\tا\tث', 'bक्ष'])
    base = tmp_path / 'base.txt'
    base.write_text('म\nb\n', encoding='utf-8')
    tokens = build_charset([tmp_path / 'hin', tmp_path / 'ara'])
    # First-seen order; Arabic clusters reversed; space is a special class.
    assert tokens == ['क्ष', 'म', 'भा', 'a', 'b', 'ث', 'ا', 'ب', 'bक्ष']
    tokens = build_charset([tmp_path / 'hin', tmp_path / 'ara'], base=base)
    assert tokens == ['म', 'b', 'क्ष', 'भा', 'a', 'ث', 'ا', 'ب', 'bक्ष']


def test_build_charset_cli(tmp_path, capsys):
    write_label_lmdb(tmp_path / 'kor', ['한국어', '서울'])
    out = tmp_path / 'out' / 'charset.txt'
    build_charset_cli = load_cli()
    build_charset_cli.main(
        [str(tmp_path / 'kor'), '--out',
         str(out), '--base', MLT19_CHARSET])
    assert '4676 from the base' in capsys.readouterr().out
    assert read_charset(out) == CHARSET  # all already in MLT19
    write_label_lmdb(tmp_path / 'new', ['ไทย'])
    build_charset_cli.main([str(tmp_path / 'new'), '--out', str(out)])
    d = MultilingualDictionary(dict_file=str(out))
    assert d.dict[4:] == ['ไ', 'ท', 'ย']
    assert d.idx2str(d.str2idx('ไทย')) == 'ไทย'


def test_build_charset_errors(tmp_path):
    (tmp_path / 'folder').mkdir()
    with pytest.raises(FileNotFoundError, match='folder is not an LMDB'):
        build_charset([tmp_path / 'folder'])
    env = lmdb.open(str(tmp_path / 'nokey'))
    with env.begin(write=True) as txn:
        txn.put(b'label-000000001', b'a')
    env.close()
    with pytest.raises(KeyError, match="nokey: the LMDB has no 'num-samples'"):
        build_charset([tmp_path / 'nokey'])
