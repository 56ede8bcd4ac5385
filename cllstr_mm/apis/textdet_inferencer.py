"""MMOCR's text detection inferencer, with the regions a recogniser cannot
crop dropped (and counted) and the rest clipped to the image."""
from typing import Dict, List, Sequence, Tuple

import numpy as np
from mmengine.structures import InstanceData
from mmocr.apis import TextDetInferencer
from mmocr.structures import TextDetDataSample

from .batch_inference import stage


def clean_polygons(polygons: Sequence[Sequence[float]],
                   image_shape: Sequence[int],
                   min_size: float = 1.0
                   ) -> Tuple[List[np.ndarray], List[int]]:
    """The polygons a recogniser can read, clipped to the image.

    A polygon is degenerate, and dropped, when it has an odd number of
    coordinates or fewer than 3 distinct points, a NaN or infinite
    coordinate, or, once clipped to the image, a width, height or area
    under ``min_size`` (pixels; 1 px: less than a pixel column or row to
    crop, which is also what is left of a polygon entirely outside the
    image). MMOCR crops such a region to an empty image, on which the
    recogniser's resize divides by zero.

    Args:
        polygons: Polygons ``[x1, y1, x2, y2, ...]`` in pixels.
        image_shape: ``(height, width, ...)`` of the image.
        min_size: Smallest width and height (px) and area (px²) kept.

    Returns:
        The kept polygons, clipped to ``[0, width] x [0, height]``, as
        float32 arrays ``(2K,)``, and their indexes in ``polygons``.
    """
    height, width = image_shape[:2]
    kept, indexes = [], []
    for index, polygon in enumerate(polygons):
        coords = np.asarray(polygon, dtype=np.float64).reshape(-1)
        if coords.size % 2 or not np.isfinite(coords).all():
            continue
        points = np.clip(coords.reshape(-1, 2), 0, [width, height])
        if len(np.unique(points, axis=0)) < 3:
            continue
        extent = points.max(axis=0) - points.min(axis=0)
        x, y = points[:, 0], points[:, 1]
        area = abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2
        if extent.min() < min_size or area < min_size:
            continue
        kept.append(points.reshape(-1).astype(np.float32))
        indexes.append(index)
    return kept, indexes


def select_instances(instances: InstanceData,
                     keep: Sequence[int]) -> InstanceData:
    """The regions ``keep`` (indexes, in order) of ``instances``, with
    every field each region carries (polygons, scores, boxes, line ids),
    lists and arrays alike."""
    selected = InstanceData()
    for key, value in instances.items():
        selected[key] = [value[i] for i in keep] \
            if isinstance(value, list) else value[list(keep)]
    return selected


def drop_degenerate(data_sample: TextDetDataSample) -> TextDetDataSample:
    """Keep only the readable regions of a detector's prediction
    (:func:`clean_polygons` against the sample's ``ori_shape``), clipped,
    with whatever else each region carries (scores, boxes), and record how
    many were dropped as the sample's ``dropped_boxes`` metainfo."""
    instances = data_sample.pred_instances
    polygons, keep = clean_polygons(instances.polygons, data_sample.ori_shape)
    cleaned = select_instances(instances, keep)
    cleaned.polygons = polygons
    data_sample.pred_instances = cleaned
    data_sample.set_metainfo(
        dict(dropped_boxes=len(instances.polygons) - len(keep)))
    return data_sample


class MultilingualTextDetInferencer(TextDetInferencer):
    """MMOCR's ``TextDetInferencer`` that drops the degenerate regions a
    detector may give (zero width or height, fewer than 3 distinct points,
    NaN, entirely outside the image) and clips the rest to the image
    (:func:`drop_degenerate`), before anything crops them. Predictions
    also hold ``dropped_boxes``, how many were dropped; an error raised
    while detecting is marked with the stage 'detect'
    (:func:`~cllstr_mm.apis.batch_inference.stage`). Arguments and the
    other outputs are MMOCR's.
    """

    def __call__(self, inputs, **kwargs) -> Dict:
        with stage('detect'):
            return super().__call__(inputs, **kwargs)

    def forward(self, inputs, **kwargs) -> List[TextDetDataSample]:
        return [
            drop_degenerate(sample)
            for sample in super().forward(inputs, **kwargs)
        ]

    def pred2dict(self, data_sample: TextDetDataSample) -> Dict:
        result = super().pred2dict(data_sample)
        result['dropped_boxes'] = data_sample.dropped_boxes
        return result
