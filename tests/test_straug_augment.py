"""STRAugment: STRAug's augmentations as a seeded MMOCR transform, and the
thin-plate spline its warps use without OpenCV's contrib module."""
import numpy as np
import pytest
from PIL import Image

from mmocr.registry import TRANSFORMS
from cllstr_mm.datasets.transforms import STRAugment
from cllstr_mm.datasets.transforms.straug_augment import _straug_class
from cllstr_mm.datasets.transforms.straug_utils import (SQUARE_OPS,
                                                        STRAUG_OPS,
                                                        ThinPlateSpline)


def _crop(seed=0):
    """A 32x100 BGR crop: dark bars (letters) on a light ground."""
    rng = np.random.default_rng(seed)
    img = np.full((32, 100, 3), 220, np.uint8)
    for x in range(8, 92, 12):
        img[6:26, x:x + 5] = rng.integers(0, 60, 3)
    return img


def _results(path='synth/training/LAT/7', seed=0):
    return dict(img=_crop(seed), img_path=path)


def test_prob_zero_is_identity_and_output_keeps_shape_and_dtype():
    results = _results()
    img = results['img']
    assert STRAugment(prob=0.0, seed=0)(results)['img'] is img
    transform = STRAugment(prob=1.0, seed=0)
    changed = 0
    for i in range(30):
        out = transform(_results(f'synth/training/LAT/{i}'))['img']
        assert out.shape == (32, 100, 3) and out.dtype == np.uint8
        changed += not np.array_equal(out, _crop())
    assert changed >= 25  # a few draws (e.g. a faint grid) may round back


def test_seeded_by_sample_path():
    transform = STRAugment(prob=1.0, seed=5)
    first = transform(_results('a/1'))['img']
    assert np.array_equal(transform(_results('a/1'))['img'], first)
    assert np.array_equal(
        STRAugment(prob=1.0, seed=5)(_results('a/1'))['img'], first)
    others = [transform(_results(f'a/{i}'))['img'] for i in range(2, 6)]
    assert not all(np.array_equal(o, first) for o in others)
    assert not np.array_equal(
        STRAugment(prob=1.0, seed=6)(_results('a/1'))['img'], first)
    with pytest.raises(KeyError, match='img_path'):
        transform(dict(img=_crop()))


def test_unseeded_draws_follow_numpy_s_global_seed():
    transform = STRAugment(prob=1.0)
    np.random.seed(11)
    first = [transform(_results())['img'] for _ in range(3)]
    np.random.seed(11)
    assert all(np.array_equal(a, transform(_results())['img'])
               for a in first)


def test_every_operation_runs_at_every_magnitude():
    img = Image.fromarray(_crop())
    for name in [op for ops in STRAUG_OPS.values() for op in ops]:
        op_class = _straug_class(name)
        for mag in range(3):
            rng = np.random.default_rng(mag)
            op = op_class(rng=rng, square_side=100) \
                if name in SQUARE_OPS else op_class(rng=rng)
            out = np.asarray(op(img, mag=mag).convert('RGB'))
            assert out.shape == (32, 100, 3) and out.dtype == np.uint8, name


def test_built_from_config_and_checked():
    transform = TRANSFORMS.build(
        dict(type='STRAugment', prob=0.3, groups=['blur', 'warp']))
    assert repr(transform) == ("STRAugment(prob=0.3, max_ops=2, groups="
                               "['blur', 'warp'], seed=None)")
    with pytest.raises(ValueError, match='prob must be in'):
        STRAugment(prob=1.5)
    with pytest.raises(ValueError, match="groups=\\['snow'\\]"):
        STRAugment(groups=['snow'])
    with pytest.raises(ValueError, match='max_ops must be within 1..1'):
        STRAugment(groups=['blur'], max_ops=2)


def test_thin_plate_spline_moves_points_and_keeps_the_rest_smooth():
    tps = ThinPlateSpline()
    src = np.float32([[10, 5], [90, 5], [10, 28], [90, 28], [50, 16]])
    tps.estimateTransformation(src[None], src[None], None)
    img = _crop()
    assert np.array_equal(tps.warpImage(img), img)  # identity
    # content at src moves to dst (OpenCV's argument order in STRAug)
    dst = src + np.float32([6, 0])
    tps.estimateTransformation(dst[None], src[None], None)
    shifted = tps.warpImage(img)
    assert np.array_equal(shifted[:, 6:], img[:, :-6])
    assert (shifted[:, :6] == 0).all()  # outside the image: border 0
