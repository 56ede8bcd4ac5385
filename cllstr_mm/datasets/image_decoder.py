"""The one image decoder of the project.

Training, evaluation, inference (:func:`cllstr_mm.apis.load_image`) and LMIM
pretraining all turn encoded bytes into pixels with :func:`decode_image`
(files with :func:`read_image_file`), so a model sees an image the same way
whichever path it comes by.
"""
import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

CHANNEL_ORDERS = ('bgr', 'rgb')
_EXIF_ORIENTATION = 0x0112


class ImageReadError(OSError):
    """Bytes or a file that are not a decodable image."""


def decode_image(img_bytes: bytes, channel_order: str = 'bgr') -> np.ndarray:
    """Decode encoded image bytes (JPEG, PNG, ...) with PIL.

    The image is read as a viewer shows it (EXIF orientation applied,
    transparent pixels laid over white), which for the original's word crops
    (RGB JPEGs without an orientation tag or alpha) is exactly its PIL
    ``convert('RGB')``. Grayscale, palette and CMYK images become 3-channel.

    Args:
        img_bytes: The encoded image.
        channel_order: ``'bgr'`` (MMOCR's loading convention; the data
            preprocessor's ``bgr_to_rgb`` gives the model RGB) or ``'rgb'``.

    Returns:
        np.ndarray: ``[H, W, 3]`` uint8, C-contiguous.

    Raises:
        ImageReadError: The bytes are empty, truncated or not an image, or
            the image has no pixels; the message gives PIL's reason.
        ValueError: Unknown ``channel_order``.
    """
    if channel_order not in CHANNEL_ORDERS:
        raise ValueError(
            f"channel_order={channel_order!r}; use 'bgr' or 'rgb'")
    if not img_bytes:
        raise ImageReadError('no image data (empty bytes)')
    try:
        with Image.open(io.BytesIO(img_bytes)) as image:
            # exif_transpose copies the image even when there is nothing to
            # turn; word crops rarely carry an orientation tag.
            if image.getexif().get(_EXIF_ORIENTATION, 1) != 1:
                image = ImageOps.exif_transpose(image)
            if image.mode in ('RGBA', 'LA', 'PA') or (
                    image.mode == 'P' and 'transparency' in image.info):
                rgba = image.convert('RGBA')
                image = Image.new('RGB', rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel('A'))
            rgb = np.asarray(
                image if image.mode == 'RGB' else image.convert('RGB'))
    except UnidentifiedImageError:
        raise ImageReadError(
            f'not an image: PIL knows no image format starting with '
            f'{img_bytes[:16]!r}') from None
    # PIL reports broken data with many exception types (OSError,
    # ValueError, SyntaxError, DecompressionBombError, ...).
    except Exception as error:
        raise ImageReadError(f'{type(error).__name__}: {error}') from None
    if not rgb.size:
        raise ImageReadError(f'the image has no pixels ({rgb.shape})')
    if channel_order == 'bgr':
        rgb = rgb[..., ::-1]
    return np.ascontiguousarray(rgb)


def read_image_file(path: str, channel_order: str = 'bgr') -> np.ndarray:
    """Decode an image file with :func:`decode_image`.

    Raises:
        ImageReadError: The file is missing, empty, truncated or not an
            image; the message names the file.
    """
    try:
        with open(path, 'rb') as f:
            img_bytes = f.read()
        return decode_image(img_bytes, channel_order)
    # ImageReadError is an OSError too: both get the file's name.
    except OSError as error:
        raise ImageReadError(f'cannot read image {path!r}: {error}') \
            from None
