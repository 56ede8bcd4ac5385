"""MMOCR's detection + recognition inferencer, with pictures that draw every
CLL-STR script and the script of each reading."""
import os.path as osp
from typing import List, Optional

import mmengine
import numpy as np
from mmocr.apis import MMOCRInferencer
from mmocr.registry import VISUALIZERS

from cllstr_mm.utils.scripts import detect_script


class MultilingualOCRInferencer(MMOCRInferencer):
    """``MMOCRInferencer`` whose detection + recognition pictures use
    ``MultilingualTextSpottingVisualizer`` and whose predictions also hold
    ``rec_langs``, the script of each of ``rec_texts`` ('ARA', 'BEN', 'CHI',
    'HIN', 'JPN', 'KOR', 'LAT' or None, by
    :func:`~cllstr_mm.utils.scripts.detect_script`).

    MMOCR builds a matplotlib ``TextSpottingLocalVisualizer`` for this mode
    whatever the recogniser's config says, which draws missing-glyph boxes
    for most of the seven scripts and leaves Arabic unjoined. Arguments,
    the other outputs and the other modes are MMOCR's.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.mode.startswith('det_rec'):
            self.visualizer = VISUALIZERS.build(
                dict(
                    type='MultilingualTextSpottingVisualizer',
                    name=f'{self.visualizer.instance_name}-multilingual'))

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
            unknown = self.textrec_inferencer.model.decoder.dictionary \
                .unknown_token
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
