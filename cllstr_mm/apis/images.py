"""Images for the inference tools: which files a path names, and how they
are decoded."""
import os
import os.path as osp
from typing import List

import numpy as np
from PIL import Image, ImageOps

#: File name endings taken as images when a folder is given.
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.gif', '.tif', '.tiff',
                    '.webp')


class ImageReadError(OSError):
    """An input file that is not a decodable image."""


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
    (H, W, 3).

    Decoded with PIL, as the training data is. Grayscale, palette and CMYK
    images become RGB; the EXIF orientation is applied, so photos are read
    upright as viewers show them; transparent pixels are laid over white
    (dropping the alpha channel instead would show whatever colour they
    store, often black, hiding dark text).

    Raises:
        ImageReadError: The file is missing, empty, truncated or not an
            image; the message names the file.
    """
    try:
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode in ('RGBA', 'LA', 'PA') or (
                    image.mode == 'P' and 'transparency' in image.info):
                rgba = image.convert('RGBA')
                image = Image.new('RGB', rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel('A'))
            rgb = np.asarray(image.convert('RGB'))
    # PIL reports broken data with many exception types (OSError,
    # ValueError, SyntaxError, DecompressionBombError, ...).
    except Exception as error:
        raise ImageReadError(f'cannot read image {path!r}: {error}') from None
    return np.ascontiguousarray(rgb[..., ::-1])
