"""The release charset: coverage shares, the builder, the committed file,
the label form of numbers, and growing a classifier to it."""
import os.path as osp

import pytest
import torch
from bidi.algorithm import get_display
from tool_utils import load_tool

from cllstr_mm.datasets.labels import to_cllstr_label
from cllstr_mm.datasets.synthesis.coverage import (DIGITS, KANA,
                                                   LATIN_LETTERS, PUNCTUATION,
                                                   coverage, release_charset,
                                                   standard_lists, tokenise,
                                                   word_frequencies)
from cllstr_mm.datasets.labels import text_to_label
from cllstr_mm.models.common.dictionary import (MLT19_CHARSET,
                                                MultilingualDictionary,
                                                read_charset)
from cllstr_mm.utils.languages import split_label

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
RELEASE2 = osp.join(REPO, 'cllstr_mm', 'dicts', 'release2_charset.txt')
CONFIG = osp.join(REPO, 'configs', 'textrecog', 'cllstr',
                  'svtr-tiny_1xb64-stream_synth7-release2.py')
RELEASE1 = osp.join(REPO, 'checkpoints',
                    'svtr-tiny_1xb64-stream_synth7_fp16.pth')


def test_coverage_shares_by_hand():
    words = tokenise([('ab', 0.5), ('aé', 0.3), ('00', 0.2)], 'LAT')
    assert [tokens for tokens, _ in words] == [['a', 'b'], ['a', 'é'],
                                               ['0', '0']]
    result = coverage(words, {'a', 'b'})
    assert result.words == pytest.approx(1 / 3)
    # tokens 0.5*2 + 0.3*2 + 0.2*2 = 2.0, written 0.5*2 + 0.3*1 = 1.3
    assert result.text == pytest.approx(0.65)
    assert result.missing == pytest.approx({'é': 0.15, '0': 0.2})
    assert coverage(words, {'a', 'b', 'é', '0'}) == (1.0, 1.0, {})


def test_word_tokens_are_the_stream_labels():
    # letter + nukta as people type it -> MLT19's precomposed letter; a
    # number in a grapheme script is stored plain (tabs would be tokens)
    (hin, _), (number, _) = tokenise([('पढ़ा', 1.0), ('00', 1.0)], 'HIN')
    assert hin == ['प', '\u095d\u093e'] and number == ['0', '0']
    assert text_to_label('100', 'BEN') == '100'
    assert split_label(text_to_label('১২৩ টাকা', 'BEN')) == [
        '১', '২', '৩', ' ', 'টা', 'কা']


@pytest.mark.parametrize('text', ['سعر ١٢٫٥ ريال', 'كم 56', '٥٠٪',
                                  'السعر 250 ريال'])
def test_arabic_numbers_in_image_order(text):
    # the model's targets (split_label) follow the bidi algorithm's visual
    # order, digits left to right as raqm draws them
    from cllstr_mm.datasets.labels import split_graphemes
    label = text_to_label(text, 'ARA')
    visual = get_display(''.join(split_graphemes(text)), base_dir='R')
    assert ''.join(split_label(label)) == visual


def test_arabic_words_keep_their_labels():
    for word in ('سلام', 'مرحبا بكم'):
        assert text_to_label(word, 'ARA') == to_cllstr_label(word, 'ARA')


def test_word_frequencies_rank_and_scale():
    words = word_frequencies('KOR', 50)
    assert len(words) == 50
    freqs = [freq for _, freq in words]
    assert freqs == sorted(freqs, reverse=True) and 0 < sum(freqs) < 1
    with pytest.raises(KeyError, match='unknown language'):
        word_frequencies('THA')


def test_builder_keeps_the_base_and_reaches_the_target():
    lines = []
    tokens = release_charset(['가', 'a'], top_n=300, target=0.9,
                             langs=('KOR', ), with_standard_lists=False,
                             log=lines.append)
    assert tokens[:2] == ['가', 'a'] and len(set(tokens)) == len(tokens)
    assert set(DIGITS + PUNCTUATION + KANA + 'ïá') <= set(tokens)
    words = tokenise(word_frequencies('KOR', 300), 'KOR')
    assert coverage(words, tokens).text >= 0.9
    assert lines[-1].startswith('KOR letters of wordfreq text')


def test_standard_lists_have_their_sizes():
    sizes = {lang: len(chars) for lang, chars in standard_lists().items()}
    assert sizes == dict(CHI=3755, JPN=2965, KOR=2350)


def test_release_charset_file():
    mlt19 = read_charset(MLT19_CHARSET)
    tokens = read_charset(RELEASE2)  # raises on a duplicate
    assert tokens[:len(mlt19)] == mlt19
    assert set(DIGITS + PUNCTUATION + LATIN_LETTERS + KANA) <= set(tokens)
    old = MultilingualDictionary()
    new = MultilingualDictionary(dict_file=RELEASE2)
    assert new.dict[:old.num_classes] == old.dict
    # what release 1 read, release 2 encodes to the same classes
    for label in ('中国人', 'ب\tا\tب', 'Straße'):
        assert new.str2idx(label) == old.str2idx(label)
    # MLT19 has Arabic-Indic, Bengali and Devanagari digits, no ASCII ones
    for label in ('₹250 3층', '१\t०\t%', '١\t٢\t٪', 'ব\t।'):
        assert new.unknown_idx not in new.str2idx(label)
        assert old.unknown_idx in old.str2idx(label)


