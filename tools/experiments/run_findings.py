"""Reproduce CLL-STR's three findings in kind on synthetic data.

    python tools/experiments/run_findings.py [--scale {cpu,gpu}] [--seed 0]
        [--work-dir DIR] [--iters N] [--chart PNG] [--dry-run]

1. Joint learning with high-resource scripts does not hurt a low-resource
   one: BEN alone vs BEN + HIN + LAT.
2. Cascade learning from a similar script is not better than from a
   dissimilar one: HIN -> BEN vs LAT -> BEN.
3. More data of another script helps the low-resource one: Base (BEN, HIN,
   LAT all small) vs Base + SynthMLT KOR.

The runner writes the data with tools/data/synth_text.py (fixed seed), then
trains and tests each run of configs/textrecog/cllstr/experiments/ with
tools/train.py and tools/test.py (the scale's lengths and the seed go in as
--cfg-options), prints the per-language 1-NED table per finding and draws
them as a bar chart. A run whose test results exist is not run again, so
the same command resumes an interrupted experiment.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from cllstr_mm.utils.cli import newest_match
from cllstr_mm.utils.report import format_table

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join('configs', 'textrecog', 'cllstr', 'experiments')
CONFIG_PREFIX = 'crnn_vgg-bilstm_1xb32_synth'
#: Scripts every run is scored on (the configs' test select_data lang_BHLK),
#: in tools/test.py's column order.
EVAL_LANGS = ('BEN', 'HIN', 'KOR', 'LAT')
TARGET = 'BEN'


@dataclass(frozen=True)
class Scale:
    """Data sizes and run lengths of one experiment scale.

    ``train``: training images per folder (``SynthMLT_KOR`` for the extra
    data); ``vocab``: words drawn from per script (few for the low-resource
    target, so its few images still repeat each word); ``caps``: the Base
    runs' data_usage; ``iters``: iterations of a run from scratch (cascade
    runs train half as long from their source's best checkpoint).
    """
    train: Mapping[str, int]
    val: int
    test: int
    vocab: Mapping[str, int]
    caps: Mapping[str, int]
    iters: int
    batch_size: int
    num_workers: int
    val_interval: int


VOCAB = {'BEN': 50, 'HIN': 200, 'LAT': 1000, 'KOR': 100}
SCALES = {
    # 2,800 iterations in all: 65-95 minutes on 2 shared CPU cores
    # (docs/experiments/README.md).
    'cpu':
    Scale(
        train={'BEN': 200, 'HIN': 2000, 'LAT': 2000, 'SynthMLT_KOR': 2000},
        val=60,
        test=200,
        vocab=VOCAB,
        caps={'HIN': 200, 'LAT': 200},
        iters=400,
        batch_size=32,
        num_workers=1,
        val_interval=100),
    # Ten times the data, a GPU-sized batch and run.
    'gpu':
    Scale(
        train={
            'BEN': 2000,
            'HIN': 20000,
            'LAT': 20000,
            'SynthMLT_KOR': 20000
        },
        val=200,
        test=500,
        vocab={
            **VOCAB, 'BEN': 150
        },
        caps={'HIN': 2000, 'LAT': 2000},
        iters=10000,
        batch_size=128,
        num_workers=4,
        val_interval=1000),
}


@dataclass(frozen=True)
class Run:
    """One training run: a leaf config; for a cascade the run whose best
    checkpoint it starts from; ``capped`` for the Base runs, whose
    high-resource scripts take the scale's caps."""
    name: str
    config: str
    source: Optional[str] = None
    capped: bool = False

    @property
    def config_path(self) -> str:
        return osp.join(CONFIG_DIR, f'{CONFIG_PREFIX}-{self.config}.py')


RUNS = (
    Run('mono BEN', 'lang-B'),
    Run('joint BEN+HIN+LAT', 'joint'),
    Run('HIN only', 'lang-H'),
    Run('LAT only', 'lang-L'),
    Run('cascade HIN->BEN', 'cascade-hin-ben', source='HIN only'),
    Run('cascade LAT->BEN', 'cascade-lat-ben', source='LAT only'),
    Run('Base', 'base', capped=True),
    Run('Base + SynthMLT KOR', 'base-synthmlt-kor', capped=True),
)


