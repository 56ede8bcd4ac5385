"""Evaluation images and scores shared by ``peers.py`` and
``onnx_speed.py``: per-script LMDB sets as tools/data/make_synth_eval.py
writes them, the demo photos, and the project's metric on a list of
readings."""
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from cllstr_mm.apis import load_image
from cllstr_mm.datasets.labels import to_cllstr_label
from cllstr_mm.datasets.lmdb_reader import LMDBReader
from cllstr_mm.evaluation.metrics import MultilingualRecogMetric
from cllstr_mm.utils.languages import LANGUAGES


class Sample(NamedTuple):
    lang: str
    image: np.ndarray  # BGR uint8 (H, W, 3)
    label: str  # stored label form (what the LMDBs hold)


def load_lmdb_set(root: str, limit: Optional[int] = None) -> List[Sample]:
    """The samples of ``root/<LANG>`` for each script present, the first
    ``limit`` of each (all by default).

    Raises:
        SystemExit: ``root`` holds no per-script LMDB.
    """
    samples = []
    for lang in LANGUAGES:
        path = osp.join(root, lang)
        if not osp.isdir(path):
            continue
        with LMDBReader(path) as reader:
            for index, label in reader.labels():
                if limit is not None and index > limit:
                    break
                samples.append(Sample(lang, reader.image(index), label))
    if not samples:
        raise SystemExit(f'error: {root} holds no <LANG>/ LMDB folder '
                         f'({", ".join(LANGUAGES)}); make them with '
                         'tools/data/make_synth_eval.py')
    return samples


def load_photo_set(folder: str) -> List[Sample]:
    """The photos of ``folder/gt.txt`` (``NAME<TAB>word``, as demo/); a
    photo's script is its name before the extension (demo/README.md).

    Raises:
        SystemExit: A line of gt.txt is not ``<LANG>.ext<TAB>word``.
    """
    samples = []
    gt_file = osp.join(folder, 'gt.txt')
    with open(gt_file, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            name, sep, word = line.rstrip('\n').partition('\t')
            lang = osp.splitext(name)[0]
            if not sep or lang not in LANGUAGES:
                raise SystemExit(
                    f'error: {gt_file}, line {number}: expected '
                    f'<LANG>.jpg<TAB>word with LANG one of {LANGUAGES}')
            samples.append(
                Sample(lang, load_image(osp.join(folder, name)),
                       to_cllstr_label(word, lang)))
    return samples


def score(samples: Sequence[Sample], predictions: Sequence[str]) -> Dict:
    """MultilingualRecogMetric's figures (``{LANG}/1-NED``,
    ``{LANG}/word_acc``, pooled ``1-NED``...) of one reading per sample, in
    the form the project's recognisers give (or the stored label form)."""
    metric = MultilingualRecogMetric()
    metric.process([], [
        dict(pred_text=dict(item=pred),
             gt_text=dict(item=sample.label),
             lang=sample.lang)
        for sample, pred in zip(samples, predictions)
    ])
    return metric.compute_metrics(metric.results)
