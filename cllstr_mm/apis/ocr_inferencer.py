"""MMOCR's detection + recognition inferencer, with the offline PP-OCRv5
detector, degenerate regions dropped before recognition, pictures that draw
every CLL-STR script, the script of each reading, the lines of the page in
reading order, and the recogniser in ONNX Runtime when its weights are an
``.onnx`` file."""
import os.path as osp
from datetime import datetime
from typing import List, Optional

import mmengine
import numpy as np
from mmocr.apis import KIEInferencer, MMOCRInferencer
from mmocr.registry import VISUALIZERS

from cllstr_mm.datasets.labels import number_in_arabic_line
from cllstr_mm.utils.scripts import detect_script
from .batch_inference import stage
from .detectors import build_text_detector
from .onnx_recognizer import ONNXTextRecInferencer
from .reading_order import RTL_SCRIPTS, read_lines
from .textdet_inferencer import select_instances
from .textrec_inferencer import MultilingualTextRecInferencer, mean_score
from .word_split import upright_crop

#: Factor on the space class's probability when the recogniser reads the
#: regions a detector found (lines, or words cut from them), where it is
#: 1 for word crops: the recogniser ran the words of a line together where
#: the blank between them is narrow (Arabic, whose letters that do not
#: join leave blanks as wide inside a word; Latin). Photo dev set, released
#: weights, words found 1 -> 10: photos 53.1 -> 54.3 %, screenshots 66.4 ->
#: 67.3 % (Arabic 53.4 -> 56.9 %); on word crops it would cost real photo
#: crops 0.2 (docs/inference.md, "How well").
LINE_SPACE_WEIGHT = 10.0