@dataclass(frozen=True)
class Finding:
    """A published finding and the runs that test it: it holds when
    ``runs[1]`` scores on ``TARGET`` at least ``runs[0]`` minus the
    tolerance (``expect='not worse'``) or more than ``runs[0]`` plus the
    tolerance (``expect='better'``). ``shown``: runs also put in its table
    and chart panel, for reference."""
    title: str
    claim: str
    runs: Tuple[str, str]
    expect: str
    shown: Tuple[str, ...] = ()


FINDINGS = (
    Finding('1. joint vs monolingual',
            'joint learning does not hurt the low-resource script',
            ('mono BEN', 'joint BEN+HIN+LAT'), 'not worse'),
    Finding('2. cascade: similar vs dissimilar source',
            'a similar source is not better than a dissimilar one',
            ('cascade HIN->BEN', 'cascade LAT->BEN'), 'not worse',
            shown=('mono BEN', )),
    Finding('3. Base vs Base + more data of another script',
            'more data of any script raises the low-resource script',
            ('Base', 'Base + SynthMLT KOR'), 'better'),
)


def run_dir(work_dir: str, run: Run) -> str:
    return osp.join(work_dir, run.config)


def data_commands(scale: Scale, seed: int, data_root: str) -> List[List[str]]:
    """tools/data/synth_text.py calls that write the experiment data."""
    common = [
        '--seed',
        str(seed), '--height', '32', '32', '--jpeg-quality', '50', '80',
        '--workers',
        str(os.cpu_count()), '--overwrite'
    ]
    cmds = []
    for folder, num in scale.train.items():
        lang = folder.rpartition('_')[2]
        where = ['--synthmlt'] if folder.startswith('SynthMLT_') else [
            '--split', 'training'
        ]
        cmds.append((lang, where, num))
    for lang in EVAL_LANGS:
        if lang in scale.train:
            cmds.append((lang, ['--split', 'validation'], scale.val))
        cmds.append((lang, ['--split', 'evaluation'], scale.test))
    return [[
        sys.executable, 'tools/data/synth_text.py', '--out', data_root,
        '--langs', lang, '--vocab-size',
        str(scale.vocab[lang]), '--num',
        str(num), *where, *common
    ] for lang, where, num in cmds]


def cfg_options(run: Run, scale: Scale, seed: int, data_root: str,
                work_dir: str) -> List[str]:
    """--cfg-options of ``run`` at ``scale``: data root, seed, lengths and,
    for a cascade, its source's checkpoint."""
    iters = scale.iters // 2 if run.source else scale.iters
    interval = scale.val_interval // 2 if run.source else scale.val_interval
    opts = [f'randomness.seed={seed}']
    for loader in ('train', 'val', 'test'):
        opts.append(f'{loader}_dataloader.dataset.data_root={data_root}')
    opts += [
        f'train_dataloader.batch_size={scale.batch_size}',
        f'train_dataloader.num_workers={scale.num_workers}',
        f'train_cfg.max_iters={iters}',
        f'train_cfg.dynamic_intervals=[(3,{interval})]',
        f'default_hooks.checkpoint.interval={iters}',
    ]
    if run.capped:
        opts += [
            f'train_dataloader.dataset.data_usage.{lang}={cap}'
            for lang, cap in scale.caps.items()
        ]
    if run.source:
        source = next(r for r in RUNS if r.name == run.source)
        opts.append('load_from=' + osp.join(
            run_dir(work_dir, source), 'best_recog_1-NED_iter_*.pth'))
    return opts


def train_command(run: Run, scale: Scale, seed: int, data_root: str,
                  work_dir: str) -> List[str]:
    return [
        sys.executable, 'tools/train.py', run.config_path, '--work-dir',
        run_dir(work_dir, run), '--cfg-options',
        *cfg_options(run, scale, seed, data_root, work_dir)
    ]


def test_command(run: Run, checkpoint: str, data_root: str,
                 work_dir: str) -> List[str]:
    return [
        sys.executable, 'tools/test.py', run.config_path, checkpoint,
        '--work-dir',
        run_dir(work_dir, run), '--out',
        osp.join(run_dir(work_dir, run), 'test_results.json'),
        '--cfg-options', *[
            f'{loader}_dataloader.dataset.data_root={data_root}'
            for loader in ('train', 'val', 'test')
        ]
    ]


def best_checkpoint(run_work_dir: str) -> str:
    found = newest_match(
        osp.join(run_work_dir, 'best_recog_1-NED_iter_*.pth'))
    if found is None:
        raise FileNotFoundError(
            f'no best_recog_1-NED_iter_*.pth in {run_work_dir}: its training '
            'did not finish; see its log there')
    return found


