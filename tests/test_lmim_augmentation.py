"""LMIM fine-tuning augmentation (the original's ABINet-style transforms)
and length protocol: parameter distributions drawn many times, the share of
untouched images, no ink cut off, the pipeline as configured."""
import math
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
import torchvision.transforms as T
from mmengine.config import Config
from mmocr.registry import DATASETS, TRANSFORMS
from PIL import Image
from test_lmim_helpers import LMIM_CONFIGS, write_word_lmdb

from cllstr_mm.datasets.transforms import (ABINetColorJitter,
                                           ABINetDeterioration,
                                           ABINetGeometry)

PIPELINE = osp.join(LMIM_CONFIGS, '_base_', 'finetune_pipeline.py')


def beta_cdf(x, a, b):
    """Regularised incomplete beta for integer a, b (binomial sum)."""
    n = a + b - 1
    return sum(
        math.comb(n, j) * x**j * (1 - x)**(n - j) for j in range(a, n + 1))


def dotted_image():
    """Light 32x100 BGR image with a 6x6 ink dot 3 px from each corner."""
    img = np.full((32, 100, 3), 200, np.uint8)
    for y in (3, 23):
        for x in (3, 91):
            img[y:y + 6, x:x + 6] = 0
    return img


def ink_dots(img):
    """Number of separate dark blobs."""
    count, _ = cv2.connectedComponents((img.min(-1) < 128).astype(np.uint8))
    return count - 1


def test_geometry_draws_follow_the_original():
    geometry = ABINetGeometry()
    np.random.seed(0)
    draws = [geometry.sample_params(200, 800) for _ in range(20000)]
    applied = [d for d in draws if d is not None]
    assert len(applied) / len(draws) == pytest.approx(0.5, abs=0.015)
    kinds = [d['kind'] for d in applied]
    for kind, share in (('rotation', 0.33), ('affine', 0.33),
                        ('perspective', 0.34)):
        assert kinds.count(kind) / len(kinds) == pytest.approx(
            share, abs=0.015)
    # rotation: beta(4, 4) scaled to +-45 degrees, std 45 / 3 = 15
    angles = np.array([d['angle'] for d in applied if 'angle' in d])
    assert np.abs(angles).max() <= 45
    assert angles.mean() == pytest.approx(0, abs=0.5)
    assert angles.std() == pytest.approx(15, abs=0.4)
    # the tails of a beta(4, 4): P(|angle| > 30) = 2 * I_{1/6}(4, 4)
    assert np.mean(np.abs(angles) > 30) == pytest.approx(
        2 * beta_cdf(1 / 6, 4, 4), abs=0.01)
    affine = [d for d in applied if d['kind'] == 'affine']
    shear = np.array([d['shear'] for d in affine])
    assert shear[:, 0].std() == pytest.approx(15, abs=0.6)
    assert shear[:, 1].std() == pytest.approx(5, abs=0.2)
    assert np.abs(shear).max(0).tolist() <= [45, 15]
    scale = np.array([d['scale'] for d in affine])
    assert 0.5 <= scale.min() and scale.max() <= 2
    assert scale.mean() == pytest.approx(1.25, abs=0.02)
    # perspective: each corner moves inwards by int(beta(1, 4) * 25 %) of
    # the height / width, i.e. about 5 % on average
    offsets = np.stack([d['offsets'] for d in applied
                        if d['kind'] == 'perspective']).astype(float)
    assert offsets.min() >= 0
    assert (offsets[..., 1] / 200).mean() == pytest.approx(0.05, abs=0.004)
    assert (offsets[..., 0] / 800).mean() == pytest.approx(0.05, abs=0.002)
    assert {d['interpolation'] for d in applied} == {
        cv2.INTER_NEAREST, cv2.INTER_LINEAR, cv2.INTER_CUBIC, cv2.INTER_AREA
    }


def test_deterioration_draws_follow_the_original():
    deterioration = ABINetDeterioration()
    np.random.seed(1)
    draws = [deterioration.sample_params() for _ in range(20000)]
    applied = [d for d in draws if d is not None]
    assert len(applied) / len(draws) == pytest.approx(0.25, abs=0.01)
    blur = np.array([d['blur_size'] for d in applied])
    # kernel int(beta(1, 4) * 6) clipped to 1: no blur when beta < 1/3
    assert np.mean(blur == 1) == pytest.approx(
        beta_cdf(1 / 3, 1, 4), abs=0.015)
    assert blur.max() <= 6
    noise = np.array([d['noise_var'] for d in applied])
    assert np.mean(noise == 1) == pytest.approx(
        beta_cdf(0.1, 1, 4), abs=0.015)
    assert noise.min() >= 1 and noise.max() <= 20
    levels = np.array([d['levels'] for d in applied])
    shares = [np.mean(levels == n) for n in range(5)]
    assert shares == pytest.approx([1 / 8, 1 / 4, 1 / 4, 1 / 4, 1 / 8],
                                   abs=0.015)
    assert len({d['order'] for d in applied}) == 6


