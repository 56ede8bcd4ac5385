"""Shared helpers of the LMIM tests (no tests here): registration, tiny
models, synthetic word images and LMDBs, the original-format fixtures."""
import importlib.util
import os.path as osp
from typing import Iterable, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

import cllstr_mm.datasets.transforms.guidance_view  # noqa: F401
import cllstr_mm.datasets.transforms.lmim_pack_inputs  # noqa: F401
import cllstr_mm.datasets.unlabeled_lmdb_dataset  # noqa: F401
import cllstr_mm.engine  # noqa: F401
import cllstr_mm.models.decoders.lmim_ce_module_loss  # noqa: F401
import cllstr_mm.models.encoders.vit_encoder  # noqa: F401
import cllstr_mm.models.pretrainers  # noqa: F401
from cllstr_mm.datasets.lmdb_writer import write_lmdb

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
LMIM_CONFIGS = osp.join(REPO, 'configs', 'lmim')

init_default_scope('mmocr')

#: A ViT small enough for CPU tests: 256 patches of 32 dims, 2 blocks.
TINY_VIT = dict(type='ViTEncoder', embed_dims=32, depth=2, num_heads=2)


def word_image(seed: int, height: int = 24, width: int = 80) -> np.ndarray:
    """A BGR uint8 image of dark 'strokes' on a light background."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), rng.integers(170, 255, 3),
                  dtype=np.uint8)
    for _ in range(6):
        x, y = int(rng.integers(0, width - 8)), int(rng.integers(0, 6))
        cv2.rectangle(img, (x, y), (x + 5, height - 1 - y),
                      tuple(int(c) for c in rng.integers(0, 90, 3)), -1)
    return img


def encode_png(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode('.png', img)
    assert ok
    return buf.tobytes()


def write_word_lmdb(path: str,
                    labels: Sequence[str],
                    corrupt: Iterable[int] = (),
                    sizes: Optional[Sequence[tuple]] = None) -> str:
    """An LMDB of synthetic word images; indices in ``corrupt`` hold bytes
    that are not an image."""
    corrupt = set(corrupt)
    samples = []
    for i, label in enumerate(labels):
        size = sizes[i] if sizes else (24, 80)
        data = b'not an image' if i in corrupt else encode_png(
            word_image(i, *size))
        samples.append((data, label))
    write_lmdb(path, samples)
    return path


#: Original-format checkpoints and outputs made by the original LMIM code
#: (depth 2; see tests/data/lmim/README.md).
FIXTURES = osp.join(REPO, 'tests', 'data', 'lmim')
PRETRAIN_CONFIG = osp.join(LMIM_CONFIGS, 'lmim_vit-small_8xb64-10e_mlt19.py')
FINETUNE_CONFIG = osp.join(LMIM_CONFIGS,
                           'lmim-nrtr_vit-small_8xb64-10e_union14m-l.py')
#: The fixtures' depth, set through the configs' parameters.
PRETRAIN_DEPTH = {'model.encoder.depth': 2}
FINETUNE_DEPTH = {'model.encoder.depth': 2, 'model.decoder.n_layers': 2}

_spec = importlib.util.spec_from_file_location(
    'lmim_to_mmocr', osp.join(REPO, 'tools/model_converters/lmim_to_mmocr.py'))
converter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(converter)


def fixture(name: str):
    """A file of tests/data/lmim, loaded with weights_only=True."""
    return torch.load(osp.join(FIXTURES, name), map_location='cpu',
                      weights_only=True)


def build_from_config(config: str, options: dict):
    """The model of ``config`` with ``options`` merged in."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(options)
    return MODELS.build(cfg.model)


def converted_model(config: str, options: dict, src: str, work_dir):
    """The config's model (eval mode) with the fixture ``src`` converted by
    the command-line converter and loaded strictly."""
    dst = osp.join(str(work_dir), 'converted.pth')
    converter.main([
        osp.join(FIXTURES, src), dst, '--config', config, '--cfg-options',
        *(f'{k}={v}' for k, v in options.items())
    ])
    model = build_from_config(config, options)
    model.load_state_dict(
        torch.load(dst, map_location='cpu')['state_dict'], strict=True)
    return model.eval()


def english_chars() -> list:
    """The 94 characters of the English dictionary, in class order."""
    with open(osp.join(REPO, 'cllstr_mm', 'dicts',
                       'english_printable94.txt')) as f:
        return f.read().split('\n')[:94]


def _score_until_end(logp, ids, end: int):
    """Per row: the sum of ``logp[t, ids[t]]`` up to and including the first
    ``end`` token (every step if there is none)."""
    scores = []
    for i, row in enumerate(ids.tolist()):
        stop = row.index(end) + 1 if end in row else len(row)
        scores.append(sum(logp[i, t, row[t]].item() for t in range(stop)))
    return torch.tensor(scores)


def greedy_score(decoder, out_enc):
    """Greedy ids ``[N, T]`` of an ``LMIMNRTRDecoder`` and their sequence
    scores (log-probabilities summed up to and including EOS)."""
    logits = decoder.greedy_logits(out_enc)
    ids = logits.argmax(-1)
    return ids, _score_until_end(
        torch.log_softmax(logits, -1), ids, decoder.dictionary.end_idx)


def forced_score(decoder, out_enc, ids):
    """Sequence scores of ``ids`` ``[N, T]`` by teacher forcing, an
    independent check of a search's scores."""
    samples = []
    for row in ids.tolist():
        sample = TextRecogDataSample()
        sample.gt_text = LabelData(padded_indexes=torch.tensor(
            [decoder.start_idx] + row[:decoder.max_seq_len - 1]))
        samples.append(sample)
    logp = torch.log_softmax(decoder.forward_train(None, out_enc, samples),
                             -1)
    return _score_until_end(logp, ids, decoder.dictionary.end_idx)