def scores(metrics: Mapping[str, float]) -> Dict[str, float]:
    """Per-language and pooled 1-NED from tools/test.py's metrics."""
    out = {
        lang: metrics[f'recog/{lang}/1-NED']
        for lang in EVAL_LANGS if f'recog/{lang}/1-NED' in metrics
    }
    out['total'] = metrics['recog/1-NED']
    return out


def finding_runs(finding: Finding) -> Tuple[str, ...]:
    return finding.shown + finding.runs


def format_tables(results: Mapping[str, Mapping[str, float]],
                  tolerance: float) -> str:
    """Per finding, a 1-NED table (run x language) and whether the finding
    held for the target script."""
    lines = []
    cols = list(EVAL_LANGS) + ['total']
    for finding in FINDINGS:
        lines += ['', f'{finding.title}: {finding.claim}']
        names = [n for n in finding_runs(finding) if n in results]
        width = max([len(n) for n in names] + [5])
        lines.append('run'.ljust(width) + ''.join(c.rjust(8) for c in cols))
        for name in names:
            lines.append(name.ljust(width) + ''.join(
                f'{results[name].get(c, float("nan")):8.2f}' for c in cols))
        verdict = judge(finding, results, tolerance)
        if verdict:
            lines.append(verdict)
    return '\n'.join(lines)


def judge(finding: Finding, results: Mapping[str, Mapping[str, float]],
          tolerance: float) -> Optional[str]:
    """One line saying whether ``finding`` held on the target script, or
    None while one of its runs has no results."""
    first, second = finding.runs
    if first not in results or second not in results:
        return None
    diff = results[second][TARGET] - results[first][TARGET]
    if finding.expect == 'better':
        held = diff > tolerance
    else:
        held = diff >= -tolerance
    return (f'{TARGET}: {second} - {first} = {diff:+.2f} 1-NED -> '
            f'{"held" if held else "did not hold"} (tolerance {tolerance})')


