"""Evaluation images and scores shared by ``peers.py`` and
``onnx_speed.py``: per-script LMDB sets as tools/data/make_synth_eval.py
writes them, folders of crops with a ``gt.txt`` (the demo photos, the
real-text dev set, the second renderer's set), and the project's metric on a
list of readings, every character counted."""
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from cllstr_mm.apis import load_image
from cllstr_mm.datasets import read_crop_folder
from cllstr_mm.datasets.labels import split_known, text_to_label
from cllstr_mm.datasets.lmdb_reader import LMDBReader
from cllstr_mm.evaluation.metrics import MultilingualRecogMetric
from cllstr_mm.utils.languages import LANGUAGES, TABLE_ORDER

_ORDER = list(TABLE_ORDER) + ['pooled']


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


def load_crop_set(folder: str) -> List[Sample]:
    """The crops of ``folder/gt.txt`` (:func:`~cllstr_mm.datasets.
    read_crop_folder`: ``NAME<TAB>text``, NAME starting with its script).

    Raises:
        SystemExit: The folder or a line of its gt.txt is not usable; the
            message names the file and line.
    """
    try:
        crops = read_crop_folder(folder)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f'error: {error}') from None
    return [
        Sample(crop.lang, load_image(crop.path),
               text_to_label(crop.text, crop.lang)) for crop in crops
    ]


def score(samples: Sequence[Sample], predictions: Sequence[str]) -> Dict:
    """MultilingualRecogMetric's figures (``{LANG}/1-NED``,
    ``{LANG}/word_acc``, pooled ``1-NED``...) of one reading per sample, in
    the form the project's recognisers give (or the stored label form).

    Every character of the ground truth counts, those the recogniser's
    dictionary cannot write included, and both strings are compared in NFC
    (``drop_unknown_gt=False, unicode_form='NFC'``): a reader is judged on
    the text as written, not on what MLT19's vocabulary can spell."""
    metric = MultilingualRecogMetric(
        drop_unknown_gt=False, unicode_form='NFC')
    metric.process([], [
        dict(pred_text=dict(item=pred),
             gt_text=dict(item=sample.label),
             lang=sample.lang)
        for sample, pred in zip(samples, predictions)
    ])
    return metric.compute_metrics(metric.results)


def writable_share(samples: Sequence[Sample],
                   dictionary) -> Dict[str, float]:
    """Per script (and ``'pooled'``), the percentage of the samples whose
    every label token ``dictionary`` can write."""
    groups: Dict[str, List[bool]] = {}
    for sample in samples:
        writable = not split_known(sample.label, dictionary)[1]
        groups.setdefault(sample.lang, []).append(writable)
        groups.setdefault('pooled', []).append(writable)
    return {
        lang: 100 * sum(flags) / len(flags)
        for lang, flags in sorted(
            groups.items(), key=lambda item: _ORDER.index(item[0]))
    }
