"""MMOCR's recognition inferencer, with the script of each reading and long
crops read in parts."""
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

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
from .stacked_text import STACKED_MIN_ASPECT, stacked_rows, unstack
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
#: Longest crop, in heights, read whole as well as in parts, the likelier
#: reading kept: a word of letters spaced apart (the demo's CUISINE, 8
#: heights) or two words read in two parts are read better whole, a line
#: of three parts or more is squeezed past reading (then a garbled reading
#: can outscore the parts'). On the dev sets with the stage's 15,600
#: (docs/model_zoo.md): real photo crops 86.2 -> 86.4, second renderer
#: 92.8 -> 92.9, demo 5 -> 6 of 7, photos 59.1 -> 61.0 % and screenshots
#: 71.3 -> 71.7 % words found; without the limit screenshots lose 0.5.
MAX_WHOLE_ASPECT = 2 * MAX_PART_ASPECT
#: A crop whose likeliest reading scores under this (mean character score)
#: is read again in other views (:data:`RETRY_TRIMS`, :data:`RETRY_PADS`,
#: inverted), the likeliest reading kept. Our recognisers learned crops
#: tighter than detectors and people cut (real photo crops' Chinese 80.5
#: -> 86.3 trimmed), but also seldom text that fills the crop to its edges
#: or light text on a dark ground (a white bold GET on red reads 어 as it
#: is, GET padded; BURGER in red neon reads EURGER as it is, BURGER
#: inverted). On the dev sets with release 2 at 1.5M samples
#: (docs/model_zoo.md), trims alone: real photo crops 88.5 -> 90.4, screen
#: text 96.3 -> 96.6, second renderer 94.6 -> 94.9, reading again 30 %,
#: 14 % and 20 % of the crops; every crop read again gains no more.
#: Padding and inversion added (docs/inference.md): real photo crops 90.5
#: -> 91.0, screen 97.5 -> 97.7, second renderer 94.5 -> 94.8, words found
#: on photos 66.1 -> 67.3 % and screenshots 80.1 -> 80.6 %.
RETRY_BELOW = 0.9
#: Shares of a crop's height cut from each of its sides (:func:`trimmed`).
RETRY_TRIMS = (0.05, 0.08)
#: Shares of a crop's height added to each of its sides (:func:`padded`).
RETRY_PADS = (0.15,)


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


def trimmed(image: np.ndarray, fraction: float) -> np.ndarray:
    """A crop ``(H, W[, C])`` with ``fraction`` of its height cut from each
    of its four sides; as it is when that leaves under 8 pixels either
    way."""
    height, width = image.shape[:2]
    margin = int(round(fraction * height))
    if min(height, width) - 2 * margin < 8:
        return image
    return image[margin:height - margin, margin:width - margin]


def padded(image: np.ndarray, fraction: float) -> np.ndarray:
    """A crop ``(H, W[, C])`` with ``fraction`` of its height added to
    each of its four sides, in the median colour of its outermost rows and
    columns (the ground around the text, as a looser crop shows it)."""
    margin = int(round(fraction * image.shape[0]))
    if margin == 0:
        return image
    border = np.concatenate(
        [image[0], image[-1], image[:, 0], image[:, -1]], axis=0)
    colour = np.median(border, axis=0)
    return cv2.copyMakeBorder(
        image, margin, margin, margin, margin, cv2.BORDER_CONSTANT,
        value=np.atleast_1d(colour).tolist())


def inverted(image: np.ndarray) -> np.ndarray:
    """A uint8 crop with its colours inverted (light text on a dark
    ground as dark on light)."""
    return 255 - image


def mean_score(*readings: TextRecogDataSample) -> float:
    """The mean character score of one reading, or of several read
    together (all their characters); 0.0 when they wrote nothing."""
    scores = [score for reading in readings
              for score in reading.pred_text.score]
    return float(np.mean(scores)) if scores else 0.0


