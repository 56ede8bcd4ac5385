"""ExclusiveScriptCTCPostProcessor: a reading that mixes Bengali and
Devanagari (or Latin and Bengali) is decoded again in the script of most
of its tokens; other mixes are left as greedy decoding reads them."""
import pytest
import torch
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

import cllstr_mm  # noqa: F401  (registers the post-processor)

# Bengali ga, aa-sign, rra, ii-sign; Devanagari rra; Latin A; Hangul gu
CHARSET = ['গ', 'া', 'ড়', 'ী', 'ड़', 'A', '구']


def post_processor(tmp_path):
    dict_file = tmp_path / 'charset.txt'
    dict_file.write_text('\n'.join(CHARSET) + '\n', encoding='utf-8')
    return MODELS.build(
        dict(type='ExclusiveScriptCTCPostProcessor',
             dictionary=dict(type='MultilingualDictionary',
                             dict_file=str(dict_file))))


def probs_of(post, columns):
    """(T, C) probabilities: per column, {token: probability}, the rest of
    the mass on the blank."""
    d = post.dictionary
    probs = torch.zeros(len(columns), d.num_classes)
    for t, column in enumerate(columns):
        for token, p in column.items():
            probs[t, d.char2idx(token)] = p
        probs[t, 0] += 1 - sum(column.values())
    return probs


def read(post, columns):
    index, score = post.get_single_prediction(probs_of(post, columns),
                                              TextRecogDataSample())
    return post.dictionary.idx2str(index), score


def test_mixed_bengali_devanagari_is_read_in_the_main_script(tmp_path):
    post = post_processor(tmp_path)
    # greedy: গা + Devanagari ड़ + ী; the column's Bengali second choice wins
    columns = [{'গ': .9}, {'া': .8}, {'ड़': .5, 'ড়': .4}, {'ী': .9}]
    text, score = read(post, columns)
    assert text == 'গাড়ী'
    assert score == pytest.approx([.9, .8, .4, .9])


def test_other_mixes_are_left_as_read(tmp_path):
    post = post_processor(tmp_path)
    for columns, want in (
            ([{'A': .9}, {'구': .8}], 'A구'),   # Latin beside Hangul
            ([{'গ': .9}, {'া': .8}], 'গা')):   # one script
        assert read(post, columns)[0] == want


def test_latin_is_kept_out_of_bengali_words_but_not_korean(tmp_path):
    """The second default group: a styled Latin word greedily read with a
    Bengali letter in it (``AগA``, Latin 2 tokens to 1) is read again
    without Bengali, the column's Latin second choice joining the A
    before it (``AA``); Latin beside Hangul stays."""
    post = post_processor(tmp_path)
    columns = [{'A': .9}, {'গ': .5, 'A': .4}, {}, {'A': .8}]
    assert read(post, columns)[0] == 'AA'
    assert read(post, [{'A': .9}, {}, {'구': .8}])[0] == 'A구'


def test_a_member_may_join_scripts_that_share_words(tmp_path):
    """``Han+Hiragana+Katakana`` is one member (Japanese writes the three in
    one word) exclusive with Hangul: a kanji inside a Korean reading goes,
    kanji beside kana stay."""
    dict_file = tmp_path / 'charset.txt'
    dict_file.write_text('\n'.join(['王', '또', '는', 'す', 'A']) + '\n',
                         encoding='utf-8')
    post = MODELS.build(
        dict(type='ExclusiveScriptCTCPostProcessor',
             exclusive_scripts=[['Hangul', 'Han+Hiragana+Katakana']],
             dictionary=dict(type='MultilingualDictionary',
                             dict_file=str(dict_file))))
    assert read(post, [{'王': .6, '또': .3}, {'는': .9}])[0] == '또는'
    for columns, want in (
            ([{'王': .9}, {'す': .8}], '王す'),   # kanji beside kana
            ([{'A': .9}, {'는': .8}], 'A는')):    # Latin is not in the group
        assert read(post, columns)[0] == want


def test_space_weight_reads_a_narrow_blank_as_a_space(tmp_path):
    """Between A and B the space has 0.1, the blank the rest (0.9): greedy
    decoding reads no space; ten times the space's 0.1 is 1.0 > 0.9. The
    space scores its probability, 0.1, not the weighted 1.0."""
    dict_file = tmp_path / 'charset.txt'
    dict_file.write_text('A\nB\n', encoding='utf-8')  # space: built in
    post = MODELS.build(
        dict(type='ExclusiveScriptCTCPostProcessor',
             dictionary=dict(type='MultilingualDictionary',
                             dict_file=str(dict_file))))
    columns = [{'A': .9}, {' ': .1}, {'B': .9}]
    assert read(post, columns)[0] == 'AB'
    post.space_weight = 10
    assert read(post, columns) == ('A B', pytest.approx([.9, .1, .9]))
