"""STRAug's operations as :class:`STRAugment` draws them, and the
thin-plate spline its warps need.

STRAug (Atienza, ICCV-W 2021; ``pip install straug``) builds its warps
(Curve, Distort, Stretch, Shrink) on OpenCV's contrib shape module, which
the pinned opencv-python lacks (opencv-contrib-python would replace it):
:func:`ensure_thin_plate_spline` adds a NumPy version with the same
interface to ``cv2`` when ``cv2`` has none. Its warps differ from OpenCV
4.11's by 0.02-0.3 grey levels of 255 on average (up to tens at a few
pixels by the border, where a point maps just inside or just outside).
"""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np

#: STRAug's operations per group, by class name, that :class:`STRAugment`
#: draws. Left out, measured on one core on 100x32 crops
#: (``benchmarks/straug_speed.py --all``) where the others take 0.02-2.8 ms:
#: MotionBlur and Snow (7.6 ms each, in ImageMagick), Frost (15 ms: it reads
#: an image file per call), and GlassBlur and ImpulseNoise, which fail with
#: scikit-image >= 0.19 (its ``multichannel`` and ``seed`` arguments are
#: gone).
STRAUG_OPS: Dict[str, Tuple[str, ...]] = {
    'warp': ('Curve', 'Distort', 'Stretch'),
    'geometry': ('Rotate', 'Perspective', 'Shrink'),
    'blur': ('GaussianBlur', 'DefocusBlur', 'ZoomBlur'),
    'noise': ('GaussianNoise', 'ShotNoise', 'SpeckleNoise'),
    'weather': ('Fog', 'Rain', 'Shadow'),
    'camera': ('Contrast', 'Brightness', 'JpegCompression', 'Pixelate'),
    'pattern': ('VGrid', 'HGrid', 'Grid', 'RectGrid', 'EllipseGrid'),
}
#: Operations that take a ``square_side`` (px) to warp a square resize of
#: the image in.
SQUARE_OPS = ('Curve', 'Rotate')
#: The map is computed every this many pixels and interpolated between:
#: the spline is smooth, so the warp differs from a dense one by well under
#: a pixel, at a fraction of the cost.
_GRID_STEP = 4


class ThinPlateSpline:
    """OpenCV's ``ThinPlateSplineShapeTransformer`` (regularisation 0) as
    STRAug calls it: :meth:`estimateTransformation` fits the spline that
    maps the first shape's points onto the second's, :meth:`warpImage`
    samples the image there (linear, border 0), so the content at the
    second shape's points moves to the first's."""

    def estimateTransformation(self, shape1: np.ndarray, shape2: np.ndarray,
                               matches: Sequence) -> None:
        """Fit the spline; ``shape1`` and ``shape2`` are (1, N, 2) point
        arrays matched index by index (``matches`` is not read)."""
        self._points = np.asarray(shape1, np.float64).reshape(-1, 2)
        targets = np.asarray(shape2, np.float64).reshape(-1, 2)
        n = len(self._points)
        system = np.zeros((n + 3, n + 3))
        system[:n, :n] = _kernel(self._points, self._points)
        system[:n, n] = system[n, :n] = 1
        system[:n, n + 1:] = self._points
        system[n + 1:, :n] = self._points.T
        values = np.zeros((n + 3, 2))
        values[:n] = targets
        self._weights = np.linalg.lstsq(system, values, rcond=None)[0]

    def warpImage(self, image: np.ndarray) -> np.ndarray:
        """``image`` (H, W[, C]) warped by the fitted spline."""
        h, w = image.shape[:2]
        ys = np.arange(0, h + _GRID_STEP, _GRID_STEP, dtype=np.float64)
        xs = np.arange(0, w + _GRID_STEP, _GRID_STEP, dtype=np.float64)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        n = len(self._points)
        mapped = (_kernel(grid, self._points) @ self._weights[:n] +
                  self._weights[n] + grid @ self._weights[n + 1:])
        # Map pixel centres from the coarse grid's nodes.
        step = np.float32([[1 / _GRID_STEP, 0, 0], [0, 1 / _GRID_STEP, 0]])
        maps = [
            cv2.warpAffine(
                mapped[:, i].reshape(len(ys), len(xs)).astype(np.float32),
                step, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REPLICATE) for i in (0, 1)
        ]
        return cv2.remap(image, maps[0], maps[1], cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT)


def _kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """OpenCV's TPS radial basis r² log r² between the points of ``a``
    (M, 2) and ``b`` (N, 2), with r² = 0 replaced by float32 epsilon."""
    r2 = ((a[:, None] - b[None]) ** 2).sum(-1)
    r2 = np.where(r2 == 0, np.finfo(np.float32).eps, r2)
    return r2 * np.log(r2)


def ensure_thin_plate_spline() -> None:
    """Give ``cv2`` a ``createThinPlateSplineShapeTransformer`` (returning
    a :class:`ThinPlateSpline`) if it has none; one it has is kept."""
    if not hasattr(cv2, 'createThinPlateSplineShapeTransformer'):
        cv2.createThinPlateSplineShapeTransformer = ThinPlateSpline
