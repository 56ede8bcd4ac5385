from .text_drawing import TextRun, draw_text, pick_face, text_runs
from .textrecog_visualizer import MultilingualTextRecogVisualizer
from .textspotting_visualizer import MultilingualTextSpottingVisualizer

__all__ = [
    'TextRun', 'draw_text', 'pick_face', 'text_runs',
    'MultilingualTextRecogVisualizer', 'MultilingualTextSpottingVisualizer'
]
