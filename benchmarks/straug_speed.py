"""Cost of STRAug's operations and of the STRAugment transform on one core.

    python benchmarks/straug_speed.py [--num 60] [--size 100 32] [--all]

Renders ``--num`` LAT crops (vocabulary 2,000, seed 0), resizes them to
``--size`` (the model's input, where STRAugment belongs in the pipeline),
and prints ms per crop of every operation STRAugment draws at each of
STRAug's magnitudes 0-2 (``--all``: also those it leaves out; Curve and
Rotate warp a square of the crop's longer side, as STRAugment has them),
then of the transform at prob 0.5 and 1.
"""
import argparse
import time

import cllstr_mm  # noqa: F401  (compat layer: torchvision for straug)
import cv2
import numpy as np
from PIL import Image

from cllstr_mm.datasets.synthesis import WordImageSynthesizer
from cllstr_mm.datasets.transforms import STRAugment
from cllstr_mm.datasets.transforms.straug_augment import _straug_class
from cllstr_mm.datasets.transforms.straug_utils import SQUARE_OPS, STRAUG_OPS

#: Operations STRAugment leaves out, timed with ``--all``.
LEFT_OUT = ('MotionBlur', 'Snow', 'Frost', 'GlassBlur', 'ImpulseNoise')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--num', type=int, default=60, help='crops timed')
    parser.add_argument('--size', type=int, nargs=2, default=(100, 32),
                        metavar=('W', 'H'))
    parser.add_argument('--all', action='store_true',
                        help='also time the operations left out')
    return parser.parse_args()


def main():
    args = parse_args()
    cv2.setNumThreads(1)
    synth = WordImageSynthesizer('LAT', vocab_size=2000)
    crops = [
        cv2.resize(synth.draw(i).image, tuple(args.size),
                   interpolation=cv2.INTER_CUBIC) for i in range(args.num)
    ]
    names = [name for ops in STRAUG_OPS.values() for name in ops]
    print(f'{"operation":16}{"ms/crop":>9}  (magnitudes 0-2, {args.size[0]}x'
          f'{args.size[1]})')
    for name in names + (list(LEFT_OUT) if args.all else []):
        op_class = _straug_class(name)
        op = op_class(rng=np.random.default_rng(0), **(
            dict(square_side=max(args.size)) if name in SQUARE_OPS else {}))
        try:
            start = time.perf_counter()
            for mag in range(3):
                for crop in crops:
                    op(Image.fromarray(crop), mag=mag)
            ms = 1000 * (time.perf_counter() - start) / (3 * len(crops))
            print(f'{name:16}{ms:9.2f}' + ('  (left out)' if name in LEFT_OUT
                                           else ''))
        except Exception as error:  # broken with this stack: say why
            print(f'{name:16}{"fails":>9}  {type(error).__name__}: {error}')
    for prob in (0.5, 1.0):
        transform = STRAugment(prob=prob, seed=0)
        start = time.perf_counter()
        for i, crop in enumerate(crops * 3):
            transform(dict(img=crop[..., ::-1].copy(), img_path=f'crop/{i}'))
        ms = 1000 * (time.perf_counter() - start) / (3 * len(crops))
        print(f'STRAugment(prob={prob}, max_ops=2): {ms:.2f} ms/crop')


if __name__ == '__main__':
    main()
