"""MMOCR's recognition inferencer, with the script of each reading."""
from typing import Dict

from mmocr.apis import TextRecInferencer
from mmocr.structures import TextRecogDataSample

from cllstr_mm.utils.scripts import detect_script
from .batch_inference import stage


class MultilingualTextRecInferencer(TextRecInferencer):
    """``TextRecInferencer`` whose predictions also say the script of the
    text: ``{'text', 'scores', 'lang'}``, ``lang`` being 'ARA', 'BEN',
    'CHI', 'HIN', 'JPN', 'KOR', 'LAT' or None
    (:func:`~cllstr_mm.utils.scripts.detect_script`: the Unicode scripts of
    the predicted characters, CHI vs JPN by kana). An error raised while
    recognising is marked with the stage 'recognise'
    (:func:`~cllstr_mm.apis.batch_inference.stage`). Arguments and the
    other outputs are MMOCR's.
    """

    def __call__(self, inputs, **kwargs) -> Dict:
        with stage('recognise'):
            return super().__call__(inputs, **kwargs)

    @property
    def unknown_token(self) -> str:
        """The recogniser's unknown-character token, which votes for no
        script."""
        return self.model.decoder.dictionary.unknown_token

    def pred2dict(self, data_sample: TextRecogDataSample) -> Dict:
        """MMOCR's ``text`` and ``scores`` (the mean character score), and
        ``lang``. An empty reading scores 0.0: MMOCR would average no
        scores into NaN, with a NumPy warning per image."""
        if len(data_sample.pred_text.score) == 0:
            result = dict(text=data_sample.pred_text.item, scores=0.0)
        else:
            result = super().pred2dict(data_sample)
        result['lang'] = detect_script(result['text'], self.unknown_token)
        return result
