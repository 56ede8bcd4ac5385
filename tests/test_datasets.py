"""MultilingualLMDBDataset / LangLMDBDataset on a tiny generated CLL-STR tree:
select_data grammar, caps, length filter, unknown tokens, unreadable images,
bad input, and the one image decoder shared with inference and LMIM."""
import io
import os
import os.path as osp
import pickle

import lmdb
import numpy as np
import pytest
import torch
from data_utils import make_cllstr_tree, make_lmdb, make_word_image
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from PIL import Image

from cllstr_mm.apis import load_image
from cllstr_mm.datasets import (LangLMDBDataset, MultilingualLMDBDataset,
                                folders_for_split, parse_select_data)
from cllstr_mm.datasets import multilingual_lmdb_dataset
from mmocr.registry import DATASETS, METRICS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: The recipes' pipeline, as the configs define it.
CLL_PIPELINE = Config.fromfile(
    osp.join(REPO, 'configs/textrecog/cllstr/_base_mlt19.py')).cll_pipeline

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
    kwargs.setdefault('pipeline', CLL_PIPELINE)
    return DATASETS.build(
        dict(type='MultilingualLMDBDataset', data_root=data_root, **kwargs))


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
    # A folder name is not a group: the letters K, O, R.
    ('lang_CBHJAKL-SynthMLT_KOR',
     "unknown language letter 'O' in group 'SynthMLT_KOR'.*LAT. "
     "'SynthMLT_KOR' is read letter by letter, as in the original; for the "
     "folder SynthMLT_KOR write 'SynthMLT_K'$"),
    ('lang_HINBEN', "for the folders HIN, BEN write 'lang_HB'$"),
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
    # MLT19 has no ASCII digits: S1, S2 and S3 each hold an unknown token.
    assert by_lang['LAT'] == dict(
        num_samples=3, too_long=0, capped=0, unreadable=0, kept=3,
        with_unknown=3)
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
    # '1' * 26 (digits, unknown to MLT19) is too long, so not counted.
    assert stats['HIN'] == dict(
        lang='HIN', num_samples=5, too_long=2, capped=0, unreadable=0,
        kept=3, with_unknown=0)
    # LAT2..LAT4 hold a digit each.
    assert stats['LAT'] == dict(
        lang='LAT', num_samples=5, too_long=1, capped=0, unreadable=0,
        kept=4, with_unknown=3)
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
        'unreadable', 'kept', 'with', 'UNK'
    ]
    assert table[2].split() == ['LAT', 'LAT', '5', '1', '0', '0', '4', '3']
    assert table[3].split() == ['total', '5', '1', '0', '0', '4', '3']
    assert table[4] == (
        "LAT: 3 labels hold tokens outside the dictionary (they train as "
        "[UNK] and are not scored): '2' x1, '3' x1, '4' x1")
    assert 'build_charset.py' in table[5]


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
        kept=2, with_unknown=2)


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


def test_unchecked_test_set_skips_and_counts_unreadable(data_root):
    """verify_images=False in test mode: the corrupt sample keeps its place
    in the fixed order, packed as unreadable, and the metric leaves it out
    and counts it instead of the test failing mid-way."""
    dataset = build(
        data_root,
        split='validation',
        select_data='BROKEN',
        test_mode=True,
        verify_images=False)
    assert len(dataset) == 2
    samples = [dataset[i]['data_samples'] for i in range(2)]
    assert samples[0].unreadable is True
    assert 'unreadable' not in samples[1]
    assert dataset.statistics()['BROKEN']['unreadable'] == 1
    metric = METRICS.build(dict(type='MultilingualRecogMetric'))
    for sample in samples:  # a model that reads the good one right
        sample.pred_text = sample.gt_text.clone()
    metric.process([], [s.to_dict() for s in samples])
    scores = metric.compute_metrics(metric.results)
    assert (scores['num_samples'], scores['num_unreadable'],
            scores['word_acc'], scores['BROKEN/num_unreadable']) == (1, 1,
                                                                     100., 1)

    pipeline = CLL_PIPELINE[:-1] + [
        dict(type='PackTextRecogInputs', meta_keys=('img_path', 'lang'))
    ]
    plain_pack = build(
        data_root,
        split='validation',
        select_data='BROKEN',
        test_mode=True,
        verify_images=False,
        pipeline=pipeline)
    with pytest.raises(
            RuntimeError,
            match='BROKEN/image-000000001 cannot be decoded, and the test '
            'pipeline does not pack "unreadable"'):
        plain_pack[0]


