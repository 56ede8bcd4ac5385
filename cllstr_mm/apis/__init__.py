"""Inference on top of MMOCR's inferencers: robust batch runs over image
files, the multilingual recognition (PyTorch or ONNX Runtime) and detection
+ recognition inferencers, whose readings carry their script."""
from .batch_inference import InferenceResult, infer_files
from .configs import check_weights, load_model_config
from .images import IMAGE_EXTENSIONS, ImageReadError, list_images, load_image
from .ocr_inferencer import MultilingualOCRInferencer
from .onnx_recognizer import ONNXRecognizer, ONNXTextRecInferencer
from .outputs import save_results
from .release import (RELEASED_CONFIG, RELEASED_WEIGHTS, released_model,
                      resolve_recogniser, verify_checksum)
from .textrec_inferencer import MultilingualTextRecInferencer

__all__ = [
    'InferenceResult', 'infer_files', 'check_weights', 'load_model_config',
    'IMAGE_EXTENSIONS', 'ImageReadError', 'list_images', 'load_image',
    'MultilingualOCRInferencer', 'ONNXRecognizer', 'ONNXTextRecInferencer',
    'save_results', 'MultilingualTextRecInferencer', 'RELEASED_CONFIG',
    'RELEASED_WEIGHTS', 'released_model', 'resolve_recogniser',
    'verify_checksum'
]
