"""Save a config's freshly initialised model as a checkpoint, e.g. as the
untrained baseline for tools/test.py.

    python tools/misc/init_checkpoint.py CONFIG OUT.pth [--seed 21]
"""
import argparse
import os
import os.path as osp

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed
from mmocr.registry import MODELS


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('out')
    parser.add_argument('--seed', type=int, default=21)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    set_random_seed(args.seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    tmp = f'{args.out}.tmp-{os.getpid()}'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, tmp)
    os.replace(tmp, args.out)
    print(f'untrained {cfg.model.type} written to {args.out}')


if __name__ == '__main__':
    main()
