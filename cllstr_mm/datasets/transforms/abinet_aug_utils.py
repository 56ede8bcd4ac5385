"""Random draws shared by the ABINet-style augmentations of LMIM."""
from typing import Optional, Union

import cv2
import numpy as np

#: cv2 interpolations drawn uniformly for every warp and resize.
INTERPOLATIONS = (cv2.INTER_NEAREST, cv2.INTER_LINEAR, cv2.INTER_CUBIC,
                  cv2.INTER_AREA)


def sample_sym(magnitude: float,
               size: Optional[int] = None) -> Union[float, np.ndarray]:
    """A symmetric draw in ``[-magnitude, magnitude]``: a beta(4, 4) scaled
    to that range (std ``magnitude / 3``)."""
    return (np.random.beta(4, 4, size) - 0.5) * 2 * magnitude


def sample_asym(magnitude: float,
                size: Optional[int] = None) -> Union[float, np.ndarray]:
    """A draw in ``[0, magnitude]`` skewed to 0: beta(1, 4) times
    ``magnitude`` (mean ``magnitude / 5``)."""
    return np.random.beta(1, 4, size) * magnitude


def random_interpolation() -> int:
    """One of :data:`INTERPOLATIONS`, uniformly."""
    return INTERPOLATIONS[np.random.randint(len(INTERPOLATIONS))]
