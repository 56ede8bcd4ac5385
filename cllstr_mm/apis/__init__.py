"""Inference on top of MMOCR's inferencers: robust batch runs over image
files, the multilingual recognition (PyTorch or ONNX Runtime), detection
(PP-OCRv5 offline in ONNX Runtime, or MMOCR's) and detection + recognition
inferencers, whose readings carry their script, and whole photos read into
lines (:func:`read_photo`)."""
from .batch_inference import InferenceResult, infer_files, stage
from .configs import check_weights, load_model_config, load_recogniser
from .detectors import (OFFLINE_DETECTOR, build_text_detector,
                        model_zoo_detector)
from .images import IMAGE_EXTENSIONS, ImageReadError, list_images, load_image
from .ocr_inferencer import MultilingualOCRInferencer
from .onnx_detector import (PPOCRV5_DET_CONFIG, ONNXDBNet,
                            ONNXTextDetInferencer, ppocrv5_det_file)
from .onnx_recognizer import ONNXRecognizer, ONNXTextRecInferencer
from .outputs import save_results
from .photo_reader import PhotoReader, read_photo
from .reading_order import group_lines, read_lines
from .release import (RELEASED_CONFIG, RELEASED_WEIGHTS, released_model,
                      resolve_recogniser, verify_checksum)
from .textdet_inferencer import (MultilingualTextDetInferencer,
                                 clean_polygons)
from .textrec_inferencer import MultilingualTextRecInferencer

__all__ = [
    'InferenceResult', 'infer_files', 'stage', 'check_weights',
    'load_model_config', 'load_recogniser', 'OFFLINE_DETECTOR',
    'build_text_detector', 'model_zoo_detector', 'IMAGE_EXTENSIONS',
    'ImageReadError', 'list_images', 'load_image', 'MultilingualOCRInferencer',
    'PPOCRV5_DET_CONFIG', 'ONNXDBNet', 'ONNXTextDetInferencer',
    'ppocrv5_det_file', 'ONNXRecognizer', 'ONNXTextRecInferencer',
    'save_results', 'PhotoReader', 'read_photo', 'group_lines', 'read_lines',
    'RELEASED_CONFIG', 'RELEASED_WEIGHTS', 'released_model',
    'resolve_recogniser', 'verify_checksum', 'MultilingualTextDetInferencer',
    'clean_polygons', 'MultilingualTextRecInferencer'
]
