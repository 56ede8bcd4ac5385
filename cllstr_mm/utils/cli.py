"""Command-line pieces shared by ``tools/train.py`` and ``tools/test.py``:
the MMOCR-style options every runner tool takes, the config they build, and
finding the newest checkpoint of a run."""
import argparse
import glob
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config, DictAction


def add_runner_args(parser: argparse.ArgumentParser,
                    cfg_options_example: str) -> None:
    """Add ``--work-dir``, ``--cfg-options``, ``--launcher`` and
    ``--local-rank``, as MMOCR's tools have them."""
    parser.add_argument('--work-dir', help='where logs and checkpoints go')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help=f'override config settings, e.g. {cfg_options_example}')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_runner_args(parser: argparse.ArgumentParser,
                      argv=None) -> argparse.Namespace:
    """Parse, and export ``LOCAL_RANK`` for launchers that pass it as an
    argument rather than in the environment."""
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def load_runner_config(args: argparse.Namespace) -> Config:
    """``args.config`` with the launcher, ``--cfg-options`` and the work dir
    applied (default ``./work_dirs/<config name>``)."""
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config {args.config} not found')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


def newest_match(pattern: str) -> Optional[str]:
    """The most recently written file matching the glob ``pattern`` (e.g. a
    run's ``best_recog_1-NED_iter_*.pth``), or None if none does."""
    matches = sorted(glob.glob(pattern), key=osp.getmtime)
    return matches[-1] if matches else None
