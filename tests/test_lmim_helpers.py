"""Shared helpers of the LMIM tests (no tests here): registration, tiny
models, synthetic word images and LMDBs."""
import os.path as osp
from typing import Iterable, Optional, Sequence

import cv2
import numpy as np
from mmengine.registry import init_default_scope

import cllstr_mm.datasets.transforms.guidance_view  # noqa: F401
import cllstr_mm.datasets.transforms.lmim_pack_inputs  # noqa: F401
import cllstr_mm.datasets.unlabeled_lmdb_dataset  # noqa: F401
import cllstr_mm.engine  # noqa: F401
import cllstr_mm.models.decoders.lmim_ce_module_loss  # noqa: F401
import cllstr_mm.models.encoders.vit_encoder  # noqa: F401
import cllstr_mm.models.pretrainers  # noqa: F401
from cllstr_mm.datasets.lmdb_writer import write_lmdb

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
LMIM_CONFIGS = osp.join(REPO, 'configs', 'lmim')

init_default_scope('mmocr')

#: A ViT small enough for CPU tests: 256 patches of 32 dims, 2 blocks.
TINY_VIT = dict(type='ViTEncoder', embed_dims=32, depth=2, num_heads=2)


def word_image(seed: int, height: int = 24, width: int = 80) -> np.ndarray:
    """A BGR uint8 image of dark 'strokes' on a light background."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), rng.integers(170, 255, 3),
                  dtype=np.uint8)
    for _ in range(6):
        x, y = int(rng.integers(0, width - 8)), int(rng.integers(0, 6))
        cv2.rectangle(img, (x, y), (x + 5, height - 1 - y),
                      tuple(int(c) for c in rng.integers(0, 90, 3)), -1)
    return img


def encode_png(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode('.png', img)
    assert ok
    return buf.tobytes()


def write_word_lmdb(path: str,
                    labels: Sequence[str],
                    corrupt: Iterable[int] = (),
                    sizes: Optional[Sequence[tuple]] = None) -> str:
    """An LMDB of synthetic word images; indices in ``corrupt`` hold bytes
    that are not an image."""
    corrupt = set(corrupt)
    samples = []
    for i, label in enumerate(labels):
        size = sizes[i] if sizes else (24, 80)
        data = b'not an image' if i in corrupt else encode_png(
            word_image(i, *size))
        samples.append((data, label))
    write_lmdb(path, samples)
    return path
