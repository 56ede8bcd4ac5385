"""MMOCR's recognition inferencer, with the script of each reading and long
crops read in parts."""
from typing import Dict, Iterator, List, Optional, Tuple

import cv2
import numpy as np
from mmengine.structures import LabelData
from mmocr.apis import TextRecInferencer
from mmocr.structures import TextRecogDataSample

from cllstr_mm.datasets.labels import reading_to_text
from cllstr_mm.utils.scripts import detect_script
from .batch_inference import stage
from .images import load_image
from .reading_order import RTL_SCRIPTS
from .word_split import part_columns

#: Longest crop, in heights, read in one piece. Our recognisers squeeze a
#: crop into 32x100 (25 output columns); a line of Chinese or Japanese 8-20
#: characters long is then too narrow to read. Chosen on the dev sets
#: (``benchmarks/peers.py --max-part-aspect``, docs/external_evaluation.md):
#: read in parts of at most 4.5 heights, release 2 reads real photo crops'
#: CHI 17 points better and JPN 24, and no script more than a point worse
#: than whole (3.5 cuts words of the second renderer's BEN and HIN, 6
#: gains less on CHI).
MAX_PART_ASPECT = 4.5


def as_bgr(image: np.ndarray) -> np.ndarray:
    """An image array as MMOCR's loaders give it: BGR uint8 ``(H, W, 3)``
    from grey ``(H, W)``, ``(H, W, 1)`` or BGRA ``(H, W, 4)``."""
    if image.ndim == 2 or image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def join_parts(parts: List[TextRecogDataSample]) -> TextRecogDataSample:
    """One reading of a region read in parts, left to right: their texts
    and character scores joined, right to left when the text is Arabic,
    then written as people type it
    (:func:`~cllstr_mm.datasets.labels.reading_to_text`: the model writes
    its labels' form, Arabic in presentation forms with the numbers in it
    reversed). ``score`` keeps one entry per token the model wrote."""
    if detect_script(''.join(p.pred_text.item for p in parts)) \
            in RTL_SCRIPTS:
        parts = parts[::-1]
    joined = TextRecogDataSample(metainfo=parts[0].metainfo)
    joined.pred_text = LabelData(
        item=reading_to_text(''.join(p.pred_text.item for p in parts)),
        score=[float(s) for p in parts for s in p.pred_text.score])
    return joined


class MultilingualTextRecInferencer(TextRecInferencer):
    """``TextRecInferencer`` whose predictions also say the script of the
    text: ``{'text', 'scores', 'lang'}``, ``lang`` being 'ARA', 'BEN',
    'CHI', 'HIN', 'JPN', 'KOR', 'LAT' or None
    (:func:`~cllstr_mm.utils.scripts.detect_script`: the Unicode scripts of
    the predicted characters, CHI vs JPN by kana), and text as people type
    it (Arabic in plain letters, a number in it in its own order; not the
    labels' form). A crop longer than ``max_part_aspect`` heights (a line
    of Chinese, a long word) is read in parts cut at blank columns
    (:func:`~cllstr_mm.apis.word_split.part_columns`) whose readings are
    joined (:func:`join_parts`); None reads every crop whole, as MMOCR
    does. An error raised while recognising is marked with the stage
    'recognise' (:func:`~cllstr_mm.apis.batch_inference.stage`). The other
    arguments and outputs are MMOCR's; ``batch_size`` counts crops, not
    parts.
    """

    def __init__(self, *args,
                 max_part_aspect: Optional[float] = MAX_PART_ASPECT,
                 **kwargs) -> None:
        self.max_part_aspect = max_part_aspect
        super().__init__(*args, **kwargs)

    def __call__(self, inputs, **kwargs) -> Dict:
        with stage('recognise'):
            return super().__call__(inputs, **kwargs)

    def preprocess(self, inputs: list, batch_size: int = 1,
                   **kwargs) -> Iterator[Tuple[list, dict]]:
        """``(crops, batch)`` per ``batch_size`` crops: the batch holds
        each crop's parts through the test pipeline, each part's data
        sample carrying ``part_of`` (its crop's index in ``crops``) and its
        crop's ``img_path`` (``<n>.jpg`` for an array, as MMOCR names
        them). An array may be grey ``(H, W)`` or BGRA: it is read as
        BGR."""
        for first in range(0, len(inputs), batch_size):
            crops = inputs[first:first + batch_size]
            samples = []
            for number, crop in enumerate(crops):
                if isinstance(crop, str):
                    image, path = load_image(crop), crop
                else:
                    image = as_bgr(crop)
                    path = f'{self.num_unnamed_imgs}.jpg'
                    self.num_unnamed_imgs += 1
                columns = part_columns(image, self.max_part_aspect) \
                    if self.max_part_aspect else [(0, image.shape[1])]
                for start, stop in columns:
                    sample = self.pipeline(
                        np.ascontiguousarray(image[:, start:stop]))
                    sample['data_samples'].set_metainfo(
                        dict(img_path=path, part_of=number))
                    samples.append(sample)
            yield crops, self.collate_fn(samples)

    def forward(self, inputs: dict, **kwargs) -> List[TextRecogDataSample]:
        """One prediction per crop: the readings of its parts joined."""
        of_crop: Dict[int, List[TextRecogDataSample]] = {}
        for part in super().forward(inputs, **kwargs):
            of_crop.setdefault(part.part_of, []).append(part)
        return [join_parts(of_crop[k]) for k in sorted(of_crop)]

    @property
    def unknown_token(self) -> str:
        """The recogniser's unknown-character token, which votes for no
        script."""
        return self.model.decoder.dictionary.unknown_token

    @property
    def postprocessor(self):
        """The decoder's post-processor, which turns probabilities into
        text."""
        return self.model.decoder.postprocessor

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
