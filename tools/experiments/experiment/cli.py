"""The options both runners take: where runs and reports go, runs at a
time, seeds and the hinge rule, the verdict rule, collecting, dry runs and
options for every command."""
import argparse
from typing import Optional


def add_set_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--work-dir',
        help='runs and results (default: work_dirs/experiments/<scale>)')
    parser.add_argument(
        '--report-dir',
        help='where the report, its charts and the records of the runs go '
        '(default: <work-dir>)')
    parser.add_argument(
        '--jobs', type=int, help='runs at a time (default: the scale\'s; '
        'each gets an equal share of the cores)')
    parser.add_argument(
        '--seeds', type=int, default=2,
        help='training seeds 0..K-1 of every run')
    parser.add_argument(
        '--max-seeds', type=int, default=3,
        help='seeds of the runs of a claim whose verdict hinges on a few '
        'points')
    parser.add_argument(
        '--data-seed', type=int, default=0,
        help='seed of the generated data (the same for every training '
        'seed)')
    parser.add_argument(
        '--margin', type=float, default=2.0,
        help='1-NED points by which a run must fall behind to be "worse"')
    parser.add_argument(
        '--noise-floor', type=float, default=1.0,
        help='least noise band (points) whatever the seeds\' spread')
    parser.add_argument(
        '--hinge', type=float, default=5.0,
        help='a claim whose runs differ by less gets --max-seeds seeds')
    parser.add_argument(
        '--collect', action='store_true',
        help='run nothing: report the runs that are finished')
    parser.add_argument(
        '--dry-run', action='store_true',
        help='print the commands (and the time estimate) and exit')
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
        help='appended to every train and test command (they win), e.g. '
        'train_dataloader.num_workers=2')


def check_set_args(parser: argparse.ArgumentParser, args: argparse.Namespace,
                   default_jobs: Optional[int]) -> None:
    """Refuse inconsistent options; fill in the report dir and jobs."""
    if args.seeds < 1 or args.max_seeds < args.seeds:
        parser.error('need 1 <= --seeds <= --max-seeds')
    args.report_dir = args.report_dir or args.work_dir
    if args.jobs is None:
        args.jobs = default_jobs or 1
    bad = [o for o in args.cfg_options if '=' not in o]
    if bad:
        parser.error(f'--cfg-options takes KEY=VALUE, got {bad}')
