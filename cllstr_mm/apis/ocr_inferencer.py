"""MMOCR's detection + recognition inferencer, with pictures that draw every
CLL-STR script, the script of each reading, and the recogniser in ONNX
Runtime when its weights are an ``.onnx`` file."""
import os.path as osp
from datetime import datetime
from typing import List, Optional

import mmengine
import numpy as np
from mmocr.apis import MMOCRInferencer, TextDetInferencer
from mmocr.registry import VISUALIZERS

from cllstr_mm.utils.scripts import detect_script
from .onnx_recognizer import ONNXTextRecInferencer


class MultilingualOCRInferencer(MMOCRInferencer):
    """``MMOCRInferencer`` whose detection + recognition pictures use
    ``MultilingualTextSpottingVisualizer`` and whose predictions also hold
    ``rec_langs``, the script of each of ``rec_texts`` ('ARA', 'BEN', 'CHI',
    'HIN', 'JPN', 'KOR', 'LAT' or None, by
    :func:`~cllstr_mm.utils.scripts.detect_script`).

    MMOCR builds a matplotlib ``TextSpottingLocalVisualizer`` for this mode
    whatever the recogniser's config says, which draws missing-glyph boxes
    for most of the seven scripts and leaves Arabic unjoined.

    ``rec_weights`` ending in ``.onnx`` (``tools/deployment/export_onnx.py``)
    runs the recogniser in ONNX Runtime
    (:class:`~cllstr_mm.apis.ONNXTextRecInferencer`, ``rec`` being the
    config it was exported from); KIE is then not available. Arguments,
    the other outputs and the other modes are MMOCR's.
    """

    def __init__(self,
                 det=None,
                 det_weights: Optional[str] = None,
                 rec=None,
                 rec_weights: Optional[str] = None,
                 kie=None,
                 kie_weights: Optional[str] = None,
                 device: Optional[str] = None) -> None:
        if rec is not None and str(rec_weights).endswith('.onnx'):
            # MMOCRInferencer would build the PyTorch model from the .onnx
            # file, so the two task inferencers are built here instead.
            if kie is not None:
                raise ValueError('KIE needs the PyTorch recogniser; pass a '
                                 '.pth rec_weights, not an .onnx file')
            self.visualizer = None
            self.mode = 'rec'
            if det is not None:
                self.textdet_inferencer = TextDetInferencer(
                    det, det_weights, device)
                self.mode = 'det_rec'
            self.textrec_inferencer = ONNXTextRecInferencer(
                rec, rec_weights, device)
        else:
            super().__init__(det, det_weights, rec, rec_weights, kie,
                             kie_weights, device)
        if self.mode.startswith('det_rec'):
            # a name of its own: visualizers are shared by name
            self.visualizer = VISUALIZERS.build(
                dict(
                    type='MultilingualTextSpottingVisualizer',
                    name=f'inferencer{datetime.now().timestamp()}'
                    '-multilingual'))

    def postprocess(self,
                    preds,
                    visualization: Optional[List[np.ndarray]] = None,
                    print_result: bool = False,
                    save_pred: bool = False,
                    pred_out_dir: str = '') -> dict:
        """MMOCR's results with ``rec_langs`` added; printed and saved (one
        ``NAME.json`` per image in ``pred_out_dir``) as MMOCR does, but
        after the languages are in."""
        results = super().postprocess(preds, visualization)
        if 'rec' in self.mode:
            # a PyTorch recogniser's dictionary is its decoder's; an
            # ONNXRecognizer holds its own
            model = self.textrec_inferencer.model
            unknown = getattr(model, 'decoder',
                              model).dictionary.unknown_token
            for result in results['predictions']:
                result['rec_langs'] = [
                    detect_script(text, unknown)
                    for text in result['rec_texts']
                ]
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
