"""What a larger dictionary costs SVTR-Tiny: parameters, and seconds per
forward pass (batch 1 and 64, inference) and per training step (batch 64,
forward + backward + AdamW) on the same torch threads, the models of two
dictionaries taking turns so the load of a shared machine falls on both.

    python benchmarks/class_count_speed.py [--threads 1] [--repeats 5]
        [--dicts cllstr_mm/dicts/MLT19_charset.txt
                 cllstr_mm/dicts/release2_charset.txt]

The models are the release configs' (``svtr-tiny_1xb64-stream_synth7.py``)
with ``model.decoder.dictionary.dict_file`` set to each charset; inputs are
random 3x32x100 images and random targets of 10 classes.
"""
import argparse
import os.path as osp
import time
from typing import Dict, List

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

import cllstr_mm  # noqa: F401  (registration)
from _speed_common import machine_description

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(REPO, 'configs', 'textrecog', 'cllstr',
                  'svtr-tiny_1xb64-stream_synth7.py')
DICTS = [osp.join(REPO, 'cllstr_mm', 'dicts', name)
         for name in ('MLT19_charset.txt', 'release2_charset.txt')]


def build(dict_file: str) -> torch.nn.Module:
    cfg = Config.fromfile(CONFIG)
    cfg.model.decoder.dictionary = dict(type='MultilingualDictionary',
                                        dict_file=dict_file)
    return MODELS.build(cfg.model)


def samples(model, batch: int) -> List[TextRecogDataSample]:
    dictionary = model.decoder.dictionary
    out = []
    for _ in range(batch):
        idx = torch.randint(4, dictionary.num_classes, (10, )).tolist()
        sample = TextRecogDataSample(metainfo=dict(valid_ratio=1.0))
        sample.gt_text = LabelData(item=dictionary.idx2str(idx))
        out.append(sample)
    return out


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(models: Dict[str, torch.nn.Module], repeats: int) -> None:
    images = {b: torch.randn(b, 3, 32, 100) for b in (1, 64)}
    optimisers = {name: torch.optim.AdamW(m.parameters(), lr=1e-4)
                  for name, m in models.items()}
    targets = {name: samples(m, 64) for name, m in models.items()}
    times: Dict[str, Dict[str, List[float]]] = {
        name: {} for name in models}
    for repeat in range(repeats + 1):  # the first round warms up
        for name, model in models.items():
            model.eval()
            for b, x in images.items():
                with torch.no_grad():
                    t = timed(lambda: model(x, mode='tensor'))
                times[name].setdefault(f'forward b{b}', []).append(t)
            model.train()

            def step():
                loss = model.loss(images[64], targets[name])
                total = sum(v for k, v in loss.items() if 'loss' in k)
                optimisers[name].zero_grad()
                total.backward()
                optimisers[name].step()

            times[name].setdefault('train step b64', []).append(timed(step))
            if repeat == 0:
                for values in times[name].values():
                    values.clear()
    print('| dictionary | classes | parameters | classifier | forward b1 '
          '(ms) | forward b64 (s) | train step b64 (s) |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for name, model in models.items():
        params = sum(p.numel() for p in model.parameters())
        head = sum(p.numel() for p in model.decoder.classifier.parameters())
        med = {k: sorted(v)[len(v) // 2] for k, v in times[name].items()}
        print(f'| {name} | {model.decoder.dictionary.num_classes:,} | '
              f'{params / 1e6:.2f}M | {head / 1e6:.2f}M | '
              f'{med["forward b1"] * 1e3:.1f} | {med["forward b64"]:.2f} | '
              f'{med["train step b64"]:.2f} |')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--dicts', nargs='+', default=DICTS,
                        help='charset files to compare')
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=5,
                        help='timed rounds (medians printed)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    init_default_scope('mmocr')
    print(f'{machine_description()}, {args.threads} thread(s), median of '
          f'{args.repeats}')
    measure({osp.basename(d): build(d) for d in args.dicts}, args.repeats)


if __name__ == '__main__':
    main()