def draw_chart(results: Mapping[str, Mapping[str, float]], out_file: str,
               title: str = '') -> None:
    """One panel per finding: grouped bars of 1-NED (0-100) per language,
    one bar per run; runs without results are left out."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, len(FINDINGS), figsize=(5 * len(FINDINGS), 4), sharey=True)
    for ax, finding in zip(axes, FINDINGS):
        names = [n for n in finding_runs(finding) if n in results]
        width = 0.8 / max(len(names), 1)
        for i, name in enumerate(names):
            xs = [j + (i - (len(names) - 1) / 2) * width
                  for j in range(len(EVAL_LANGS))]
            ys = [results[name].get(lang, 0.0) for lang in EVAL_LANGS]
            bars = ax.bar(xs, ys, width, label=name)
            ax.bar_label(bars, fmt='%.0f', fontsize=7)
        ax.set_xticks(
            range(len(EVAL_LANGS)),
            [f'{lang}\n(target)' if lang == TARGET else lang
             for lang in EVAL_LANGS])
        ax.set_title(finding.title, fontsize=10)
        ax.set_ylim(0, 100)
        ax.legend(fontsize=8, loc='upper right')
    axes[0].set_ylabel('1-NED (x100), evaluation set')
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    fig.savefig(out_file, dpi=100)
    plt.close(fig)


def parse_args(argv: Optional[Sequence[str]] = None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('--scale', choices=sorted(SCALES), default='cpu')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of the generated data and of training')
    parser.add_argument(
        '--work-dir',
        help='data, runs and results (default: '
        'work_dirs/experiments/<scale>_seed<seed>)')
    parser.add_argument(
        '--iters',
        type=int,
        help='iterations of a run from scratch instead of the scale\'s '
        '(e.g. 5 to check the pipeline)')
    parser.add_argument(
        '--chart', help='bar chart PNG (default: <work-dir>/findings.png)')
    parser.add_argument(
        '--tolerance',
        type=float,
        default=2.0,
        help='1-NED points within which two runs count as equal')
    parser.add_argument(
        '--dry-run',
        action='store_true',
        help='print the commands and exit without running them')
    return parser.parse_args(argv)


def get_scale(args) -> Scale:
    scale = SCALES[args.scale]
    if args.iters is None:
        return scale
    if args.iters < 2:
        raise SystemExit(f'--iters must be >= 2, got {args.iters}')
    return replace(
        scale,
        iters=args.iters,
        val_interval=min(scale.val_interval, args.iters))


def plan(args) -> List[Tuple[str, List[str]]]:
    """(what, command) pairs: data generation, then per run train + test.
    Test commands name the checkpoint pattern; it is resolved after
    training."""
    scale = get_scale(args)
    data_root = osp.join(args.work_dir, 'data')
    steps = [(f'data {cmd[cmd.index("--langs") + 1]}', cmd)
             for cmd in data_commands(scale, args.seed, data_root)]
    for run in RUNS:
        steps.append((f'train {run.name}',
                      train_command(run, scale, args.seed, data_root,
                                    args.work_dir)))
        steps.append((f'test {run.name}',
                      test_command(
                          run,
                          osp.join(
                              run_dir(args.work_dir, run),
                              'best_recog_1-NED_iter_*.pth'), data_root,
                          args.work_dir)))
    return steps


def execute(cmd: List[str], log_file: str) -> None:
    """Run ``cmd`` from the repository root, its output to the console and
    appended to ``log_file``."""
    print('$ ' + shlex.join(cmd), flush=True)
    with open(log_file, 'a', encoding='utf-8') as log:
        log.write('$ ' + shlex.join(cmd) + '\n')
        log.flush()
        proc = subprocess.run(cmd, cwd=REPO, stdout=log, stderr=log)
    if proc.returncode:
        raise SystemExit(f'command failed ({proc.returncode}); see '
                         f'{log_file}:\n{shlex.join(cmd)}')


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    args.work_dir = args.work_dir or osp.join(
        'work_dirs', 'experiments', f'{args.scale}_seed{args.seed}')
    chart = args.chart or osp.join(args.work_dir, 'findings.png')
    if args.dry_run:
        for what, cmd in plan(args):
            print(f'# {what}\n{shlex.join(cmd)}')
        return

    scale = get_scale(args)
    data_root = osp.join(args.work_dir, 'data')
    os.makedirs(osp.join(REPO, args.work_dir), exist_ok=True)
    stamp = osp.join(REPO, data_root, 'done.json')
    spec = dict(scale=args.scale, seed=args.seed)
    if not osp.isfile(stamp):
        start = time.time()
        for cmd in data_commands(scale, args.seed, data_root):
            execute(cmd, osp.join(REPO, args.work_dir, 'data.log'))
        with open(stamp, 'w', encoding='utf-8') as f:
            json.dump(spec, f)
        print(f'data written in {time.time() - start:.0f} s', flush=True)

    results, timings = {}, {}
    for run in RUNS:
        out_dir = osp.join(REPO, run_dir(args.work_dir, run))
        results_file = osp.join(out_dir, 'test_results.json')
        timing_file = osp.join(out_dir, 'train_seconds.json')
        if not osp.isfile(results_file):
            os.makedirs(out_dir, exist_ok=True)
            log = osp.join(out_dir, 'run.log')
            start = time.time()
            execute(
                train_command(run, scale, args.seed, data_root,
                              args.work_dir), log)
            with open(timing_file, 'w', encoding='utf-8') as f:
                json.dump(time.time() - start, f)
            execute(
                test_command(run, best_checkpoint(out_dir), data_root,
                             args.work_dir), log)
        if osp.isfile(timing_file):
            with open(timing_file, encoding='utf-8') as f:
                timings[run.name] = round(json.load(f))
            print(f'{run.name}: trained in {timings[run.name]} s', flush=True)
        with open(results_file, encoding='utf-8') as f:
            tested = json.load(f)
        results[run.name] = scores(tested['metrics'])
        print(
            format_table(
                tested['metrics'],
                name=run.name,
                ms_per_image=tested['ms_per_image'],
                num_params=tested['num_params']),
            flush=True)

    print(format_tables(results, args.tolerance))
    with open(
            osp.join(REPO, args.work_dir, 'findings.json'), 'w',
            encoding='utf-8') as f:
        json.dump(
            dict(spec, results=results, train_seconds=timings), f, indent=2)
    draw_chart(
        results,
        osp.join(REPO, chart),
        title=f'CLL-STR findings on synthetic data ({args.scale} scale, '
        f'seed {args.seed})')
    print(f'chart: {chart}')


if __name__ == '__main__':
    main()
