from .text_drawing import (TextRun, display_text, draw_text, pick_face,
                           text_runs)
from .textrecog_visualizer import MultilingualTextRecogVisualizer
from .textspotting_visualizer import MultilingualTextSpottingVisualizer

__all__ = [
    'TextRun', 'display_text', 'draw_text', 'pick_face', 'text_runs',
    'MultilingualTextRecogVisualizer', 'MultilingualTextSpottingVisualizer'
]
