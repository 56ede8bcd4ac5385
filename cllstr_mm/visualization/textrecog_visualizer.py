"""Text recognition visualiser that draws every CLL-STR script."""
import numpy as np
from mmengine.visualization.utils import color_str2rgb
from mmocr.registry import VISUALIZERS
from mmocr.visualization import TextRecogLocalVisualizer

from .text_drawing import draw_text


@VISUALIZERS.register_module()
class MultilingualTextRecogVisualizer(TextRecogLocalVisualizer):
    """MMOCR's ``TextRecogLocalVisualizer`` (the word image above its text)
    with the text drawn per script by :func:`draw_text`: a font of each
    script, Arabic shaped right to left, Indic conjuncts formed.

    Same arguments as ``TextRecogLocalVisualizer``; ``font_families`` and
    ``font_properties`` are kept only for MMOCR code that reads them (e.g.
    ``MMOCRInferencer``) and do not affect the drawing.
    """

    def _draw_instances(self, image: np.ndarray, text: str) -> np.ndarray:
        """A white panel of ``image``'s shape (H, W, 3) with ``text`` in
        ``gt_color``, as MMOCR draws both the ground truth and the
        prediction."""
        color = self.gt_color
        if isinstance(color, str):
            color = color_str2rgb(color)
        height, width = image.shape[:2]
        return draw_text(
            np.full_like(image, 255), text, (0, 0, width, height),
            tuple(color))
