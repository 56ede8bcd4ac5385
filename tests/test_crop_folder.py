"""Crop folders with a gt.txt (demo/, data/real_dev, data/render2_eval):
the reader, the validation data set and its errors."""
import os.path as osp

import numpy as np
import pytest
from data_utils import make_word_image
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS
from PIL import Image

from cllstr_mm.datasets import read_crop_folder
from cllstr_mm.datasets.crop_folder_dataset import crop_lang
from cllstr_mm.datasets.labels import to_cllstr_label
from cllstr_mm.utils.languages import split_label

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def write_folder(folder, lines, images=('KOR_1.png', 'HIN.jpg')):
    for name in images:
        with open(osp.join(folder, name), 'wb') as f:
            f.write(make_word_image(name, fmt='PNG'))
    with open(osp.join(folder, 'gt.txt'), 'w', encoding='utf-8') as f:
        f.write(''.join(line + '\n' for line in lines))
    return str(folder)


@pytest.mark.parametrize('name,lang', [
    ('KOR_paddle_003.jpg', 'KOR'), ('ARA.jpg', 'ARA'), ('LAT_1.png', 'LAT'),
    ('kor_1.jpg', ''), ('word_1.jpg', ''), ('KOREAN_1.jpg', '')])
def test_crop_lang_is_the_name_before_the_first_underscore(name, lang):
    assert crop_lang(name) == lang


def test_reads_lines_in_order(tmp_path):
    folder = write_folder(tmp_path, ['KOR_1.png\t서울 56Km', '', 'HIN.jpg\tमौसम'])
    crops = read_crop_folder(folder)
    assert [(osp.basename(c.path), c.lang, c.text) for c in crops] == [
        ('KOR_1.png', 'KOR', '서울 56Km'), ('HIN.jpg', 'HIN', 'मौसम')]


@pytest.mark.parametrize('line,message', [
    ('KOR_1.png 서울', 'expected NAME<TAB>text'),
    ('word_1.png\t서울', 'starting with its script'),
    ('KOR_1.png\t', 'expected NAME<TAB>text'),
    ('KOR_9.png\t서울', 'KOR_9.png does not exist'),
])
def test_bad_lines_name_the_file_and_line(tmp_path, line, message):
    folder = write_folder(tmp_path, ['HIN.jpg\tमौसम', line])
    with pytest.raises(ValueError, match=message) as error:
        read_crop_folder(folder)
    assert 'gt.txt, line 2' in str(error.value)


def test_duplicate_and_missing_gt(tmp_path):
    folder = write_folder(tmp_path, ['HIN.jpg\ta', 'HIN.jpg\tb'])
    with pytest.raises(ValueError, match='listed twice'):
        read_crop_folder(folder)
    with pytest.raises(FileNotFoundError, match='needs a gt.txt'):
        read_crop_folder(str(tmp_path / 'nowhere'))


def test_dataset_gives_label_form_lang_and_subset(tmp_path):
    init_default_scope('mmocr')
    folder = write_folder(tmp_path, ['KOR_1.png\t서울', 'HIN.jpg\tमौसम',
                                     'HIN_2.png\t10:26'],
                          images=('KOR_1.png', 'HIN.jpg', 'HIN_2.png'))
    pipeline = [
        dict(type='LoadImageFromNDArray'),
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='Resize', scale=(100, 32), keep_ratio=False),
        dict(type='PackMultilingualTextRecogInputs',
             meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
    ]
    dataset = DATASETS.build(
        dict(type='CropFolderDataset', folder=folder, subset='real',
             pipeline=pipeline))
    assert len(dataset) == 3
    packed = dataset[1]
    sample = packed['data_samples']
    assert packed['inputs'].shape == (3, 32, 100)
    assert sample.gt_text.item == to_cllstr_label('मौसम', 'HIN')
    assert '\t' in sample.gt_text.item  # grapheme clusters
    assert sample.lang == 'HIN' and sample.subset == 'real'
    # the decoded pixels are the file's, in BGR
    image = np.asarray(Image.open(osp.join(folder, 'HIN.jpg')).convert('RGB'))
    assert sample.ori_shape == image.shape[:2]
    # a time in a Hindi folder has no cluster to join: stored plain, as
    # split_label reads it and the generator stores its numbers (joined by
    # tabs, each tab would be a token no model writes)
    assert dataset[2]['data_samples'].gt_text.item == '10:26'
    assert split_label(dataset[2]['data_samples'].gt_text.item) == list(
        '10:26')


def test_the_demo_folder_reads():
    crops = read_crop_folder(osp.join(REPO, 'demo'))
    assert sorted(c.lang for c in crops) == sorted(
        ['ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT'])
