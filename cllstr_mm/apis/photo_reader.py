"""Read a whole photo or screenshot offline, from Python: the detection +
recognition of ``tools/infer.py`` as one call per image."""
import functools
from typing import Dict, Optional

import numpy as np
import torch

from .configs import load_recogniser
from .detectors import OFFLINE_DETECTOR
from .ocr_inferencer import MultilingualOCRInferencer

#: Crops recognised per call of the recogniser.
REC_BATCH_SIZE = 32


class PhotoReader:
    """A detector and a recogniser, built once, that read images one call
    each (:class:`~cllstr_mm.apis.MultilingualOCRInferencer`).

    Args:
        det: The detector (:func:`~cllstr_mm.apis.build_text_detector`);
            default PP-OCRv5's, offline.
        det_weights: Its weights, where it needs them.
        rec: The recogniser's config; default the released one.
        rec_weights: Its ``.pth`` (checked to fit) or ``.onnx`` file;
            default the released weights (checksum checked).
        device: 'cpu' (default) or e.g. 'cuda:0'.
        num_threads: Threads of torch (set for the whole process) and of
            ONNX Runtime; None: the libraries' defaults.

    Raises:
        FileNotFoundError, ValueError, ConnectionError: As the tools report
            them: a missing file, a bad config or weights, a model-zoo
            detector that cannot be downloaded.

    Example:
        >>> reader = PhotoReader()
        >>> reader(load_image('data/photo_dev/images/evarest_blazer.jpg'))[
        ...     'text']
        'جاكيت\\nBLAZER'
    """

    def __init__(self,
                 det: str = OFFLINE_DETECTOR,
                 det_weights: Optional[str] = None,
                 rec: Optional[str] = None,
                 rec_weights: Optional[str] = None,
                 device: str = 'cpu',
                 num_threads: Optional[int] = None) -> None:
        rec_cfg, rec_weights = load_recogniser(rec, rec_weights)
        if num_threads is not None:
            torch.set_num_threads(num_threads)
        self.inferencer = MultilingualOCRInferencer(
            det=det,
            det_weights=det_weights,
            rec=rec_cfg,
            rec_weights=rec_weights,
            device=device,
            num_threads=num_threads)

    def __call__(self, image: np.ndarray) -> Dict:
        """Read one image.

        Args:
            image: BGR uint8 ``(H, W, 3)``, as ``cv2.imread`` or
                :func:`~cllstr_mm.apis.load_image` give it.

        Returns:
            ``det_polygons``, ``det_scores``, ``rec_texts``, ``rec_scores``
            (MMOCR's), ``rec_langs``, ``dropped_boxes``, ``lines`` and
            ``text``, as ``tools/infer.py`` writes them
            (:class:`~cllstr_mm.apis.MultilingualOCRInferencer`).
        """
        return self.inferencer(
            [image], rec_batch_size=REC_BATCH_SIZE)['predictions'][0]


@functools.lru_cache(maxsize=1)
def default_reader() -> PhotoReader:
    """The :class:`PhotoReader` with every default, built on first use."""
    return PhotoReader()


def read_photo(image: np.ndarray) -> Dict:
    """Read a BGR image ``(H, W, 3)`` with PP-OCRv5's detector and the
    released recogniser, offline (:class:`PhotoReader`'s defaults, built
    once per process): the dict ``tools/infer.py`` writes, with the page's
    ``text`` and ``lines`` in reading order."""
    return default_reader()(image)
