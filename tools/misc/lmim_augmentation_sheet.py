"""Contact sheet of LMIM's fine-tuning augmentation on the bundled data.

    python tools/misc/lmim_augmentation_sheet.py \
        [--out docs/lmim_augmentation.png] [--samples 9] [--seed 0]

Each row is one training word of ``data/cllstr_mini`` (a few per script):
the clean 32x128 model input first, then ``--samples`` draws of the
augmentation configured in ``configs/lmim/_base_/finetune_pipeline.py``
(geometry p 0.5, deterioration p 0.25, colour jitter p 0.25, then the
32x128 resize), each captioned with what was applied (``rot`` / ``aff`` /
``persp`` with the rotation angle, ``det``, ``jit``; ``-`` when nothing
was). Shown at 1.5 times the model's resolution.
"""
import argparse
import os
import os.path as osp
from typing import List, Tuple

import cllstr_mm  # noqa: F401  (compat layer + registration)
import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PIPELINE = osp.join(REPO, 'configs', 'lmim', '_base_', 'finetune_pipeline.py')
#: (script, sample index) of the rows.
ROWS = (('LAT', 0), ('LAT', 5), ('LAT', 11), ('CHI', 2), ('HIN', 3),
        ('ARA', 1))
CELL_W, CELL_H, CAPTION_H = 192, 48, 16


def augment(img: np.ndarray, transforms) -> Tuple[np.ndarray, str]:
    """One draw of (geometry, deterioration, jitter, resize) and a caption
    of what was applied."""
    geometry, deterioration, jitter, resize = transforms
    parts = []
    params = geometry.sample_params(*img.shape[:2])
    if params is not None:
        img = geometry.warp(img, params)
        kind = dict(rotation='rot', affine='aff',
                    perspective='persp')[params['kind']]
        angle = f' {params["angle"]:+.0f}' if 'angle' in params else ''
        parts.append(kind + angle)
    params = deterioration.sample_params()
    if params is not None:
        img = deterioration.apply(img, params)
        parts.append('det')
    before = img
    img = jitter(dict(img=img))['img']
    if img is not before and not np.array_equal(img, before):
        parts.append('jit')
    img = resize(dict(img=img, img_shape=img.shape[:2]))['img']
    return img, ' '.join(parts) or '-'


def cell(img: np.ndarray, caption: str) -> np.ndarray:
    """The image at 1.5x with its caption under it."""
    out = np.full((CELL_H + CAPTION_H, CELL_W, 3), 255, np.uint8)
    out[:CELL_H] = cv2.resize(img, (CELL_W, CELL_H),
                              interpolation=cv2.INTER_NEAREST)
    cv2.putText(out, caption, (3, CELL_H + 12), cv2.FONT_HERSHEY_SIMPLEX,
                0.4, (0, 0, 0), 1, cv2.LINE_AA)
    return out


def make_sheet(data_root: str, samples: int) -> np.ndarray:
    cfg = Config.fromfile(PIPELINE)
    transforms = [TRANSFORMS.build(t) for t in cfg.lmim_augmentation]
    resize = TRANSFORMS.build(cfg.finetune_resize)
    rows: List[np.ndarray] = []
    for lang, index in ROWS:
        dataset = DATASETS.build(
            dict(
                type='UnlabeledLMDBDataset',
                data_root=osp.join(data_root, 'training'),
                ann_file=lang))
        img = dataset.prepare_data(index)['img']
        clean = resize(dict(img=img, img_shape=img.shape[:2]))['img']
        cells = [cell(clean, f'{lang} clean')]
        for _ in range(samples):
            cells.append(cell(*augment(img, transforms + [resize])))
        rows.append(np.concatenate(cells, axis=1))
    return np.concatenate(rows, axis=0)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--out', default=osp.join(REPO, 'docs', 'lmim_augmentation.png'))
    parser.add_argument('--samples', type=int, default=9)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--data-root', default=osp.join(REPO, 'data', 'cllstr_mini'))
    return parser.parse_args()


def main():
    args = parse_args()
    init_default_scope('mmocr')
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    sheet = make_sheet(args.data_root, args.samples)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    if not cv2.imwrite(args.out, sheet, [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        raise OSError(f'could not write {args.out}')
    print(f'{sheet.shape[1]}x{sheet.shape[0]} contact sheet -> {args.out}')


if __name__ == '__main__':
    main()