def test_geometry_never_cuts_ink_off():
    geometry = ABINetGeometry(prob=1.)
    img = dotted_image()
    assert ink_dots(img) == 4
    np.random.seed(2)
    kinds = set()
    for _ in range(400):
        params = geometry.sample_params(*img.shape[:2])
        kinds.add(params['kind'])
        out = geometry.warp(img, params)
        assert ink_dots(out) == 4, params
    assert kinds == {'rotation', 'affine', 'perspective'}
    # the check can fail: a rotation that keeps the canvas (MMOCR's
    # RandomRotate as the old pipeline used it) cuts corner dots off
    matrix = cv2.getRotationMatrix2D((50, 16), 30, 1.)
    kept = cv2.warpAffine(img, matrix, (100, 32),
                          borderMode=cv2.BORDER_REPLICATE)
    assert ink_dots(kept) < 4


def test_pipeline_share_of_untouched_images():
    cfg = Config.fromfile(PIPELINE)
    augment = [TRANSFORMS.build(t) for t in cfg.lmim_augmentation]
    img = dotted_image()
    np.random.seed(3)
    torch.manual_seed(3)
    untouched = 0
    trials = 1000
    for _ in range(trials):
        results = dict(img=img.copy(), img_shape=img.shape[:2])
        for transform in augment:
            results = transform(results)
        out = results['img']
        untouched += out.shape == img.shape and np.array_equal(out, img)
    # nothing happens with (1 - 0.5) * (1 - 0.25) * (1 - 0.25)
    assert untouched / trials == pytest.approx(0.5 * 0.75 * 0.75, abs=0.05)


def test_colour_jitter_runs_on_rgb():
    """Saturation blends with the grey level of the RGB image; a BGR image
    passed as RGB would get another grey (and another hue)."""
    jitter = ABINetColorJitter(prob=1.)
    bgr = np.zeros((8, 8, 3), np.uint8)
    bgr[..., 0] = 255  # blue
    bgr[:4, :, 2] = 120
    torch.manual_seed(4)
    ours = jitter(dict(img=bgr.copy()))['img']
    torch.manual_seed(4)
    reference = T.ColorJitter(0.5, 0.5, 0.5, 0.1)(
        Image.fromarray(np.ascontiguousarray(bgr[..., ::-1])))
    assert np.array_equal(ours, np.asarray(reference)[..., ::-1])
    torch.manual_seed(4)
    swapped = T.ColorJitter(0.5, 0.5, 0.5, 0.1)(Image.fromarray(bgr))
    assert not np.array_equal(ours, np.asarray(swapped))
    with pytest.raises(ValueError, match='3-channel'):
        jitter(dict(img=bgr[..., 0]))


def test_configured_pipeline_is_the_originals():
    cfg = Config.fromfile(PIPELINE)
    train = cfg.finetune_train_pipeline
    assert [t['type'] for t in train] == [
        'LoadImageFromNDArray', 'LoadOCRAnnotations', 'DropLongWords',
        'ABINetGeometry', 'ABINetDeterioration', 'ABINetColorJitter',
        'Resize', 'PackTextRecogInputs'
    ]
    geometry, deterioration, jitter = train[3:6]
    assert (geometry['degrees'], geometry['shear'], geometry['scale'],
            geometry['distortion'], geometry['prob']) == (45, (45, 15),
                                                          (0.5, 2.), 0.5,
                                                          0.5)
    assert (deterioration['var'], deterioration['degrees'],
            deterioration['factor'], deterioration['prob']) == (20, 6, 4,
                                                                0.25)
    assert jitter['prob'] == 0.25 and jitter['hue'] == 0.1
    assert train[2]['max_chars'] == 23
    # augmented at the crop's own size, then one resize to 32x128
    assert train[-2]['scale'] == (128, 32) and not train[-2]['keep_ratio']
    # the seven-script leaf keeps CLL-STR's own length filter
    mlt19 = Config.fromfile(
        osp.join(LMIM_CONFIGS, 'lmim-nrtr_vit-small_8xb64-10e_mlt19.py'))
    assert 'DropLongWords' not in [
        t['type'] for t in mlt19.train_dataloader.dataset.pipeline
    ]


def test_long_words_are_dropped_in_training(tmp_path):
    words = ['x' * 23, 'y' * 24, 'short']
    path = write_word_lmdb(str(tmp_path / 'words'), words)
    pipeline = [
        dict(type='LoadImageFromNDArray'),
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='DropLongWords', max_chars=23),
        dict(type='PackTextRecogInputs', meta_keys=('img_path', )),
    ]
    dataset = DATASETS.build(
        dict(type='RecogLMDBDataset', ann_file=path, pipeline=pipeline))
    np.random.seed(5)
    seen = {dataset[1]['data_samples'].gt_text.item for _ in range(20)}
    assert seen <= {'x' * 23, 'short'} and seen
    assert dataset[0]['data_samples'].gt_text.item == 'x' * 23
    keep_all = TRANSFORMS.build(dict(type='DropLongWords', max_chars=None))
    assert keep_all(dict(gt_texts=['y' * 40])) is not None
    with pytest.raises(KeyError, match='LoadOCRAnnotations'):
        keep_all(dict(img=np.zeros((2, 2, 3))))
