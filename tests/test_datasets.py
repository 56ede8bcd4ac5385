"""MultilingualLMDBDataset / LangLMDBDataset on a tiny generated CLL-STR tree:
select_data grammar, caps, length filter, unreadable images, bad input."""
import io
import os
import pickle

import lmdb
import numpy as np
import pytest
import torch
from data_utils import make_cllstr_tree, make_lmdb, make_word_image
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from PIL import Image

from cllstr_mm.datasets import (LangLMDBDataset, MultilingualLMDBDataset,
                                folders_for_split, parse_select_data)
from cllstr_mm.datasets import multilingual_lmdb_dataset
from mmocr.registry import DATASETS

CLL_PIPELINE = [
    dict(type='LoadImageFromNDArray'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='Resize',
        scale=(100, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio',
                   'lang'))
]

HIN_49 = '\t'.join(['क'] * 25)  # 25 tokens + 24 tabs = 49 code points
HIN_50 = '\t'.join(['क'] * 24 + ['कि'])  # 50 code points
TRAINING = {
    'ARA': ['\u0628\t\ufe8e\t\ufe92\t\ufedf\t\u0627', '\u0644\t\u0627'],
    'BEN': ['রা\tখি\tবে\tন'],
    'CHI': ['北京西', '上海'],
    # Too long: HIN_50, and 26 digits (no Devanagari, so the 25 limit).
    'HIN': ['मं\tड\tप', HIN_50, HIN_49, '1' * 26, 'क्ष\tत्रि\tय'],
    'JPN': ['くすり'],
    'KOR': ['냉면은', '서울', '부산'],
    'LAT': ['A' * 26, 'A' * 25, 'LAT2', 'LAT3', 'LAT4'],
    'SynthMLT_KOR': ['가', '나', '다', '라'],
    'SynthMLT_LAT': ['S1', 'S2', 'S3'],
    'MyWords': ['마이', '워드'],
    'BROKEN': ['OK1', (b'not an image', 'BAD'), 'OK2'],
}
KEPT_TRAINING = {
    'ARA': TRAINING['ARA'],
    'BEN': TRAINING['BEN'],
    'CHI': TRAINING['CHI'],
    'HIN': ['मं\tड\tप', HIN_49, 'क्ष\tत्रि\tय'],
    'JPN': TRAINING['JPN'],
    'KOR': TRAINING['KOR'],
    'LAT': ['A' * 25, 'LAT2', 'LAT3', 'LAT4'],
}
SEVEN = ('ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT')


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    init_default_scope('mmocr')
    root = str(tmp_path_factory.mktemp('cllstr_data'))
    return make_cllstr_tree(
        root, {
            'training': TRAINING,
            'validation': {
                **{lang: [f'v{lang}'] for lang in SEVEN},
                'BROKEN': [(b'junk', 'BAD'), 'GOOD'],
            },
            'evaluation': {lang: [f'e{lang}'] for lang in SEVEN},
        })


def build(data_root, **kwargs):
    return DATASETS.build(
        dict(
            type='MultilingualLMDBDataset',
            data_root=data_root,
            pipeline=CLL_PIPELINE,
            **kwargs))


def labels_by_folder(dataset):
    out = {}
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        folder = os.path.basename(os.path.dirname(info['img_path']))
        out.setdefault(folder, []).append(info['instances'][0]['text'])
    return out


# ---------------------------------------------------------------- grammar


@pytest.mark.parametrize('select_data, folders', [
    ('lang_L', ['LAT']),
    ('lang_CBHJAKL', ['CHI', 'BEN', 'HIN', 'JPN', 'ARA', 'KOR', 'LAT']),
    ('lang_CBHJAKL-SynthMLT_K',
     ['CHI', 'BEN', 'HIN', 'JPN', 'ARA', 'KOR', 'LAT', 'SynthMLT_KOR']),
    ('SynthMLT_AL', ['SynthMLT_ARA', 'SynthMLT_LAT']),
    ('MyWords', ['MyWords']),
    ('lang_LK-lang_K-MyWords', ['LAT', 'KOR', 'MyWords']),
])
def test_parse_select_data(select_data, folders):
    assert parse_select_data(select_data) == folders


def test_folders_for_split_maps_synthmlt_outside_training():
    folders = ['KOR', 'SynthMLT_KOR', 'SynthMLT_HIN', 'MyWords']
    assert folders_for_split(folders, 'training') == folders
    for split in ('validation', 'evaluation'):
        assert folders_for_split(folders, split) == ['KOR', 'HIN', 'MyWords']


