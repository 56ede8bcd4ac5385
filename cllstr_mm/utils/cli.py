"""Command-line pieces shared by ``tools/train.py`` and ``tools/test.py``:
the MMOCR-style options every runner tool takes, the config they build,
finding the newest checkpoint of a run, the data tools' ``--vocab-size``,
and the model options of the reading tools (``tools/infer.py``,
``tools/webui.py``)."""
import argparse
import glob
import os
import os.path as osp
from typing import Dict, Optional, Sequence

from mmengine.config import Config, DictAction

from ..apis.detectors import OFFLINE_DETECTOR
from .languages import LANGUAGES


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


def add_reader_args(parser: argparse.ArgumentParser,
                    allow_none: bool = False) -> None:
    """Add ``--rec``, ``--rec-weights``, ``--det`` and ``--det-weights``:
    the recogniser (default the released one) and the detector (default
    the offline one) of a tool that reads photos. ``allow_none``: the tool
    also takes ``--det none`` (each image read as one word) and
    ``--det-weights none`` (an untrained detector, for tests only)."""
    parser.add_argument(
        '--rec', help='recogniser config (default: the released model)')
    parser.add_argument(
        '--rec-weights',
        help='recogniser checkpoint, .pth or .onnx (default: the released '
        'weights, with the released config only)')
    det_help = (f'detector: {OFFLINE_DETECTOR} (default, offline), a name of '
                "MMOCR's model zoo (e.g. DBNet; downloaded)")
    det_weights_help = 'detector checkpoint (a config needs one'
    if allow_none:
        det_help += (', a detector config, or "none" (each image read as '
                     'one word)')
        det_weights_help += '; "none": run it untrained, for tests only)'
    else:
        det_help += ' or a detector config'
        det_weights_help += ')'
    parser.add_argument('--det', default=OFFLINE_DETECTOR, help=det_help)
    parser.add_argument(
        '--det-weights', default=None, help=det_weights_help)


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


def parse_vocab_sizes(values: Sequence[str],
                      langs: Sequence[str]) -> Dict[str, int]:
    """``--vocab-size`` values (``N`` for every language, ``LANG=N`` for one)
    to a size per language of ``langs``; exits with a one-line error."""
    sizes, default = {}, None
    for value in values:
        lang, _, num = value.rpartition('=')
        if not num.isdigit() or (lang and lang not in LANGUAGES):
            raise SystemExit(f'--vocab-size: expected N or LANG=N with LANG '
                             f'in {list(LANGUAGES)}, got {value!r}')
        if lang:
            sizes[lang] = int(num)
        else:
            default = int(num)
    missing = [lang for lang in langs if lang not in sizes]
    if missing and default is None:
        raise SystemExit(f'--vocab-size: no size for {missing}')
    return {lang: sizes.get(lang, default) for lang in langs}
