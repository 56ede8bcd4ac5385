"""tools/dataset_converters/gt_to_lmdb.py and the label conversion it uses:
gt.txt -> LMDB -> dataset -> labels, with skipped images counted."""
import importlib.util
import os
import os.path as osp

import lmdb
import pytest
from data_utils import make_word_image

from cllstr_mm.datasets import (LangLMDBDataset, split_graphemes,
                                to_cllstr_label)
from bidi.algorithm import get_display

from cllstr_mm.datasets.labels import (number_in_arabic_line, reading_to_text,
                                       text_to_label)
from cllstr_mm.utils.languages import join_tokens, plain_letters, split_label

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    'gt_to_lmdb', osp.join(ROOT, 'tools', 'dataset_converters',
                           'gt_to_lmdb.py'))
gt_to_lmdb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gt_to_lmdb)

CHARSET = set(
    open(osp.join(ROOT, 'cllstr_mm', 'dicts', 'MLT19_charset.txt'),
         encoding='utf-8').read().splitlines())

# 'al-bab' typed in logical order; reshaped to presentation forms (isolated
# letters stay unshaped), kept in reading order.
ARA_TEXT = 'الباب'
ARA_LABEL = '\u0627\t\ufedf\t\ufe92\t\ufe8e\t\u0628'


@pytest.mark.parametrize('text, lang, label', [
    (ARA_TEXT, 'ARA', ARA_LABEL),
    ('মংডপ', 'BEN', 'মং\tড\tপ'),
    ('রাখিবেন', 'BEN', 'রা\tখি\tবে\tন'),
    ('मंडप', 'HIN', 'मं\tड\tप'),
    # A conjunct stays one token.
    ('क्षत्रिय', 'HIN', 'क्ष\tत्रि\tय'),
    # A cluster ending in a virama joins the next one, even a space.
    ('क् ख', 'HIN', 'क् \tख'),
    ('म', 'HIN', 'म'),
    ('CUISINE DE', 'LAT', 'CUISINE DE'),
    ('北京西', 'CHI', '北京西'),
    ('냉면은', 'KOR', '냉면은'),
])
def test_to_cllstr_label(text, lang, label):
    assert to_cllstr_label(text, lang) == label


def test_grapheme_tokens_are_in_the_charset():
    for text in (ARA_TEXT, 'রাখিবেন', 'मंडप', 'क्षत्रिय'):
        assert all(t in CHARSET for t in split_graphemes(text)), text


def test_bidi_reorder_reverses_arabic():
    assert '\t'.join(split_graphemes(ARA_TEXT, reorder=True)) == \
        '\t'.join(ARA_LABEL.split('\t')[::-1])


@pytest.mark.parametrize('written, plain', [
    # the label's presentation forms back to the letters typed
    (ARA_LABEL.replace('\t', ''), ARA_TEXT),
    # lam-alef ligature -> two letters; Arabic-Indic digits unchanged
    ('\ufefb \u0662,\u0664\u0660', '\u0644\u0627 \u0662,\u0664\u0660'),
    # full-width punctuation, kana and Latin are not Arabic: unchanged
    ('分开，洗涤（30°C）カ ﬁ', '分开，洗涤（30°C）カ ﬁ'),
])
def test_plain_letters(written, plain):
    assert plain_letters(written) == plain


@pytest.mark.parametrize('reading, text', [
    # what the model writes for a price sign: the label's presentation
    # forms, the number in the label's (reversed) order
    ('\ufeb3\ufecc\ufeae 51 \u0631\ufef3\ufe8e\u0644', 'سعر 15 ريال'),
    ('\u0669\u0664\u0662', '\u0662\u0664\u0669'),   # ٢٤٩, read ٩٤٢
    ('elgooG ﺧﺮاﺋﻂ', 'Google خرائط'),
    ('CUISINE 42', 'CUISINE 42'),   # no Arabic: as read
    # no space between Han / kana or beside a full-width mark, as typed;
    # kept between Latin and Han and between Hangul words
    ('艺术家、 先驱者， 能', '艺术家、先驱者，能'),
    ('最终 相遇 （株） 東京 タワー', '最终相遇（株）東京タワー'),
    ('Google 徽标 2024', 'Google 徽标 2024'),
    ('가전 디지털', '가전 디지털'),
    # a vowel sign or nasal mark read twice is kept once; two different
    # signs, or one beside a nasal mark, stay
    ('\u0938\u0947\u0947 \u092e\u0947\u0902\u0902',
     '\u0938\u0947 \u092e\u0947\u0902'),  # सेे मेंं -> से में
    ('\u0995\u09c7\u09c7', '\u0995\u09c7'),  # কেে -> কে
    ('\u0915\u094b\u0902 \u0938\u0947\u093e',
     '\u0915\u094b\u0902 \u0938\u0947\u093e'),  # कों सेा
    # a degree's unit in capitals, as written; a word after it unchanged
    ('9°c 50°f 3°cm', '9°C 50°F 3°cm'),
    ('18°\u2103 70°\u2109 16\u2103', '18°C 70°F 16\u2103'),
    # a word in capitals keeps its capitals where the lower case has the
    # same shape; not with another lower-case letter, under two capitals
    # or when most letters are lower case
    ('sUPER OcBc HDuSE', 'SUPER OCBC HDUSE'),
    ('DocBcBank Office Go iPhone McDONALD eBay Cs',
     'DocBcBank Office Go iPhone MCDONALD eBay Cs'),
    # a plural's final s stays; another lower-case letter is capitalised
    ('URLs GPUs FAQs sUPERs OcBcs', 'URLs GPUs FAQs SUPERs OCBCs'),
    # a zero in a Latin word whose only digits are zeros is the letter O,
    # a capital when most letters are; other digits, or a zero first, stay
    ('C0. B00k G0 200ml 0km CO2 A10', 'CO. Book GO 200ml 0km CO2 A10'),
    # Arabic's own yeh for the Persian one: alef maksura last in a word
    ('\u0639\u0644\u06cc \u0641\u06cc\u0647', 'على فيه'),
])
def test_reading_to_text(reading, text):
    assert reading_to_text(reading) == text


