"""Helpers that build tiny CLL-STR data for tests (and the data benchmark).

``make_cllstr_tree(root, {'training': {'LAT': ['HELLO', ...]}})`` writes one
LMDB per folder in the CLL-STR layout; ``make_word_image(text)`` gives
encoded bytes of a small synthetic word image (no fonts needed).
"""
import io
import os.path as osp
import zlib
from typing import Dict, Iterable, Sequence, Tuple, Union

import numpy as np
from PIL import Image

from cllstr_mm.datasets import write_lmdb

#: One sample: a label (its image is made by make_word_image) or a pair of
#: encoded image bytes and label.
Sample = Union[str, Tuple[bytes, str]]


def make_word_image(text: str,
                    height: int = 32,
                    char_width: int = 12,
                    fmt: str = 'JPEG') -> bytes:
    """Encoded bytes of a word-like image: dark vertical strokes on a light
    background, one block per code point, patterned by the text.

    Args:
        text: Decides the width (``char_width`` per code point, at least one)
            and, through its CRC, the pattern; the same text gives the same
            bytes.
        height: Image height in pixels.
        char_width: Width per code point in pixels.
        fmt: PIL format name, e.g. ``'JPEG'`` or ``'PNG'``.

    Returns:
        bytes: The encoded RGB image, ``height`` x ``char_width*len(text)``.
    """
    rng = np.random.default_rng(zlib.crc32(text.encode('utf-8')))
    width = char_width * max(1, len(text))
    background = rng.integers(170, 256, size=3)
    img = np.empty((height, width, 3), dtype=np.uint8)
    img[:] = background
    for x in range(0, width, char_width):
        stroke = rng.integers(0, 90, size=3)
        x0 = x + int(rng.integers(1, max(2, char_width // 3)))
        x1 = min(x + char_width - 1, x0 + int(rng.integers(2, 5)))
        y0 = int(rng.integers(2, height // 3))
        y1 = int(rng.integers(2 * height // 3, height - 1))
        img[y0:y1, x0:x1] = stroke
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format=fmt)
    return buf.getvalue()


def make_lmdb(path: str, samples: Iterable[Sample]) -> int:
    """Write one LMDB at ``path`` (replaced if present); returns the number
    of samples."""
    pairs = ((make_word_image(s), s) if isinstance(s, str) else s
             for s in samples)
    return write_lmdb(path, pairs, overwrite=True)


def make_cllstr_tree(root: str,
                     tree: Dict[str, Dict[str, Sequence[Sample]]]) -> str:
    """Write a CLL-STR data tree ``root/<split>/<folder>`` of LMDBs.

    Args:
        root: The ``data_root`` to create.
        tree: ``{split: {folder: samples}}``, e.g.
            ``{'training': {'LAT': ['CUISINE', (jpeg_bytes, 'EXIT')]},
            'validation': {'LAT': ['OPEN']}}``.

    Returns:
        str: ``root``.
    """
    for split, folders in tree.items():
        for folder, samples in folders.items():
            make_lmdb(osp.join(root, split, folder), samples)
    return root
