"""Inference on top of MMOCR's inferencers: robust batch runs over image
files and the multilingual detection + recognition inferencer."""
from .batch_inference import InferenceResult, infer_files
from .configs import check_weights, load_model_config
from .images import IMAGE_EXTENSIONS, ImageReadError, list_images, load_image
from .ocr_inferencer import MultilingualOCRInferencer
from .outputs import save_results

__all__ = [
    'InferenceResult', 'infer_files', 'check_weights', 'load_model_config',
    'IMAGE_EXTENSIONS', 'ImageReadError', 'list_images', 'load_image',
    'MultilingualOCRInferencer', 'save_results'
]