@pytest.mark.parametrize('text', [
    'ارتفاع ٢,٤٠', '15 دقيقة', '(128 تقييم)', 'مرحبا، 2024!', ARA_TEXT])
def test_reading_to_text_inverts_the_label(text):
    # a model that reads the label's tokens exactly gives the text back
    label = text_to_label(text, 'ARA')
    reading = join_tokens(split_label(label))
    assert reading_to_text(reading) == text
    assert text_to_label(reading_to_text(reading), 'ARA') == label


@pytest.mark.parametrize('text', [
    '12%', '10%.', '(128', '\u0661\u0662\u066a', '3.5%', '12', '(3)'])
def test_number_in_arabic_line_is_typed_as_the_line_lays_it_out(text):
    # python-bidi's layout of the number after an Arabic word (base
    # direction right to left), read left to right as the crop shows it
    shown = get_display('\u0628 ' + text, base_dir='R')[:-2]
    assert number_in_arabic_line(shown) == text


@pytest.mark.parametrize('reading', ['12%', '75%-50%', '10:24', '-5', '%',
                                     'EXIT)', '\u0628%12'])
def test_number_in_arabic_line_keeps_what_reads_alike_both_ways(reading):
    # a browser shows 12% as it is where the number stands apart from the
    # Arabic text; letters are not a number's
    assert number_in_arabic_line(reading) == reading