class MultilingualOCRInferencer(MMOCRInferencer):
    """``MMOCRInferencer`` with these differences:

    - ``det`` is built by :func:`~cllstr_mm.apis.build_text_detector`:
      'PP-OCRv5' (``OFFLINE_DETECTOR``) is PP-OCRv5's detector in ONNX
      Runtime, which needs no download; a name of MMOCR's model zoo
      ('DBNet', ...) downloads its weights as MMOCR does; a config without
      ``det_weights`` is refused unless ``allow_untrained_det`` (random
      weights, with a warning). Degenerate regions (zero width or height,
      fewer than 3 distinct points, NaN, entirely outside the image) are
      dropped before recognition and the rest clipped to the image
      (:class:`~cllstr_mm.apis.MultilingualTextDetInferencer`). Each region
      is cropped upright as it lies, without MMOCR's margin (:meth:`forward`),
      and read with the space class ``LINE_SPACE_WEIGHT`` times likelier,
      where the recogniser's post-processor takes a ``space_weight``
      (``ExclusiveScriptCTCPostProcessor``).
    - ``rec_weights`` ending in ``.onnx`` (``tools/deployment/export_onnx.py``)
      runs the recogniser in ONNX Runtime
      (:class:`~cllstr_mm.apis.ONNXTextRecInferencer`, ``rec`` being the
      config it was exported from); KIE then needs the PyTorch one.
    - Predictions also hold ``rec_langs``, the script of each of
      ``rec_texts`` ('ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT' or
      None, by :func:`~cllstr_mm.utils.scripts.detect_script`), and, with a
      detector, ``dropped_boxes`` (how many degenerate regions were
      dropped), ``lines`` (the readings grouped into lines in reading
      order, :func:`~cllstr_mm.apis.reading_order.read_lines`) and
      ``text`` (the lines joined by newlines).
    - Detection + recognition pictures use
      ``MultilingualTextSpottingVisualizer``: MMOCR builds a matplotlib
      ``TextSpottingLocalVisualizer`` whatever the recogniser's config
      says, which draws missing-glyph boxes for most of the seven scripts
      and leaves Arabic unjoined.
    - An error is marked with the stage it came from ('detect',
      'recognise', 'draw'), which :func:`~cllstr_mm.apis.infer_files`
      reports.

    ``num_threads`` sets ONNX Runtime's threads (detector, ONNX
    recogniser; None: its default). The other arguments, outputs and
    modes are MMOCR's.
    """

    def __init__(self,
                 det=None,
                 det_weights: Optional[str] = None,
                 rec=None,
                 rec_weights: Optional[str] = None,
                 kie=None,
                 kie_weights: Optional[str] = None,
                 device: Optional[str] = None,
                 allow_untrained_det: bool = False,
                 num_threads: Optional[int] = None) -> None:
        onnx_rec = rec is not None and str(rec_weights).endswith('.onnx')
        if kie is not None and onnx_rec:
            raise ValueError('KIE needs the PyTorch recogniser; pass a '
                             '.pth rec_weights, not an .onnx file')
        if kie is not None and (det is None or rec is None):
            raise ValueError('KIE needs both det and rec')
        if det is None and rec is None:
            raise ValueError('pass det, rec or both')
        # MMOCRInferencer.__init__ would build MMOCR's own task inferencers
        # (and the PyTorch model from an .onnx file), so they are built
        # here, as it does.
        self.visualizer = None
        self.mode = 'det' if rec is None else 'rec'
        if det is not None:
            self.textdet_inferencer = build_text_detector(
                det, det_weights, device, allow_untrained_det, num_threads)
        if onnx_rec:
            self.textrec_inferencer = ONNXTextRecInferencer(
                rec, rec_weights, device, num_threads)
        elif rec is not None:
            self.textrec_inferencer = MultilingualTextRecInferencer(
                rec, rec_weights, device)
        if rec is not None and det is not None:
            self.mode = 'det_rec'
            if hasattr(self.textrec_inferencer.postprocessor,
                       'space_weight'):
                self.textrec_inferencer.postprocessor.space_weight = \
                    LINE_SPACE_WEIGHT
            # a name of its own: visualizers are shared by name
            self.visualizer = VISUALIZERS.build(
                dict(
                    type='MultilingualTextSpottingVisualizer',
                    name=f'inferencer{datetime.now().timestamp()}'
                    '-multilingual'))
        if kie is not None:
            self.kie_inferencer = KIEInferencer(kie, kie_weights, device)
            self.mode = 'det_rec_kie'

    def forward(self,
                inputs,
                batch_size: int = 1,
                det_batch_size: Optional[int] = None,
                rec_batch_size: Optional[int] = None,
                kie_batch_size: Optional[int] = None,
                **forward_kwargs) -> dict:
        """MMOCR's, but each region is cropped upright as it lies
        (:func:`~cllstr_mm.apis.word_split.upright_crop`: turned by its own
        angle, no margin added) where MMOCR crops the image-axis box around
        it with 40 % of its height added on each side, which takes in the
        neighbouring words of a line cut into words (the recognition
        inferencer reads a long one in parts). KIE runs MMOCR's.
        """
        if self.mode != 'det_rec':
            return super().forward(inputs, batch_size, det_batch_size,
                                   rec_batch_size, kie_batch_size,
                                   **forward_kwargs)
        forward_kwargs['progress_bar'] = False
        det = self.textdet_inferencer(
            inputs,
            return_datasamples=True,
            batch_size=det_batch_size or batch_size,
            **forward_kwargs)['predictions']
        rec = []
        for image, sample in zip(self._inputs2ndarrray(inputs), det):
            polygons = sample.pred_instances.polygons
            crops = [upright_crop(image, polygon) for polygon in polygons]
            rec.append(self.textrec_inferencer(
                crops,
                return_datasamples=True,
                batch_size=rec_batch_size or batch_size,
                **forward_kwargs)['predictions'])
            rec[-1] = self._read_japanese_lines_whole(
                image, sample, rec[-1], rec_batch_size or batch_size,
                **forward_kwargs)
        return dict(det=det, rec=rec)

    def _read_japanese_lines_whole(self, image: np.ndarray, sample,
                                   readings, batch_size: int,
                                   **kwargs) -> list:
        """A line the detector cut into words (``line_ids``,
        ``line_polygons``, :class:`~cllstr_mm.apis.ONNXDBNet`) whose words
        read as Japanese, written without spaces, is read whole instead
        (in parts when long, as the recognition inferencer reads a long
        crop) when that reading's mean character score is at least that
        of the words' characters: the blanks inside and between kana are
        no word gaps (``よると`` was cut into ``よ`` and ``る``; Japanese
        screenshot words found 71.1 -> 75.0 %). Not Chinese lines: their
        cuts fall at the spaces around numbers (``营业时间 10:00-22:00``),
        which a whole reading in parts misreads (Chinese screenshot words
        90.0 -> 85.0 %). ``sample``'s regions are updated to match;
        returns the readings, one per region."""
        instances = sample.pred_instances
        if 'line_ids' not in instances or not len(readings):
            return readings
        unknown = self.textrec_inferencer.unknown_token
        groups = {}
        for index, line in enumerate(instances.line_ids.tolist()):
            groups.setdefault(line, []).append(index)
        rejoin = [
            indexes for indexes in groups.values() if len(indexes) > 1
            and detect_script(''.join(readings[i].pred_text.item
                                      for i in indexes),
                              unknown) == 'JPN'
        ]
        if not rejoin:
            return readings
        whole = self.textrec_inferencer(
            [upright_crop(image, instances.line_polygons[indexes[0]])
             for indexes in rejoin],
            return_datasamples=True, batch_size=batch_size,
            **kwargs)['predictions']
        kept = [(indexes, reading) for indexes, reading in zip(rejoin, whole)
                if mean_score(reading) >= mean_score(
                    *(readings[i] for i in indexes))]
        if not kept:
            return readings
        replaced = {indexes[0]: reading for indexes, reading in kept}
        dropped = {i for indexes, _ in kept for i in indexes[1:]}
        keep = [i for i in range(len(readings)) if i not in dropped]
        cleaned = select_instances(instances, keep)
        cleaned.polygons = [
            instances.line_polygons[i] if i in replaced else
            instances.polygons[i] for i in keep
        ]
        sample.pred_instances = cleaned
        return [replaced.get(i, readings[i]) for i in keep]

    def visualize(self, inputs, preds, **kwargs) -> Optional[List[np.ndarray]]:
        with stage('draw'):
            return super().visualize(inputs, preds, **kwargs)

    @staticmethod
    def _lines(result: dict, unknown: str) -> List[dict]:
        """The page's lines (:func:`~cllstr_mm.apis.reading_order.read_lines`),
        with each number in an Arabic line in the order people type it
        (:func:`~cllstr_mm.datasets.labels.number_in_arabic_line`), in
        ``rec_texts`` too: a number alone votes for no script, so only its
        line tells that it was laid out right to left, or, in a line of
        numbers alone, the page's script."""
        texts = result['rec_texts']
        page = detect_script(' '.join(texts), unknown)
        lines = read_lines(result['det_polygons'], texts, unknown)
        turned = False
        for line in lines:
            if (line['lang'] or page) in RTL_SCRIPTS:
                for i in line['words']:
                    typed = number_in_arabic_line(texts[i])
                    turned |= typed != texts[i]
                    texts[i] = typed
        # a number votes for no script: the grouping stays, the texts change
        return read_lines(result['det_polygons'], texts, unknown) \
            if turned else lines

    def postprocess(self,
                    preds,
                    visualization: Optional[List[np.ndarray]] = None,
                    print_result: bool = False,
                    save_pred: bool = False,
                    pred_out_dir: str = '') -> dict:
        """MMOCR's results with ``rec_langs``, ``dropped_boxes``, ``lines``
        and ``text`` added; printed and saved (one ``NAME.json`` per image
        in ``pred_out_dir``) as MMOCR does, but with these keys in."""
        results = super().postprocess(preds, visualization)
        unknown = None
        if 'rec' in self.mode:
            unknown = self.textrec_inferencer.unknown_token
            for result in results['predictions']:
                result['rec_langs'] = [
                    detect_script(text, unknown)
                    for text in result['rec_texts']
                ]
        if 'det' in self.mode:
            for det_pred, result in zip(preds['det'],
                                        results['predictions']):
                result['dropped_boxes'] = det_pred.dropped_boxes
                if unknown is not None:
                    result['lines'] = self._lines(result, unknown)
                    result['text'] = '\n'.join(
                        line['text'] for line in result['lines'])
        if save_pred and pred_out_dir:
            key = 'det' if 'det' in self.mode else 'rec'
            for pred, result in zip(preds[key], results['predictions']):
                img_path = pred.img_path if key == 'det' else pred[0].img_path
                name = osp.splitext(osp.basename(img_path))[0]
                mmengine.dump(
                    result,
                    osp.join(pred_out_dir, f'{name}.json'),
                    ensure_ascii=False)
        if print_result:
            print(dict(predictions=results['predictions']))
        return results
