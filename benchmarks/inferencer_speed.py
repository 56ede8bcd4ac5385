"""Recogniser speed through MMOCR's TextRecInferencer vs the bare model.

    python benchmarks/inferencer_speed.py [--config CFG] [--batch-sizes 1 64]
        [--images 128] [--device cpu]

Both read the same in-memory word images (BGR arrays, as MMOCR takes them;
decoding files is left out of both). The bare model gets them already
resized and normalised in one tensor, so its figure is the network alone;
the inferencer's adds its pipeline (resize, packing), collation, data
preprocessing, decoding to text and building the result dicts. The
overhead per image is the difference of the two times per image. Weights
are untrained (speed does not depend on them).
"""
import argparse
import time

import cllstr_mm  # noqa: F401
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.apis import TextRecInferencer


def word_images(count: int, seed: int = 0):
    """``count`` random word-like BGR images, 32-48 px high, 60-300 wide."""
    rng = np.random.default_rng(seed)
    return [
        rng.integers(0, 256, (int(rng.integers(32, 49)),
                              int(rng.integers(60, 301)), 3), np.uint8)
        for _ in range(count)
    ]


def best_times(runs, repeats):
    """Best wall time of each callable over ``repeats`` rounds; the callables
    alternate within a round, so that a load change on a shared machine
    hits both alike."""
    best = [float('inf')] * len(runs)
    for _ in range(repeats):
        for i, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--config',
        default='configs/textrecog/cllstr/svtr-tiny_1xb128-100k_mlt19-'
        'joint.py')
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 64])
    parser.add_argument('--images', type=int, default=128)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()

    cfg = Config.fromfile(args.config)
    init_default_scope('mmocr')
    inferencer = TextRecInferencer(model=cfg, device=args.device)
    model = inferencer.model.eval()
    images = word_images(args.images)

    print(f'{cfg.model.type} ({args.config}), {len(images)} images, '
          f'device {args.device}, torch threads {torch.get_num_threads()}')
    print('batch  inferencer img/s  bare model img/s  overhead ms/img')
    for batch_size in args.batch_sizes:
        batches = [
            images[i:i + batch_size]
            for i in range(0, len(images), batch_size)
        ]
        with torch.no_grad():
            # the bare model gets what the inferencer's own pipeline,
            # collation and preprocessor make, prepared beforehand
            prepared = []
            for batch in batches:
                data = inferencer.collate_fn(
                    [inferencer.pipeline(image) for image in batch])
                data = model.data_preprocessor(data, False)
                prepared.append((data['inputs'], data['data_samples']))

            def bare():
                for inputs, data_samples in prepared:
                    model.predict(inputs, data_samples)

            def through_inferencer():
                for batch in batches:
                    inferencer(
                        batch, batch_size=len(batch), progress_bar=False)

            through_inferencer()  # warm-up
            inf_time, bare_time = best_times((through_inferencer, bare),
                                             args.repeats)
        inf_ips, bare_ips = len(images) / inf_time, len(images) / bare_time
        overhead = 1000 * (inf_time - bare_time) / len(images)
        print(f'{batch_size:>5}  {inf_ips:>16.1f}  {bare_ips:>16.1f}  '
              f'{overhead:>15.2f}')


if __name__ == '__main__':
    main()