def _write_crops(folder, entries):
    """entries: (file name, label, bytes or None for a missing file)."""
    os.makedirs(folder, exist_ok=True)
    lines = []
    for name, label, data in entries:
        if data is not None:
            with open(osp.join(folder, name), 'wb') as f:
                f.write(data)
        lines.append(f'{name}\t{label}')
    gt = osp.join(folder, 'gt.txt')
    with open(gt, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    return gt


def _read_lmdb(path):
    env = lmdb.open(path, readonly=True, lock=False)
    with env.begin() as txn:
        items = dict(txn.cursor())
    env.close()
    return items


def _dataset_labels(path, lang):
    dataset = LangLMDBDataset(ann_file=path, lang=lang, serialize_data=False)
    return [dataset.get_data_info(i)['instances'][0]['text']
            for i in range(len(dataset))]


def test_round_trip_with_skipped_images(tmp_path, capsys):
    crops = str(tmp_path / 'crops')
    hin_img = make_word_image('मंडप', fmt='PNG')
    entries = [
        ('w1.jpg', 'मंडप', hin_img),
        ('w2.jpg', 'क्षत्रिय', make_word_image('क्षत्रिय')),
        ('gone.jpg', 'खो', None),
        ('broken.jpg', 'टूटा', b'\xff\xd8 not really a jpeg'),
        ('w3.jpg', 'घर', make_word_image('घर')),
    ]
    _write_crops(crops, entries)
    out = str(tmp_path / 'lmdb' / 'HIN')
    gt_to_lmdb.main([crops, '--out', out, '--lang', 'HIN'])
    report = capsys.readouterr().out
    assert f'{out}: wrote 3 HIN samples' in report
    assert 'skipped 1 missing images' in report and 'gone.jpg' in report
    assert 'skipped 1 unreadable images' in report and 'broken.jpg' in report

    items = _read_lmdb(out)
    assert items[b'num-samples'] == b'3'
    assert items[b'image-000000001'] == hin_img  # bytes copied unchanged
    assert len([k for k in items if k.startswith(b'image-')]) == 3
    labels = _dataset_labels(out, 'HIN')
    assert labels == ['मं\tड\tप', 'क्ष\tत्रि\tय', 'घ\tर']
    assert split_label(labels[1]) == ['क्ष', 'त्रि', 'य']


def test_round_trip_arabic_and_latin_from_gt_path(tmp_path, capsys):
    crops = str(tmp_path / 'crops')
    gt = _write_crops(crops, [
        ('a.png', ARA_TEXT, make_word_image(ARA_TEXT, fmt='PNG')),
        ('b.jpg', 'ال', make_word_image('ال')),  # isolated: unshaped
    ])
    out = str(tmp_path / 'ARA')
    gt_to_lmdb.main([gt, '--out', out, '--lang', 'ARA'])
    assert _dataset_labels(out, 'ARA') == [ARA_LABEL, '\u0627\t\u0644']
    # Tokens in visual order for the model: the stored label reversed.
    assert split_label(ARA_LABEL) == ARA_LABEL.split('\t')[::-1]

    latin = str(tmp_path / 'latin')
    _write_crops(latin, [('x.jpg', 'CAFE DE PARIS', make_word_image('CAFE'))])
    out_lat = str(tmp_path / 'LAT')
    gt_to_lmdb.main([latin, '--gt', osp.join(latin, 'gt.txt'), '--out',
                     out_lat, '--lang', 'LAT'])
    assert _dataset_labels(out_lat, 'LAT') == ['CAFE DE PARIS']


def test_too_long_labels_reported(tmp_path):
    crops = str(tmp_path / 'crops')
    gt = _write_crops(crops, [('a.jpg', 'X' * 26, make_word_image('X')),
                              ('b.jpg', 'X' * 25, make_word_image('Y'))])
    result = gt_to_lmdb.convert(crops, gt, str(tmp_path / 'out'), 'LAT',
                                progress=False)
    assert result['written'] == 2 and result['too_long'] == 1
    assert 'datasets will drop them' in gt_to_lmdb.summary(
        result, 'out', 'LAT')


def test_existing_output_needs_overwrite(tmp_path):
    crops = str(tmp_path / 'crops')
    gt = _write_crops(crops, [('a.jpg', 'ONE', make_word_image('ONE'))])
    out = str(tmp_path / 'out')
    gt_to_lmdb.convert(crops, gt, out, 'LAT', progress=False)
    with pytest.raises(FileExistsError, match='--overwrite'):
        gt_to_lmdb.convert(crops, gt, out, 'LAT', progress=False)
    _write_crops(crops, [('b.jpg', 'TWO', make_word_image('TWO'))])
    gt_to_lmdb.convert(crops, gt, out, 'LAT', overwrite=True,
                       progress=False)
    assert _dataset_labels(out, 'LAT') == ['TWO']


def test_nothing_usable_writes_nothing(tmp_path):
    crops = str(tmp_path / 'crops')
    gt = _write_crops(crops, [('gone.jpg', 'A', None),
                              ('bad.jpg', 'B', b'garbage')])
    out = str(tmp_path / 'out')
    with pytest.raises(RuntimeError,
                       match='1 missing, 1 unreadable.*was not written'):
        gt_to_lmdb.convert(crops, gt, out, 'LAT', progress=False)
    assert not osp.exists(out)


def test_bad_gt_line_and_bad_arguments(tmp_path):
    crops = tmp_path / 'crops'
    crops.mkdir()
    gt = crops / 'gt.txt'
    gt.write_text('a.jpg\tOK\nb.jpg NO TAB\n', encoding='utf-8')
    with pytest.raises(ValueError, match=r'gt.txt:2: expected "path<TAB>'):
        gt_to_lmdb.convert(str(crops), str(gt), str(tmp_path / 'o'), 'LAT')
    with pytest.raises(ValueError, match="lang='XX'"):
        gt_to_lmdb.convert(str(crops), str(gt), str(tmp_path / 'o'), 'XX')
    with pytest.raises(SystemExit, match='no_gt.txt not found'):
        gt_to_lmdb.main([str(crops), '--gt', str(crops / 'no_gt.txt'),
                         '--out', str(tmp_path / 'o'), '--lang', 'LAT'])


def test_labels_with_unknown_tokens_counted(tmp_path, capsys):
    """Thai and ASCII digits are not in the MLT19 charset."""
    crops = str(tmp_path / 'crops')
    _write_crops(crops, [
        ('a.jpg', 'ไทย', make_word_image('ไทย')),
        ('b.jpg', 'CAFE 24', make_word_image('CAFE')),
        ('c.jpg', 'CAFE', make_word_image('CAFE')),
    ])
    out = str(tmp_path / 'LAT')
    gt_to_lmdb.main([crops, '--out', out, '--lang', 'LAT'])
    report = capsys.readouterr().out
    assert ("2 labels hold tokens outside the dictionary: 'ไ' x1, 'ท' x1, "
            "'ย' x1, '2' x1, '4' x1; they train as [UNK] and are not scored. "
            'Add them with tools/dataset_converters/build_charset.py '
            f'{out} --base ') in report
    charset = tmp_path / 'charset.txt'
    charset.write_text('C\nA\nF\nE\n2\n4\n', encoding='utf-8')
    result = gt_to_lmdb.convert(crops, osp.join(crops, 'gt.txt'),
                                str(tmp_path / 'LAT2'), 'LAT',
                                progress=False, dict_file=str(charset))
    assert result['with_unknown'] == 1
    assert dict(result['unknown_tokens']) == {'ไ': 1, 'ท': 1, 'ย': 1}