@pytest.mark.parametrize('select_data, message', [
    ('lang_LQ', "unknown language letter 'Q' in group 'lang_LQ'; valid "
     'letters: A=ARA, B=BEN, C=CHI, H=HIN, J=JPN, K=KOR, L=LAT'),
    ('SynthMLT_x', "unknown language letter 'x'"),
    ('lang_', "group 'lang_' names no language"),
    ('lang_L--lang_K', 'has an empty group'),
])
def test_select_data_errors(select_data, message):
    with pytest.raises(ValueError, match=message):
        parse_select_data(select_data)


# ---------------------------------------------------------------- reading


def test_reads_seven_languages(data_root):
    dataset = build(data_root)
    assert isinstance(dataset, MultilingualLMDBDataset)
    assert dataset.folders == ['CHI', 'BEN', 'HIN', 'JPN', 'ARA', 'KOR', 'LAT']
    assert len(dataset) == sum(len(v) for v in KEPT_TRAINING.values())
    assert labels_by_folder(dataset) == KEPT_TRAINING
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        assert info['img_path'].endswith(f'/{info["lang"]}/{info["img_key"]}')
        sample = dataset[i]
        assert sample['inputs'].shape == (3, 32, 100)
        assert sample['inputs'].dtype == torch.uint8
        meta = sample['data_samples']
        assert meta.lang == info['lang']
        assert meta.img_path == info['img_path']
        assert meta.gt_text.item == info['instances'][0]['text']
        assert meta.img_shape == (32, 100)
        label = info['instances'][0]['text']
        assert meta.ori_shape == (32, 12 * len(label))


def test_pixels_match_original_resize(data_root):
    """PIL decode + PIL bicubic resize to 100x32, as the original; BGR by
    default (MMOCR's loading convention), RGB on request."""
    img_bytes = make_word_image('냉면은')
    rgb = np.array(
        Image.open(io.BytesIO(img_bytes)).convert('RGB').resize(
            (100, 32), Image.BICUBIC))
    for channel_order, expected in (('bgr', rgb[..., ::-1]), ('rgb', rgb)):
        dataset = build(
            data_root, select_data='lang_K', channel_order=channel_order)
        got = dataset[0]['inputs'].permute(1, 2, 0).numpy()
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="channel_order='RGB'"):
        build(data_root, select_data='lang_K', channel_order='RGB')


def test_synthmlt_and_literal_folders(data_root):
    dataset = build(
        data_root,
        select_data='lang_K-SynthMLT_KL-MyWords',
        folder_langs=dict(MyWords='KOR'))
    langs = {dataset.get_data_info(i)['img_path'].split('/')[-2]:
             dataset.get_data_info(i)['lang'] for i in range(len(dataset))}
    assert langs == dict(
        KOR='KOR', SynthMLT_KOR='KOR', SynthMLT_LAT='LAT', MyWords='KOR')
    by_lang = dataset.statistics(by='lang')
    assert list(by_lang) == ['KOR', 'LAT']
    assert by_lang['KOR']['kept'] == 3 + 4 + 2
    assert by_lang['LAT'] == dict(
        num_samples=3, too_long=0, capped=0, unreadable=0, kept=3)
    # Without an override a literal folder is its own language.
    plain = build(data_root, select_data='MyWords')
    assert plain.get_data_info(0)['lang'] == 'MyWords'


def test_validation_uses_trained_languages(data_root):
    dataset = build(
        data_root,
        split='validation',
        select_data='lang_L-SynthMLT_KH',
        test_mode=True)
    assert dataset.folders == ['LAT', 'KOR', 'HIN']
    assert [dataset[i]['data_samples'].gt_text.item
            for i in range(3)] == ['vLAT', 'vKOR', 'vHIN']


def test_evaluation_all_seven(data_root):
    dataset = build(data_root, split='evaluation', test_mode=True)
    assert sorted(dataset.get_data_info(i)['lang']
                  for i in range(len(dataset))) == sorted(SEVEN)


def test_lang_lmdb_dataset_alone(data_root):
    dataset = DATASETS.build(
        dict(
            type='LangLMDBDataset',
            data_root=data_root,
            ann_file='training/KOR',
            lang='KOR',
            pipeline=CLL_PIPELINE))
    assert isinstance(dataset, LangLMDBDataset)
    assert [dataset[i]['data_samples'].gt_text.item
            for i in range(3)] == TRAINING['KOR']


