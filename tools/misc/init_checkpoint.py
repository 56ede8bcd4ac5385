"""Save a config's freshly initialised model as a checkpoint, e.g. as the
untrained baseline for tools/test.py.

    python tools/misc/init_checkpoint.py CONFIG OUT.pth [--seed 21]
"""
import argparse

import cllstr_mm  # noqa: F401  (compat layer + registration)
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed
from mmocr.registry import MODELS

from cllstr_mm.utils.checkpoint import save_atomic


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
    save_atomic({'state_dict': model.state_dict(), 'meta': {}}, args.out)
    print(f'untrained {cfg.model.type} written to {args.out}')


if __name__ == '__main__':
    main()
