"""Inference on top of MMOCR's inferencers: the adapter that lets them take
this package's configs (applied on import), robust batch runs over image
files, and the multilingual detection + recognition inferencer."""
from . import inferencer_adapter
from .batch_inference import InferenceResult, infer_files
from .configs import load_model_config
from .images import IMAGE_EXTENSIONS, ImageReadError, list_images, load_image
from .ocr_inferencer import MultilingualOCRInferencer
from .outputs import save_results

inferencer_adapter.apply()

__all__ = [
    'InferenceResult', 'infer_files', 'load_model_config', 'IMAGE_EXTENSIONS',
    'ImageReadError', 'list_images', 'load_image', 'MultilingualOCRInferencer',
    'save_results'
]