# ---------------------------------------------------------------- filter/cap


def test_length_filter_exact_counts(data_root):
    stats = build(data_root).statistics()
    assert stats['HIN'] == dict(
        lang='HIN', num_samples=5, too_long=2, capped=0, unreadable=0,
        kept=3)
    assert stats['LAT'] == dict(
        lang='LAT', num_samples=5, too_long=1, capped=0, unreadable=0,
        kept=4)
    assert sum(s['too_long'] for s in stats.values()) == 3


def test_caps_after_length_filter(data_root):
    dataset = build(
        data_root,
        select_data='lang_KL-SynthMLT_KL',
        data_usage=dict(LAT=2, SynthMLT=1, KOR=1))
    assert labels_by_folder(dataset) == {
        'KOR': ['냉면은'],
        'LAT': ['A' * 25, 'LAT2'],  # the first 2 left after the filter
        'SynthMLT_KOR': ['가'],
        'SynthMLT_LAT': ['S1'],
    }
    stats = dataset.statistics()
    assert (stats['LAT']['too_long'], stats['LAT']['capped'],
            stats['LAT']['kept']) == (1, 2, 2)
    assert (stats['SynthMLT_KOR']['capped'],
            stats['SynthMLT_LAT']['capped']) == (3, 2)


def test_folder_cap_wins_over_synthmlt_cap_and_all(data_root):
    dataset = build(
        data_root,
        select_data='SynthMLT_KL-lang_H',
        data_usage=dict(SynthMLT=1, SynthMLT_KOR=3, HIN='all'))
    assert {k: len(v) for k, v in labels_by_folder(dataset).items()} == dict(
        SynthMLT_KOR=3, SynthMLT_LAT=1, HIN=3)


def test_cap_larger_than_data_and_zero(data_root):
    dataset = build(
        data_root, select_data='lang_KL', data_usage=dict(LAT=100, KOR=0))
    assert {k: len(v) for k, v in labels_by_folder(dataset).items()} == dict(
        LAT=4)
    assert dataset.statistics()['KOR']['capped'] == 3


def test_unused_cap_warns(data_root, monkeypatch):
    messages = []
    monkeypatch.setattr(multilingual_lmdb_dataset, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    build(data_root, select_data='lang_L', data_usage=dict(SynthMLT=5, XX=1))
    assert "data_usage keys ['SynthMLT', 'XX'] match none" in messages[0]
    table = messages[1].splitlines()
    assert table[1].split() == [
        'folder', 'lang', 'in', 'LMDB', 'too', 'long', 'capped',
        'unreadable', 'kept'
    ]
    assert table[2].split() == ['LAT', 'LAT', '5', '1', '0', '0', '4']
    assert table[3].split() == ['total', '5', '1', '0', '0', '4']


def test_bad_data_usage_value(data_root):
    with pytest.raises(ValueError, match=r"data_usage\['LAT'\]=-1"):
        build(data_root, select_data='lang_L', data_usage=dict(LAT=-1))


# ---------------------------------------------------------------- unreadable


def test_unreadable_image_skipped_and_counted_lazily(data_root):
    dataset = build(data_root, select_data='BROKEN')
    assert len(dataset) == 3  # not decoded at load time
    assert dataset.statistics()['BROKEN']['unreadable'] == 0
    texts = [dataset[i]['data_samples'].gt_text.item for i in range(3)]
    assert 'BAD' not in texts and set(texts) <= {'OK1', 'OK2'}
    texts = [dataset[1]['data_samples'].gt_text.item for _ in range(3)]
    assert 'BAD' not in texts
    assert dataset.statistics()['BROKEN'] == dict(
        lang='BROKEN', num_samples=3, too_long=0, capped=0, unreadable=1,
        kept=2)


def test_unreadable_counted_from_dataloader_workers(data_root):
    dataset = build(data_root, select_data='BROKEN')
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=1, num_workers=2, collate_fn=pseudo_collate)
    texts = [b['data_samples'][0].gt_text.item for b in loader]
    assert len(texts) == 3 and 'BAD' not in texts
    assert dataset.statistics()['BROKEN']['unreadable'] == 1


def test_verify_images_drops_unreadable_at_load(data_root):
    dataset = build(data_root, select_data='BROKEN', verify_images=True)
    assert len(dataset) == 2
    assert dataset.statistics()['BROKEN']['unreadable'] == 1


