"""Run an MMOCR inferencer over image files without losing results to one
bad image, and say at which stage an image failed."""
from contextlib import contextmanager
from typing import Iterator, List, NamedTuple, Optional, Sequence

import numpy as np
from mmocr.apis.inferencers.base_mmocr_inferencer import BaseMMOCRInferencer

from .images import ImageReadError, load_image


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Mark any error raised inside with the stage of processing it came
    from (``'detect'``, ``'recognise'``...), as its ``stage`` attribute,
    and re-raise it unchanged; the innermost stage wins."""
    try:
        yield
    except Exception as error:
        if not hasattr(error, 'stage'):
            try:
                error.stage = name
            except AttributeError:  # an exception type with __slots__
                pass
        raise


class InferenceResult(NamedTuple):
    """What became of one image file.

    ``prediction`` is the inferencer's dict for the image (``text`` and
    ``scores`` from ``TextRecInferencer``; ``det_polygons``, ``det_scores``,
    ``rec_texts`` and ``rec_scores`` from ``MMOCRInferencer``),
    ``visualization`` its RGB picture when asked for, and ``error`` says why
    there is no prediction (None on success), naming the file and the stage
    that failed: ``decode failed: cannot read image 'a.jpg': ...``,
    ``detect failed on 'a.jpg': ...`` (likewise ``recognise``, ``draw``, and
    ``save`` from :func:`~cllstr_mm.apis.save_results`; ``inference`` for an
    inferencer that does not tag its stages).
    """
    path: str
    prediction: Optional[dict]
    visualization: Optional[np.ndarray]
    error: Optional[str]


def infer_files(inferencer: BaseMMOCRInferencer,
                paths: Sequence[str],
                batch_size: int = 1,
                return_vis: bool = False,
                **kwargs) -> Iterator[InferenceResult]:
    """Run ``inferencer`` on image files, ``batch_size`` at a time, yielding
    each file's result, in order, as soon as its batch is done.

    Files are decoded by :func:`~cllstr_mm.apis.images.load_image` (PIL;
    grayscale, palette and transparent images become BGR over white). A
    file that cannot be decoded gets a result with ``error`` set. When the
    inferencer fails on a batch, its images are rerun one at a time, so
    only the images it fails on get an error and the rest keep their
    predictions: one bad image never stops the run.

    Args:
        inferencer: An MMOCR inferencer, e.g. ``TextRecInferencer`` or
            ``MMOCRInferencer``.
        paths: Image files.
        batch_size: Images per call of the inferencer (>= 1).
        return_vis: Also return each image's picture.
        **kwargs: Passed to every call of the inferencer (e.g.
            ``progress_bar=False`` for the single-task inferencers).
    """
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    for start in range(0, len(paths), batch_size):
        chunk = paths[start:start + batch_size]
        results: List[Optional[InferenceResult]] = [None] * len(chunk)
        images = {}
        for i, path in enumerate(chunk):
            try:
                images[i] = load_image(path)
            except ImageReadError as error:
                results[i] = InferenceResult(path, None, None,
                                             f'decode failed: {error}')
        try:
            outputs = _call(inferencer, list(images.values()), return_vis,
                            kwargs)
            for i, output in zip(images, outputs):
                results[i] = InferenceResult(chunk[i], *output, None)
        except Exception:
            for i, image in images.items():
                try:
                    output, = _call(inferencer, [image], return_vis, kwargs)
                    results[i] = InferenceResult(chunk[i], *output, None)
                except Exception as error:
                    results[i] = InferenceResult(chunk[i], None, None,
                                                 failure(chunk[i], error))
        yield from results


def failure(path: str, error: Exception) -> str:
    """``'STAGE failed on PATH: Type: message'`` for an error raised while
    ``path`` was processed, STAGE being the one :func:`stage` marked it
    with ('inference' when none did)."""
    return (f'{getattr(error, "stage", "inference")} failed on {path!r}: '
            f'{type(error).__name__}: {error}')


def _call(inferencer, images, return_vis, kwargs):
    """(prediction, picture or None) per image of one inferencer call."""
    if not images:
        return []
    out = inferencer(
        images, batch_size=len(images), return_vis=return_vis, **kwargs)
    pictures = out['visualization'] or [None] * len(images)
    return list(zip(out['predictions'], pictures))
