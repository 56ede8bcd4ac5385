"""Photographs as backgrounds of synthetic words: patches of the wallpaper
photos that Debian's desktop packages install (GPL-2+, see
``/usr/share/doc/<package>/copyright``). Nothing of them is copied into
this repository; each worker reads the files once (:func:`load_wallpaper`).
"""
import functools
import glob
from typing import List, Sequence, Tuple

import cv2
import numpy as np

from cllstr_mm.datasets.image_decoder import read_image_file

#: Debian packages and the photographs of theirs used (their other
#: wallpapers are drawings or abstract art): MATE's nature photos and
#: Plasma's photos, one size of each.
WALLPAPER_SOURCES: Tuple[Tuple[str, str], ...] = (
    ('mate-backgrounds', '/usr/share/backgrounds/mate/nature/*.jpg'),
) + tuple(('plasma-workspace-wallpapers',
           f'/usr/share/wallpapers/{name}/contents/images/{size}.jpg')
          for name, size in (('BytheWater', '1920x1080'),
                             ('ColdRipple', '1920x1080'),
                             ('ColorfulCups', '2560x1600'),
                             ('EveningGlow', '1920x1080'),
                             ('FallenLeaf', '1920x1080'),
                             ('Grey', '1920x1080'),
                             ('Kite', '1920x1080'),
                             ('OneStandsOut', '1920x1080'),
                             ('Path', '1920x1080'),
                             ('summer_1am', '1920x1080')))
#: Photographs are kept at this height (px): the 22 of the two packages
#: take about 35 MB per worker; a crop's patch spans 0.5-2x its own size.
WALLPAPER_HEIGHT = 540


def find_wallpapers(
        sources: Sequence[Tuple[str, str]] = WALLPAPER_SOURCES) -> List[str]:
    """The photograph files of ``sources`` ((package, glob) pairs) that
    exist, sorted.

    Raises:
        FileNotFoundError: None exists; the message names the Debian
            packages to install.
    """
    files = sorted({f for _, pattern in sources for f in glob.glob(pattern)})
    if not files:
        packages = ' '.join(dict.fromkeys(p for p, _ in sources))
        raise FileNotFoundError(
            'photo backgrounds (style photo_bg) need wallpaper photographs, '
            f'but none of {[g for _, g in sources]} exists; install the '
            f'Debian packages: apt-get install {packages}')
    return files


@functools.lru_cache(maxsize=None)
def load_wallpaper(path: str) -> np.ndarray:
    """The photograph at ``path`` as RGB uint8, scaled to
    :data:`WALLPAPER_HEIGHT` rows (read once per process)."""
    image = read_image_file(path, 'rgb')
    h, w = image.shape[:2]
    return cv2.resize(image, (max(1, round(w * WALLPAPER_HEIGHT / h)),
                              WALLPAPER_HEIGHT),
                      interpolation=cv2.INTER_AREA)


def photo_patch(rng: np.random.Generator, paths: Sequence[str], h: int,
                w: int) -> np.ndarray:
    """A random patch of one of the photographs ``paths``, of shape
    (h, w, 3) float32 0-255: 0.5-2 photo pixels per crop pixel (fewer when
    the crop is wider than the photo), mirrored half the time, blurred a
    third of the time (the text in focus, the scene not)."""
    photo = load_wallpaper(paths[int(rng.integers(len(paths)))])
    ph, pw = photo.shape[:2]
    scale = min(rng.uniform(0.5, 2.0), ph / h, pw / w)
    sh, sw = max(1, int(h * scale)), max(1, int(w * scale))
    y, x = int(rng.integers(ph - sh + 1)), int(rng.integers(pw - sw + 1))
    patch = photo[y:y + sh, x:x + sw]
    if rng.random() < 0.5:
        patch = patch[:, ::-1]
    patch = cv2.resize(
        np.ascontiguousarray(patch), (w, h),
        interpolation=cv2.INTER_AREA if scale > 1 else cv2.INTER_LINEAR)
    patch = patch.astype(np.float32)
    if rng.random() < 1 / 3:
        patch = cv2.GaussianBlur(patch, (0, 0), rng.uniform(0.5, 2.0))
    return patch


def calm_under_text(patch: np.ndarray, near_text: np.ndarray,
                    band: float) -> Tuple[np.ndarray, np.ndarray]:
    """Scale the patch's contrast about its mean colour near the text so
    that 95 % of the pixels ``near_text`` (bool (h, w)) stay within
    ``band`` (0-1) of that mean's luma: text of a colour that contrasts
    with the mean then stands out from all that is behind it.

    Returns:
        (patch, mean colour near the text (3,)).
    """
    mean = patch[near_text].mean(axis=0)
    luma = (patch - mean) @ np.float32([0.299, 0.587, 0.114])
    spread = float(np.percentile(np.abs(luma[near_text]), 95))
    scale = min(1.0, band * 255 / max(spread, 1e-6))
    return mean + (patch - mean) * scale, mean
