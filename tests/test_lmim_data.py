"""Unlabelled LMDB dataset, guidance view, packing and multi-view
preprocessing of the LMIM port."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import DATASETS, MODELS, TRANSFORMS
from test_lmim_helpers import LMIM_CONFIGS, word_image, write_word_lmdb

from cllstr_mm.datasets import unlabeled_lmdb_dataset


def test_unlabeled_dataset_reads_images_and_skips_corrupt(tmp_path,
                                                         monkeypatch):
    path = write_word_lmdb(
        str(tmp_path / 'lmdb'), ['a', 'bc', 'd', 'ef'], corrupt=[2])
    dataset = DATASETS.build(dict(type='UnlabeledLMDBDataset', ann_file=path))
    assert len(dataset) == 4
    info = dataset.get_data_info(3)
    assert info['img_key'] == 'image-000000004'
    item = dataset.prepare_data(1)
    assert item['img'].shape == (24, 80, 3) and item['img'].dtype == np.uint8
    assert np.array_equal(item['img'], word_image(1))
    logged = []
    monkeypatch.setattr(unlabeled_lmdb_dataset, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    assert dataset.prepare_data(2) is None
    assert dataset.prepare_data(2) is None
    assert len(logged) == 1 and 'image-000000003' in logged[0]
    # training draws another sample instead of the corrupt one
    assert dataset[2]['sample_idx'] != 2

    first_two = DATASETS.build(
        dict(type='UnlabeledLMDBDataset', ann_file=path, indices=2))
    assert len(first_two) == 2
    picked = DATASETS.build(
        dict(type='UnlabeledLMDBDataset', ann_file=path, indices=[3, 0]))
    assert picked.get_data_info(0)['sample_idx'] == 3
    with pytest.raises(IndexError, match='out of range'):
        DATASETS.build(
            dict(type='UnlabeledLMDBDataset', ann_file=path, indices=[9]))
    with pytest.raises(FileNotFoundError, match='no data.mdb'):
        DATASETS.build(
            dict(type='UnlabeledLMDBDataset',
                 ann_file=str(tmp_path / 'missing')))


def test_guidance_view_makes_a_second_view():
    np.random.seed(0)
    torch.manual_seed(0)
    transform = TRANSFORMS.build(dict(type='GuidanceView'))
    img = word_image(0, 30, 90)
    results = transform(dict(img=img.copy()))
    assert np.array_equal(results['img'], img)
    view = results['guidance_img']
    assert view.shape == (32, 128, 3) and view.dtype == np.uint8
    # tiny crops survive too
    small = transform(dict(img=word_image(1, 6, 12)))['guidance_img']
    assert small.shape == (32, 128, 3)
    with pytest.raises(ValueError, match='min_ops'):
        TRANSFORMS.build(dict(type='GuidanceView', min_ops=4, max_ops=3))
    with pytest.raises(ValueError, match='3-channel'):
        transform(dict(img=img[..., 0]))


def test_guidance_view_applies_between_min_and_max_ops(monkeypatch):
    transform = TRANSFORMS.build(
        dict(type='GuidanceView', min_ops=3, max_ops=3, jitter_prob=0.,
             gray_prob=0.))
    applied = []
    for name, op in transform.ops.items():
        monkeypatch.setattr(
            op, 'augment_image',
            lambda image, name=name: applied.append(name) or image)
    np.random.seed(3)
    img = word_image(2, 32, 128)
    out = transform(dict(img=img))['guidance_img']
    assert len(applied) == 3 and len(set(applied)) == 3
    # with the ops stubbed out, only the (identity) resize remains
    assert np.array_equal(out, img)


def test_pack_and_multiview_preprocessor_normalise_each_view():
    pack = TRANSFORMS.build(dict(type='PackMultiViewInputs'))
    img = np.zeros((32, 128, 3), np.uint8)
    img[..., 0] = 255  # blue in BGR
    guide = np.full((32, 128, 3), 127, np.uint8)
    packed = pack(dict(img=img, guidance_img=guide, img_path='x'))
    assert packed['inputs'].shape == (2, 3, 32, 128)
    assert packed['data_samples'].img_path == 'x'
    preprocessor = MODELS.build(dict(type='MultiViewDataPreprocessor'))
    out = preprocessor(
        dict(inputs=[packed['inputs']] * 3,
             data_samples=[packed['data_samples']] * 3))
    inputs = out['inputs']
    assert inputs.shape == (3, 2, 3, 32, 128)
    # RGB order, (x - 127.5) / 127.5
    assert torch.allclose(inputs[:, 0, 2], torch.ones(3, 32, 128))
    assert torch.allclose(inputs[:, 0, 0], -torch.ones(3, 32, 128))
    assert torch.allclose(inputs[:, 1], torch.full((3, 3, 32, 128),
                                                   -0.5 / 127.5))
    with pytest.raises(KeyError, match='guidance_img'):
        pack(dict(img=img))
    with pytest.raises(ValueError, match='shapes'):
        pack(dict(img=img, guidance_img=guide[:16]))
    with pytest.raises(ValueError, match='common shape'):
        preprocessor(dict(inputs=[packed['inputs'], packed['inputs'][:1]]))


def force_all(transforms):
    """The pipeline with every random augmentation made certain."""
    for cfg in transforms:
        if 'prob' in cfg:
            cfg['prob'] = 1.
    return transforms


def test_config_pipelines_run_on_lmdb_samples(tmp_path):
    cfg = Config.fromfile(
        osp.join(LMIM_CONFIGS, '_base_', 'finetune_pipeline.py'))
    path = write_word_lmdb(str(tmp_path / 'words'), ['Hello', 'LMIM'],
                           sizes=[(40, 150), (12, 30)])
    train = DATASETS.build(
        dict(type='RecogLMDBDataset', ann_file=path,
             pipeline=force_all(cfg.finetune_train_pipeline)))
    test = DATASETS.build(
        dict(type='RecogLMDBDataset', ann_file=path, test_mode=True,
             pipeline=cfg.finetune_test_pipeline))
    for dataset in (train, test):
        for i in range(2):
            item = dataset[i]
            assert item['inputs'].shape == (3, 32, 128)
            assert item['data_samples'].gt_text.item in ('Hello', 'LMIM')

    pre = Config.fromfile(
        osp.join(LMIM_CONFIGS, '_base_', 'lmim_pretrain_pipeline.py'))
    for pipeline, views in ((pre.lmim_train_pipeline, 2),
                            (pre.mae_train_pipeline, 1)):
        dataset = DATASETS.build(
            dict(type='UnlabeledLMDBDataset', ann_file=path,
                 pipeline=pipeline))
        item = dataset[1]
        assert item['inputs'].shape == (views, 3, 32, 128)
        assert item['inputs'].dtype == torch.uint8
