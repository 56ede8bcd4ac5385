"""Detection + recognition visualiser that draws every CLL-STR script."""
from typing import Sequence, Union

import numpy as np
import torch
from mmocr.registry import VISUALIZERS
from mmocr.visualization import TextSpottingLocalVisualizer

from .text_drawing import draw_text


@VISUALIZERS.register_module()
class MultilingualTextSpottingVisualizer(TextSpottingLocalVisualizer):
    """MMOCR's ``TextSpottingLocalVisualizer`` (the image with its filled
    text regions, beside a white copy with the outlines and the texts), with
    each text drawn into its box per script by :func:`draw_text`.
    """

    def _draw_instances(self, image: np.ndarray,
                        bboxes: Union[np.ndarray, torch.Tensor],
                        polygons: Sequence[np.ndarray],
                        texts: Sequence[str]) -> np.ndarray:
        """Args as ``TextSpottingLocalVisualizer._draw_instances``: an RGB
        image (H, W, 3), boxes (N, 4) as ``x0, y0, x1, y1``, N polygons and
        N texts. Returns the (H, 2W, 3) picture."""
        canvas = super()._draw_instances(image, bboxes, polygons, [])
        height, width = image.shape[:2]
        # a box may reach beyond the image; centre the text in what is seen
        boxes = np.clip(
            np.asarray(bboxes, dtype=np.float64).reshape(-1, 4), 0,
            [width, height, width, height])
        for (x0, y0, x1, y1), text in zip(boxes, texts):
            canvas = draw_text(canvas, text, (x0 + width, y0, x1 + width, y1))
        return canvas