def test_release_charset_writes_995_percent_of_frequent_text():
    for lang in ('BEN', 'CHI', 'HIN', 'JPN', 'KOR'):  # LAT: 100 %
        words = tokenise(word_frequencies(lang, 3000), lang)
        assert coverage(words, read_charset(RELEASE2)).text >= 0.995, lang


def test_coverage_and_release_commands(tmp_path, capsys):
    cli = load_tool('tools/dataset_converters/build_charset.py')
    cli.main(['--coverage', MLT19_CHARSET, RELEASE2, '--langs', 'KOR',
              '--top-n', '200'])
    rows = [line for line in capsys.readouterr().out.splitlines()
            if line.startswith('| KOR')]
    assert len(rows) == 2 and 'release2_charset.txt' in rows[1]
    out = tmp_path / 'charset.txt'
    cli.main(['--release', '--langs', 'KOR', '--top-n', '100', '--out',
              str(out)])
    assert read_charset(out)[:4676] == read_charset(MLT19_CHARSET)
    with pytest.raises(SystemExit):
        cli.main(['--coverage', str(tmp_path / 'missing.txt')])
    with pytest.raises(SystemExit):
        cli.main(['--release'])  # no --out


def test_grow_copies_rows_by_token():
    grow = load_tool(
        'tools/model_converters/grow_classifier.py').grow_classifier
    old = ['[CTCblank]', '[PAD]', '[UNK]', ' ', 'a', 'b']
    new = ['[CTCblank]', '[PAD]', '[UNK]', ' ', 'b', 'x', 'a', 'y']
    weight = torch.arange(12, dtype=torch.float16).reshape(6, 2)
    bias = torch.tensor([5, 4, 3, 2, 1, -1], dtype=torch.float16)
    other = torch.ones(3)
    grown = grow({'decoder.classifier.weight': weight,
                  'decoder.classifier.bias': bias, 'encoder.w': other},
                 old, new)
    w, b = grown['decoder.classifier.weight'], grown[
        'decoder.classifier.bias']
    assert w.shape == (8, 2) and w.dtype == torch.float16
    for token in old:
        assert torch.equal(w[new.index(token)], weight[old.index(token)])
        assert b[new.index(token)] == bias[old.index(token)]
    # new classes start below every old token, near the old tokens' mean
    assert b[5] == b[7] == -1
    assert torch.allclose(w[[5, 7]].float(), weight[4:].float().mean(0),
                          atol=0.5)
    assert grown['encoder.w'] is other
    with pytest.raises(ValueError, match="not in the new one"):
        grow({'decoder.classifier.weight': weight,
              'decoder.classifier.bias': bias}, old, new[:5])
    with pytest.raises(ValueError, match='has 6 rows'):
        grow({'decoder.classifier.weight': weight,
              'decoder.classifier.bias': bias}, old[:5], new)


def test_grow_release1_to_the_release2_config(tmp_path):
    tool = load_tool('tools/model_converters/grow_classifier.py')
    out = tmp_path / 'grown.pth'
    # --config checks that the output fits the config's model exactly
    tool.main([RELEASE1, str(out), '--new-dict', RELEASE2, '--config',
               CONFIG])
    state = torch.load(out, weights_only=True)['state_dict']
    source = torch.load(RELEASE1, weights_only=True)['state_dict']
    weight = state['decoder.classifier.weight']
    assert weight.shape[0] == MultilingualDictionary(
        dict_file=RELEASE2).num_classes
    assert torch.equal(weight[:4680], source['decoder.classifier.weight'])
    with pytest.raises(SystemExit, match='has 4680 rows'):
        tool.main([RELEASE1, str(out), '--new-dict', RELEASE2, '--old-dict',
                   RELEASE2])


def test_position_embedding_widens_to_a_larger_input():
    resize = load_tool('tools/model_converters/grow_classifier.py'
                       ).resize_position_embedding
    # A 2x3 token grid of 2 channels: channel 0 constant, channel 1 a
    # constant per row. Widening keeps both (bicubic interpolation of a
    # constant is that constant), and the other tensors are kept as they are.
    grid = torch.zeros(1, 2, 3, 2)
    grid[..., 0] = 0.5
    grid[0, 1, :, 1] = 1.0
    other = torch.ones(3)
    state = {'encoder.absolute_pos_embed': grid.reshape(1, 6, 2).half(),
             'decoder.x': other}
    wide = resize(state, (2, 5))
    embed = wide['encoder.absolute_pos_embed']
    assert embed.shape == (1, 10, 2) and embed.dtype == torch.float16
    embed = embed.float().reshape(2, 5, 2)
    assert torch.allclose(embed[..., 0], torch.full((2, 5), 0.5))
    assert torch.allclose(embed[0, :, 1], torch.zeros(5), atol=1e-3)
    assert torch.allclose(embed[1, :, 1], torch.ones(5), atol=1e-3)
    assert wide['decoder.x'] is other
    same = resize(state, (2, 3))['encoder.absolute_pos_embed']
    assert torch.allclose(same.float(), grid.reshape(1, 6, 2), atol=1e-3)
    with pytest.raises(ValueError, match='not \\(1, 4 \\* w, C\\)'):
        resize(state, (4, 5))
    with pytest.raises(KeyError, match='no encoder.absolute_pos_embed'):
        resize({'decoder.x': other}, (2, 5))