def test_test_mode_verifies_by_default(data_root):
    dataset = build(
        data_root, split='validation', select_data='BROKEN', test_mode=True)
    assert len(dataset) == 1
    assert dataset[0]['data_samples'].gt_text.item == 'GOOD'
    assert dataset.statistics()['BROKEN']['unreadable'] == 1
    unchecked = build(
        data_root,
        split='validation',
        select_data='BROKEN',
        test_mode=True,
        verify_images=False)
    with pytest.raises(RuntimeError,
                       match='BROKEN/image-000000001 cannot be decoded and '
                       'a test set cannot skip'):
        unchecked[0]


def test_pickle_round_trip(data_root):
    dataset = build(data_root, select_data='lang_K')
    dataset[0]  # opens the LMDB in this process
    copy = pickle.loads(pickle.dumps(dataset))
    assert copy[2]['data_samples'].gt_text.item == '부산'


def test_lazy_init(data_root):
    dataset = build(data_root, select_data='lang_L', lazy_init=True)
    assert not dataset._fully_initialized
    assert len(dataset) == 4


# ---------------------------------------------------------------- bad input


def _raw_lmdb(path, items):
    env = lmdb.open(path, map_size=1 << 20)
    with env.begin(write=True) as txn:
        for key, value in items.items():
            txn.put(key, value)
    env.close()


def test_missing_folder_lists_existing(data_root):
    with pytest.raises(FileNotFoundError) as err:
        build(data_root, select_data='lang_L-SynthMLT_A')
    message = str(err.value)
    assert 'training/SynthMLT_ARA not found' in message
    assert "select_data='lang_L-SynthMLT_A'" in message
    assert 'ARA, BEN, BROKEN, CHI, HIN, JPN, KOR, LAT, MyWords, ' \
        'SynthMLT_KOR, SynthMLT_LAT' in message


def test_missing_split_and_bad_split(tmp_path):
    with pytest.raises(FileNotFoundError,
                       match='training not found: data_root should hold'):
        build(str(tmp_path))
    with pytest.raises(ValueError, match="split='train'; use one of"):
        build(str(tmp_path), split='train')


def test_unknown_letter_in_dataset(data_root):
    with pytest.raises(ValueError, match='valid letters: A=ARA'):
        build(data_root, select_data='lang_X')


@pytest.mark.parametrize('setup, error, message', [
    ('empty', FileNotFoundError, 'LAT is not an LMDB: it has no data.mdb'),
    ('not_lmdb', ValueError, 'LAT is not a readable LMDB'),
    ('no_count', KeyError, "LAT: the LMDB has no 'num-samples' key"),
    ('bad_count', ValueError,
     "LAT: key 'num-samples' holds b'ten', not an integer"),
    ('zero', ValueError, "LAT: 'num-samples' is 0; the LMDB holds no"),
    ('no_label', KeyError,
     "LAT: key 'label-000000002' is missing but 'num-samples' says 2"),
])
def test_bad_lmdb_names_path_and_key(tmp_path, setup, error, message):
    folder = tmp_path / 'training' / 'LAT'
    folder.mkdir(parents=True)
    image = make_word_image('X')
    if setup == 'not_lmdb':
        (folder / 'data.mdb').write_bytes(b'this is not an lmdb file' * 400)
    elif setup != 'empty':
        items = {
            'no_count': {b'label-000000001': b'X'},
            'bad_count': {b'num-samples': b'ten'},
            'zero': {b'num-samples': b'0'},
            'no_label': {
                b'num-samples': b'2',
                b'label-000000001': b'X',
                b'image-000000001': image
            },
        }[setup]
        _raw_lmdb(str(folder), items)
    with pytest.raises(error, match=message) as err:
        build(str(tmp_path), select_data='lang_L')
    assert str(folder) in str(err.value)


def test_statistics_by_unknown(data_root):
    with pytest.raises(ValueError, match="by='x'; use 'folder' or 'lang'"):
        build(data_root, select_data='lang_L').statistics(by='x')


def test_make_lmdb_helper_round_trip(tmp_path):
    path = str(tmp_path / 'one')
    assert make_lmdb(path, ['AB', (make_word_image('C', fmt='PNG'), 'C')]) == 2
    dataset = LangLMDBDataset(ann_file=path, lang='LAT')
    assert [dataset.get_data_info(i)['instances'][0]['text']
            for i in range(2)] == ['AB', 'C']
