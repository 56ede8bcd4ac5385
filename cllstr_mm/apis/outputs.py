"""Write inference results as MMOCR's inferencers lay them out."""
import os
import os.path as osp
from typing import Iterable, Iterator, Set

import mmcv
import mmengine

from .batch_inference import InferenceResult, failure, stage


def save_results(results: Iterable[InferenceResult],
                 out_dir: str) -> Iterator[InferenceResult]:
    """Write each result as soon as it comes, and pass it on.

    A prediction goes to ``out_dir/preds/NAME.json`` (UTF-8, as MMOCR's
    ``save_pred``), its picture, if any, to ``out_dir/vis/NAME.jpg``, where
    NAME is the image's file name without extension, made unique in input
    order by the first free ``_2``, ``_3``... (``a.jpg``, ``a.png``,
    ``a_2.png`` -> ``a``, ``a_2``, ``a_2_2``). A failed image writes nothing
    but keeps its name; a result that cannot be written is passed on with
    ``error`` set (``save failed on 'PATH': ...``).
    """
    used: Set[str] = set()
    for result in results:
        stem = name = osp.splitext(osp.basename(result.path))[0]
        number = 1
        while name in used:
            number += 1
            name = f'{stem}_{number}'
        used.add(name)
        try:
            with stage('save'):
                _write(result, out_dir, name)
        except Exception as error:
            result = result._replace(error=failure(result.path, error))
        yield result


def _write(result: InferenceResult, out_dir: str, name: str) -> None:
    if result.prediction is not None:
        os.makedirs(osp.join(out_dir, 'preds'), exist_ok=True)
        mmengine.dump(
            result.prediction,
            osp.join(out_dir, 'preds', f'{name}.json'),
            ensure_ascii=False)
    if result.visualization is not None:
        path = osp.join(out_dir, 'vis', f'{name}.jpg')
        if not mmcv.imwrite(result.visualization[..., ::-1], path):
            raise OSError(f'cannot write {path}')
