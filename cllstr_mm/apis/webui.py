"""What the local web page (``tools/webui.py``) shows for an uploaded image,
without Gradio: the reading, its picture, the text, the table of words and
the JSON file, so that they can be tested without a browser."""
import os.path as osp
from typing import Dict, List, NamedTuple, Union

import numpy as np

from .batch_inference import InferenceResult, failure
from .images import IMAGE_EXTENSIONS, ImageReadError, load_image
from .outputs import save_results
from .photo_reader import REC_BATCH_SIZE, PhotoReader

#: Columns of :attr:`PageReading.rows`.
TABLE_HEADERS = ('line', 'text', 'script', 'confidence')


class PageReading(NamedTuple):
    """One image read for the page.

    ``prediction`` is the dict ``tools/infer.py`` writes for it (with
    ``--det none`` for a word crop: ``rec_texts``, ``rec_scores``,
    ``rec_langs`` of its one word); ``picture`` the RGB uint8 picture of
    the project's visualisers (a photo beside a white copy with its boxes
    and texts, ``(H, 2W, 3)``; a word crop above its text); ``text`` the
    lines in reading order, one per line; ``rows`` one
    ``[line, text, script, confidence]`` per word read, in reading order
    (:data:`TABLE_HEADERS`; line from 1, script '-' for none, confidence
    the mean character score rounded to 3 decimals).
    """
    prediction: Dict
    picture: np.ndarray
    text: str
    rows: List[List[Union[int, str, float]]]


def _row(line: int, text: str, lang, score: float) -> List:
    return [line, text, lang or '-', round(float(score), 3)]


def read_upload(reader: PhotoReader, path: str,
                word_crop: bool = False) -> PageReading:
    """Read an uploaded image file.

    Args:
        reader: The models, built once.
        path: The image file (any format :func:`~cllstr_mm.apis.load_image`
            decodes).
        word_crop: Read the whole image as one word with the recogniser
            alone (as ``tools/demo.py`` and ``tools/infer.py --det none``),
            instead of detecting its words.

    Raises:
        ValueError: The file is not an image that can be decoded, or
            reading it failed; the message names the file (without its
            folder, the upload's temporary one) and the stage that failed
            as ``tools/infer.py`` reports it (``decode failed: ...``).
    """
    name = osp.basename(path)
    try:
        image = load_image(path)
    except ImageReadError as error:
        raise ValueError(
            f'decode failed: {error}'.replace(path, name) +
            f'; upload an image ({", ".join(IMAGE_EXTENSIONS)})') from error
    try:
        if word_crop:
            out = reader.inferencer.textrec_inferencer([image],
                                                       return_vis=True,
                                                       progress_bar=False)
            word = out['predictions'][0]
            prediction = dict(
                rec_texts=[word['text']],
                rec_scores=[word['scores']],
                rec_langs=[word['lang']])
            text = word['text']
            rows = [_row(1, word['text'], word['lang'], word['scores'])]
        else:
            out = reader.inferencer([image],
                                    return_vis=True,
                                    rec_batch_size=REC_BATCH_SIZE)
            prediction = out['predictions'][0]
            text = prediction['text']
            rows = [
                _row(number, prediction['rec_texts'][i],
                     prediction['rec_langs'][i], prediction['rec_scores'][i])
                for number, line in enumerate(prediction['lines'], 1)
                for i in line['words']
            ]
    except Exception as error:
        raise ValueError(failure(name, error)) from error
    return PageReading(prediction, out['visualization'][0], text, rows)


def save_json(reading: PageReading, path: str, out_dir: str) -> str:
    """Write ``reading.prediction`` as ``tools/infer.py`` does
    (:func:`~cllstr_mm.apis.save_results`), named after the image file
    ``path``, and return the JSON file's path
    (``out_dir/preds/NAME.json``)."""
    result, = save_results(
        [InferenceResult(path, reading.prediction, None, None)], out_dir)
    if result.error:
        raise OSError(result.error)
    name = osp.splitext(osp.basename(path))[0]
    return osp.join(out_dir, 'preds', f'{name}.json')