def likeliest(
        readings: Sequence[TextRecogDataSample]) -> TextRecogDataSample:
    """Of one crop's readings, the one with the highest mean character
    score (the first on a tie), unless another writes the same letters
    with more spaces: then the one of those with the most. Parts are
    joined without a space, so a line read in parts loses the spaces
    where it was cut, which its whole reading keeps; a space, decoded
    with its class weighted (``space_weight``), scores its probability
    and lowers the mean. Photo dev set, release 2 (docs/inference.md):
    words found on screenshots 79.6 -> 80.1 %, photos 65.4 -> 66.1 %."""
    top = max(readings, key=mean_score)

    def spaces(reading: TextRecogDataSample) -> int:
        return reading.pred_text.item.count(' ')

    letters = top.pred_text.item.replace(' ', '')
    spaced = [
        reading for reading in readings
        if reading.pred_text.item.replace(' ', '') == letters
        and spaces(reading) > spaces(top)
    ]
    return max(spaced, key=spaces) if spaced else top


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
    joined (:func:`join_parts`), and, when it is at most
    ``max_whole_aspect`` heights long, whole too, the likelier reading
    kept (:func:`likeliest`: the higher mean character score, or the same
    letters with more spaces); ``max_part_aspect=None`` reads every
    crop whole, as MMOCR does, ``max_whole_aspect=None`` long ones only in
    parts. A crop at least ``stacked_aspect`` widths tall that holds a
    column of characters (text written top to bottom,
    :func:`~cllstr_mm.apis.stacked_text.stacked_rows`) is also read with
    its characters side by side
    (:func:`~cllstr_mm.apis.stacked_text.unstack`), the likelier reading
    kept; ``stacked_aspect=None`` reads every crop as it is. A crop whose
    likeliest reading scores under ``retry_below`` is read again, in the
    same ways, in each of its :meth:`retry_views` (margins trimmed by each
    of ``retry_trims`` of its height, padded by each of ``retry_pads``,
    and, with ``retry_inverted``, its colours inverted), and the likeliest
    of all its readings kept; ``retry_below=None`` reads each crop once.
    On a tie the first of :meth:`readings` is kept, and the untrimmed
    crop's. An error raised
    while recognising is marked with the stage 'recognise'
    (:func:`~cllstr_mm.apis.batch_inference.stage`). The other arguments
    and outputs are MMOCR's; ``batch_size`` counts crops, not parts.
    """

    def __init__(self, *args,
                 max_part_aspect: Optional[float] = MAX_PART_ASPECT,
                 max_whole_aspect: Optional[float] = MAX_WHOLE_ASPECT,
                 stacked_aspect: Optional[float] = STACKED_MIN_ASPECT,
                 retry_below: Optional[float] = RETRY_BELOW,
                 retry_trims: Sequence[float] = RETRY_TRIMS,
                 retry_pads: Sequence[float] = RETRY_PADS,
                 retry_inverted: bool = True,
                 **kwargs) -> None:
        self.max_part_aspect = max_part_aspect
        self.stacked_aspect = stacked_aspect
        self.max_whole_aspect = max_whole_aspect
        self.retry_below = retry_below
        self.retry_trims = tuple(retry_trims)
        self.retry_pads = tuple(retry_pads)
        self.retry_inverted = retry_inverted
        super().__init__(*args, **kwargs)

    def __call__(self, inputs, **kwargs) -> Dict:
        with stage('recognise'):
            return super().__call__(inputs, **kwargs)

    def preprocess(self, inputs: list, batch_size: int = 1,
                   **kwargs) -> Iterator[Tuple[list, dict]]:
        """``(crops, batch)`` per ``batch_size`` crops: the batch holds
        the parts of each crop's readings (:meth:`readings`) through the
        test pipeline, each part's data sample carrying ``part_of`` (its
        crop's index in ``crops``), ``reading`` (the reading's index) and
        its crop's ``img_path`` (``<n>.jpg`` for an array, as MMOCR names
        them), and ``crop``, the crop itself (BGR), to read it again
        (:meth:`forward`). An array may be grey ``(H, W)`` or BGRA: it is
        read as BGR."""
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
                samples += self._part_samples(
                    self.readings(image), number,
                    dict(img_path=path, crop=image))
            yield crops, self.collate_fn(samples)

    def _part_samples(self, readings: List[List[np.ndarray]], number: int,
                      metainfo: dict) -> List[dict]:
        """The parts of one crop's ``readings`` through the test pipeline,
        each data sample carrying ``metainfo``, ``part_of=number`` and
        ``reading`` (its reading's index)."""
        samples = []
        for reading, parts in enumerate(readings):
            for part in parts:
                sample = self.pipeline(np.ascontiguousarray(part))
                sample['data_samples'].set_metainfo(
                    dict(metainfo, part_of=number, reading=reading))
                samples.append(sample)
        return samples

    def readings(self, image: np.ndarray) -> List[List[np.ndarray]]:
        """The ways a crop ``(H, W, 3)`` is read, each as its parts, left
        to right: as it is, and, when it is a column of characters
        (``stacked_aspect``), with them side by side; each in parts of at
        most ``max_part_aspect`` heights (:func:`part_columns`) and, when
        that cuts it but it is at most ``max_whole_aspect`` heights long,
        whole as well."""
        rows = stacked_rows(image, self.stacked_aspect) \
            if self.stacked_aspect else []
        views = [image, unstack(image, rows)] if rows else [image]
        readings = []
        for view in views:
            columns = part_columns(view, self.max_part_aspect) \
                if self.max_part_aspect else [(0, view.shape[1])]
            readings.append([view[:, a:b] for a, b in columns])
            if len(columns) > 1 and self.max_whole_aspect and \
                    view.shape[1] <= self.max_whole_aspect * view.shape[0]:
                readings.append([view])
        return readings

    def retry_views(self, crop: np.ndarray) -> List[np.ndarray]:
        """The views of a crop ``(H, W, 3)`` that an unlikely reading is
        read again in: trimmed by each of ``retry_trims``, padded by each
        of ``retry_pads``, then inverted if ``retry_inverted``."""
        return ([trimmed(crop, fraction) for fraction in self.retry_trims]
                + [padded(crop, fraction) for fraction in self.retry_pads]
                + ([inverted(crop)] if self.retry_inverted else []))

    def forward(self, inputs: dict, **kwargs) -> List[TextRecogDataSample]:
        """One prediction per crop: of its readings (each its parts
        joined), the one with the highest mean character score; a crop
        whose best scores under ``retry_below`` read again in its
        :meth:`retry_views` (see the class). The predictions keep
        ``img_path``, not the crop."""
        best = self._likeliest(super().forward(inputs, **kwargs))
        retry = [number for number, reading in enumerate(best)
                 if self.retry_below is not None
                 and mean_score(reading) < self.retry_below]
        samples = []
        for number in retry:
            readings = [
                reading for view in self.retry_views(best[number].crop)
                for reading in self.readings(view)
            ]
            samples += self._part_samples(
                readings, number, dict(img_path=best[number].img_path))
        if samples:
            again = self._likeliest(
                super().forward(self.collate_fn(samples), **kwargs))
            for number, reading in zip(retry, again):
                best[number] = likeliest([best[number], reading])
        for reading in best:
            if 'crop' in reading:
                del reading.crop
        return best

    @staticmethod
    def _likeliest(
            parts: List[TextRecogDataSample]) -> List[TextRecogDataSample]:
        """Per crop (``part_of``, ascending), the reading (``reading``:
        its parts joined) with the highest mean character score."""
        of_crop: Dict[int, Dict[int, List[TextRecogDataSample]]] = {}
        for part in parts:
            of_crop.setdefault(part.part_of, {}).setdefault(
                part.reading, []).append(part)
        return [
            likeliest([join_parts(of_crop[k][r]) for r in sorted(of_crop[k])])
            for k in sorted(of_crop)
        ]

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
        result = dict(text=data_sample.pred_text.item,
                      scores=mean_score(data_sample))
        result['lang'] = detect_script(result['text'], self.unknown_token)
        return result
