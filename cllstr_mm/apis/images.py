"""Images for the inference tools: which files a path names, and how they
are decoded."""
import os
import os.path as osp
from typing import List

import numpy as np

from cllstr_mm.datasets.image_decoder import ImageReadError, read_image_file

#: File name endings taken as images when a folder is given.
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.gif', '.tif', '.tiff',
                    '.webp')


def list_images(path: str) -> List[str]:
    """The image files ``path`` names: itself, or the files of a folder
    whose names end in :data:`IMAGE_EXTENSIONS` (not recursive, sorted).

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: ``path`` is a folder without images.
    """
    if osp.isdir(path):
        images = sorted(
            osp.join(path, name) for name in os.listdir(path)
            if name.lower().endswith(IMAGE_EXTENSIONS)
            and osp.isfile(osp.join(path, name)))
        if not images:
            raise ValueError(
                f'no images in folder {path!r}: expected files ending in '
                f'{", ".join(IMAGE_EXTENSIONS)}')
        return images
    if osp.isfile(path):
        return [path]
    raise FileNotFoundError(f'no such image file or folder: {path!r}')


def load_image(path: str) -> np.ndarray:
    """Decode an image file as MMOCR's loaders return it: BGR uint8
    (H, W, 3), with the decoder of the training data
    (:func:`~cllstr_mm.datasets.image_decoder.read_image_file`).

    Raises:
        ImageReadError: The file is missing, empty, truncated or not an
            image; the message names the file.
    """
    return read_image_file(path, 'bgr')