def test_folder_of_unreadable_images_fails_at_load(tmp_path):
    root = make_cllstr_tree(
        str(tmp_path), {
            'training': {
                'LAT': ['GOOD'],
                'JUNK': [(b'', 'A'), (b'GIF89a broken', 'B')],
            }
        })
    for verify in (False, True):
        with pytest.raises(
                RuntimeError,
                match='training/JUNK: none of the 2 images it would use can '
                'be read .* leave it out of select_data'):
            build(root, select_data='lang_L-JUNK', verify_images=verify)
    # A folder capped to nothing is no error.
    assert len(build(root, select_data='lang_L-JUNK',
                     data_usage=dict(JUNK=0))) == 1


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
    ('latin1_count', ValueError,
     r"LAT: key 'num-samples' holds b'\\xb2', not an integer"),
    ('negative', ValueError, "LAT: 'num-samples' is -3; the LMDB holds no"),
    ('latin1_label', ValueError,
     "LAT: key 'label-000000002' is not UTF-8 text \\(unexpected end of data "
     "at byte 3 of b'caf\\\\xe9'\\); labels must be stored as UTF-8"),
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
            'latin1_count': {b'num-samples': '²'.encode('latin-1')},
            'negative': {b'num-samples': b'-3'},
            'latin1_label': {
                b'num-samples': b'2',
                b'label-000000001': b'X',
                b'label-000000002': 'café'.encode('latin-1'),
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


# ---------------------------------------------------------------- one decoder


def _odd_images():
    """Encoded images whose pixels depend on EXIF and alpha handling."""
    stored = np.full((20, 40, 3), 255, np.uint8)
    stored[:8, :8] = (255, 0, 0)  # red block top left, as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # view rotated 90 degrees clockwise
    buf = io.BytesIO()
    Image.fromarray(stored).save(buf, format='JPEG', quality=95, exif=exif)
    rotated_jpeg = buf.getvalue()
    rgba = Image.new('RGBA', (40, 16), (0, 0, 0, 0))  # transparent black
    rgba.paste((0, 0, 0, 255), (10, 4, 20, 12))  # opaque black stroke
    buf = io.BytesIO()
    rgba.save(buf, format='PNG')
    return dict(rotated_jpeg=rotated_jpeg, rgba_png=buf.getvalue(),
                word_jpeg=make_word_image('냉면'))


def test_training_inference_and_lmim_decode_bytes_alike(tmp_path):
    images = _odd_images()
    path = str(tmp_path / 'odd')
    make_lmdb(path, [(data, 'A') for data in images.values()])
    training = LangLMDBDataset(ann_file=path, lang='LAT', test_mode=True)
    lmim = DATASETS.build(dict(type='UnlabeledLMDBDataset', ann_file=path))
    for i, (name, data) in enumerate(images.items()):
        file = tmp_path / f'{name}.img'
        file.write_bytes(data)
        inferred = load_image(str(file))
        np.testing.assert_array_equal(training[i]['img'], inferred)
        np.testing.assert_array_equal(lmim[i]['img'], inferred)
    rotated = load_image(str(tmp_path / 'rotated_jpeg.img'))
    # upright as a viewer shows it: 40 high, the red block now top right
    assert rotated.shape == (40, 20, 3)
    np.testing.assert_allclose(rotated[2, -3], (0, 0, 255), atol=40)  # BGR
    np.testing.assert_allclose(rotated[2, 2], (255, 255, 255), atol=40)
    rgba = load_image(str(tmp_path / 'rgba_png.img'))
    assert (rgba[0, 0] == 255).all() and (rgba[8, 15] == 0).all()


def test_unknown_tokens_follow_the_given_dictionary(data_root, tmp_path):
    charset = tmp_path / 'charset.txt'
    charset.write_text('L\nA\nT\n2\n', encoding='utf-8')
    stats = build(
        data_root,
        select_data='lang_L',
        dictionary=dict(type='MultilingualDictionary',
                        dict_file=str(charset))).statistics()
    # 'A' * 25, LAT2 are known; LAT3, LAT4 are not
    assert stats['LAT']['with_unknown'] == 2
    dataset = build(data_root, select_data='lang_L')
    assert dict(dataset.datasets[0].unknown_tokens) == {'2': 1, '3': 1,
                                                        '4': 1}


def test_benchmark_summary_reads_through_the_config_pipeline(data_root,
                                                            capsys):
    """tools/quickstart.sh step 1: benchmarks/data_pipeline.py --summary."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'data_pipeline', osp.join(REPO, 'benchmarks', 'data_pipeline.py'))
    data_pipeline = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(data_pipeline)
    data_pipeline.main([
        '--summary', '--data-root', data_root, '--select-data', 'lang_KL',
        '--samples', '7'
    ])
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert rows[-4:] == [
        ['lang', 'num_samples', 'too_long', 'capped', 'unreadable', 'kept',
         'with_unknown'],
        ['KOR', '3', '0', '0', '0', '3', '0'],
        ['LAT', '5', '1', '0', '0', '4', '3'],
        ['total', '8', '1', '0', '0', '7', '3'],
    ]
