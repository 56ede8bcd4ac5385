"""CLL-STR's three findings, on synthetic data at CPU or GPU scale, and the
paper's own recipes on the real data.

    python tools/experiments/run_findings.py [--scale {cpu,gpu,paper}]
        [--work-dir DIR] [--data-root DIR] [--report-dir DIR] [--jobs N]
        [--seeds K] [--max-seeds M] [--only ID [ID ...]] [--iters N]
        [--images N] [--collect] [--dry-run] [--cfg-options KEY=VALUE ...]

The synthetic scales (cpu, gpu) test each finding on the low-resource
script BEN:

1. joint learning with a high-resource script does not hurt it: BEN alone
   vs BEN + HIN + LAT (LAT ten times as large), as many iterations;
2. cascade learning from a similar script is not better than from a
   dissimilar one: HIN -> BEN vs LAT -> BEN, from sources of equal size;
3. more data of any script raises it: Base (BEN, HIN, LAT, all small) vs
   Base + SynthMLT KOR, as many iterations.

The runner writes the data with tools/data/synth_text.py (validation and
evaluation words held out of training), trains and tests every run of
configs/textrecog/cllstr/experiments/ per seed with tools/train.py and
tools/test.py, tests whether each run's validation 1-NED has plateaued,
adds a seed where a verdict hinges on a few points, and writes
findings.json, findings.md, a bar chart with the seed spread and the
learning curves. --scale paper runs the recipes of configs/textrecog/cllstr/
behind Tables 2-4 (SVTR-Tiny and CRNN) on the CLL-STR data with the
original schedule and prints the paper's tables. A run whose test results
exist is not run again and an interrupted one resumes from its last
checkpoint, so the same command continues a set across sessions; on the
synthetic scales, the records of finished runs kept in <report-dir>/runs
restore them on a machine that lacks the work dir.
docs/experiments/README.md describes the design.
"""
import argparse
import fnmatch
import importlib.util
import json
import math
import os
import os.path as osp
import shlex
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from cllstr_mm.utils.checkpoint import atomic_write
from cllstr_mm.utils.cli import newest_match
from cllstr_mm.utils.languages import TABLE_ORDER

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_ROOT = osp.join('configs', 'textrecog', 'cllstr')
CONFIG_DIR = osp.join(CONFIG_ROOT, 'experiments')
CONFIG_PREFIX = 'svtr-tiny_1xb32_synth'
LOADERS = ('train', 'val', 'test')
BEST = 'best_recog_1-NED_iter_*.pth'
#: Folder of the report dir that keeps a record of each finished run.
RECORD_DIR = 'runs'
#: Scripts every synthetic run is scored on (the configs' test select_data
#: lang_BHLK), in tools/test.py's column order.
EVAL_LANGS = ('BEN', 'HIN', 'KOR', 'LAT')
TARGET = 'BEN'
#: A run has plateaued when its best validation 1-NED rose by less than
#: PLATEAU_GAIN points over the last TAIL of its iterations.
PLATEAU_GAIN = 1.0
TAIL = 0.2
#: Validations of a synthetic run after its first iteration (every 10 %).
VAL_POINTS = 10


def _load_learning_curve():
    """tools/analysis_tools/learning_curve.py, the one reader of a run's
    validation records (it merges resumed sessions)."""
    spec = importlib.util.spec_from_file_location(
        'learning_curve',
        osp.join(REPO, 'tools', 'analysis_tools', 'learning_curve.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


learning_curve = _load_learning_curve()


@dataclass(frozen=True)
class Scale:
    """Data sizes and run lengths of a synthetic scale.

    ``train``: training images per folder (``SynthMLT_KOR`` for the extra
    data); ``val``: validation images per trained script; ``test``:
    evaluation images per script; ``vocab``: the most frequent usable words
    drawn from per script, of which one in ten is held out for validation
    and evaluation; ``low``: the low-resource size, to which the capped runs
    cut LAT; ``iters``: iterations of a run from scratch (each run takes
    its share); ``seconds_per_iter`` and ``run_overhead_s``: the estimate
    the dry run prints (None where nothing was measured).
    """
    train: Mapping[str, int]
    val: Mapping[str, int]
    test: int
    vocab: Mapping[str, int]
    low: int
    iters: int
    batch_size: int
    lr: float
    num_workers: int
    jobs: int
    seconds_per_iter: Optional[float] = None
    run_overhead_s: Optional[float] = None


SCALES = {
    # 17,600 iterations of batch 32 for two seeds, about 3.1 hours on the
    # idle 2-core machine (docs/experiments/README.md).
    'cpu':
    Scale(
        train={'BEN': 250, 'HIN': 250, 'LAT': 2500, 'SynthMLT_KOR': 2500},
        val={'BEN': 300, 'HIN': 150, 'LAT': 150},
        test=500,
        vocab={'BEN': 5000, 'HIN': 5000, 'KOR': 5000, 'LAT': 10000},
        low=250,
        iters=1600,
        batch_size=32,
        lr=3e-4,
        num_workers=1,
        jobs=1,
        # the quick start: 900 iterations of SVTR-Tiny at batch 32 in
        # about 8.5 minutes, validation and start-up included
        seconds_per_iter=0.567,
        # start-ups, 11 validations, 10 checkpoints and the test of a run
        run_overhead_s=90),
    # Ten times the data at the same ratios, the paper's batch and lr, and
    # as many epochs; four runs at a time share one GPU and its CPU cores.
    'gpu':
    Scale(
        train={
            'BEN': 2500,
            'HIN': 2500,
            'LAT': 25000,
            'SynthMLT_KOR': 25000
        },
        val={'BEN': 1000, 'HIN': 500, 'LAT': 500},
        test=1000,
        vocab={'BEN': 20000, 'HIN': 16000, 'KOR': 20000, 'LAT': 40000},
        low=2500,
        iters=4000,
        batch_size=128,
        lr=1e-3,
        num_workers=3,
        jobs=4),
}


@dataclass(frozen=True)
class Run:
    """A synthetic run: its leaf config ``<CONFIG_PREFIX>-<id>.py``, its
    share of the scale's iterations, the run whose best checkpoint it starts
    from (a cascade) and whether LAT is capped to the low-resource size."""
    name: str
    id: str
    share: float = 1.0
    source: Optional[str] = None
    capped: bool = False

    @property
    def config_path(self) -> str:
        return osp.join(CONFIG_DIR, f'{CONFIG_PREFIX}-{self.id}.py')


RUNS = (
    Run('mono BEN', 'lang-B'),
    Run('joint BEN+HIN+LAT', 'joint'),
    Run('HIN only', 'lang-H', 0.5),
    Run('LAT only (capped)', 'lang-L', 0.5, capped=True),
    Run('cascade HIN->BEN', 'cascade-hin-ben', 0.25, source='lang-H'),
    Run('cascade LAT->BEN', 'cascade-lat-ben', 0.25, source='lang-L'),
    Run('Base', 'base', capped=True),
    Run('Base + SynthMLT KOR', 'base-synthmlt-kor', capped=True),
)
RUN_BY_ID = {run.id: run for run in RUNS}


@dataclass(frozen=True)
class Finding:
    """A published finding and the two runs (ids) that test it on TARGET:
    ``expect='not worse'``: ``runs[1]`` is at most the margin below
    ``runs[0]``; ``'better'``: ``runs[1]`` is above ``runs[0]``. ``shown``:
    runs also put in its table and chart, for reference."""
    title: str
    claim: str
    runs: Tuple[str, str]
    expect: str
    shown: Tuple[str, ...] = ()


FINDINGS = (
    Finding('1. joint vs monolingual',
            'joint learning does not hurt the low-resource script',
            ('lang-B', 'joint'), 'not worse'),
    Finding('2. cascade: similar vs dissimilar source',
            'a similar source is not better than a dissimilar one',
            ('cascade-hin-ben', 'cascade-lat-ben'), 'not worse',
            shown=('lang-B', )),
    Finding('3. Base vs Base + more data of another script',
            'more data of any script raises the low-resource script',
            ('base', 'base-synthmlt-kor'), 'better',
            shown=('joint', )),
)

PAPER_MODELS = {'svtr-tiny': 'SVTR-Tiny', 'crnn_vgg-bilstm': 'CRNN'}


@dataclass(frozen=True)
class Recipe:
    """A paper recipe: ``<model>_<config>.py`` of configs/textrecog/cllstr,
    the select_data of a monolingual run (train and validation) and the
    recipe whose best checkpoint a cascade starts from."""
    id: str
    config: str
    select: Optional[str] = None
    source: Optional[str] = None


PAPER_RECIPES = tuple(
    Recipe(f'mono-{lang}', '1xb128-100k_mlt19-lang-L', f'lang_{lang[0]}')
    for lang in TABLE_ORDER) + (
        Recipe('joint', '1xb128-100k_mlt19-joint'),
        Recipe('joint-no-lat', '1xb128-100k_mlt19-joint-no-lat'),
        Recipe('cascade-lat-hin', '1xb128-10k_mlt19-cascade-lat-hin',
               source='mono-LAT'),
        Recipe('base', '1xb128-100k_mlt19-base'),
        Recipe('base-synthmlt-kor2k', '1xb128-100k_mlt19-base-synthmlt-kor2k'),
        Recipe('base-synthmlt-kor', '1xb128-100k_mlt19-base-synthmlt-kor'),
    )
#: The paper's tables: (title, ((row label, recipe id), ...)); 'mono' is the
#: row of each script read by the model trained on it alone.
PAPER_TABLES = (
    ('Table 2: monolingual vs joint learning',
     (('mono (each script alone)', 'mono'), ('joint (lang_CBHJAKL)', 'joint'),
      ('joint without LAT (lang_CBHJAK)', 'joint-no-lat'))),
    ('Table 3: cascade learning LAT -> HIN',
     (('LAT alone', 'mono-LAT'), ('HIN alone', 'mono-HIN'),
      ('cascade LAT -> HIN', 'cascade-lat-hin'))),
    ('Table 4: Base + SynthMLT KOR',
     (('Base (LAT capped at 2K)', 'base'),
      ('Base + 2K SynthMLT KOR', 'base-synthmlt-kor2k'),
      ('Base + all SynthMLT KOR', 'base-synthmlt-kor'),
      ('joint (all LAT)', 'joint'))),
)


@dataclass(frozen=True)
class Task:
    """One training run and its test: ``key`` names it (``<run>/seed<k>``
    or ``<model>/<recipe>``); ``after`` is the key of the run whose
    checkpoint it starts from."""
    key: str
    config: str
    work_dir: str
    options: Tuple[str, ...]
    test_options: Tuple[str, ...]
    after: Optional[str] = None


def train_command(task: Task, resume: bool = False) -> List[str]:
    return [
        sys.executable, 'tools/train.py', task.config, '--work-dir',
        task.work_dir, *(['--resume'] if resume else []), '--cfg-options',
        *task.options
    ]


def test_command(task: Task, checkpoint: str) -> List[str]:
    return [
        sys.executable, 'tools/test.py', task.config, checkpoint,
        '--work-dir', task.work_dir, '--out',
        osp.join(task.work_dir, 'test_results.json'), '--cfg-options',
        *task.test_options
    ]


def data_root_options(data_root: str) -> List[str]:
    return [
        f'{loader}_dataloader.dataset.data_root={data_root}'
        for loader in LOADERS
    ]


# --- synthetic scales ------------------------------------------------------


def run_iters(run: Run, scale: Scale) -> int:
    return max(2, round(scale.iters * run.share))


def run_dir(work_dir: str, run_id: str, seed: int) -> str:
    return osp.join(work_dir, run_id, f'seed{seed}')


def synth_task(run: Run, seed: int, scale: Scale, args) -> Task:
    """``run`` at ``scale`` with training seed ``seed``: the data root,
    lengths, caps and a cascade's source checkpoint go in as
    --cfg-options, then the user's own."""
    iters = run_iters(run, scale)
    interval = max(1, iters // VAL_POINTS)
    data = data_root_options(args.data_root)
    opts = [
        f'randomness.seed={seed}', *data,
        f'train_dataloader.batch_size={scale.batch_size}',
        f'train_dataloader.num_workers={scale.num_workers}',
        f'optim_wrapper.optimizer.lr={scale.lr}',
        f'train_cfg.max_iters={iters}',
        f'train_cfg.dynamic_intervals=[(3,{interval})]',
        f'default_hooks.checkpoint.interval={interval}'
    ]
    if run.capped:
        opts.append(f'train_dataloader.dataset.data_usage.LAT={scale.low}')
    after = None
    if run.source:
        opts.append('load_from=' +
                    osp.join(run_dir(args.work_dir, run.source, seed), BEST))
        after = f'{run.source}/seed{seed}'
    return Task(f'{run.id}/seed{seed}', run.config_path,
                run_dir(args.work_dir, run.id, seed),
                tuple(opts + args.cfg_options),
                tuple(data + args.cfg_options), after)


def with_sources(ids: Sequence[str], source_of: Mapping[str,
                                                         Optional[str]],
                 order: Sequence[str]) -> List[str]:
    """``ids`` and the sources they start from, in ``order``."""
    wanted = set(ids)
    for run_id in ids:
        while source_of.get(run_id):
            run_id = source_of[run_id]
            wanted.add(run_id)
    return [i for i in order if i in wanted]


def select(only: Optional[Sequence[str]], source_of: Mapping[str,
                                                              Optional[str]],
           order: Sequence[str]) -> List[str]:
    """Ids matching the ``--only`` patterns (fnmatch), with their sources;
    every id when there are none."""
    if not only:
        return list(order)
    picked = []
    for pattern in only:
        matched = [i for i in order if fnmatch.fnmatchcase(i, pattern)]
        if not matched:
            raise SystemExit(f'--only {pattern!r} matches no run; the runs '
                             f'are: {" ".join(order)}')
        picked += matched
    return with_sources(picked, source_of, order)


def workers_for(num: int) -> int:
    """Generator processes for ``num`` images per script: one for small
    folders (a pool costs more than it saves), up to every core."""
    return min(os.cpu_count() or 1, max(1, num // 250))


def data_commands(scale: Scale,
                  seed: int,
                  data_root: str,
                  images: Optional[int] = None) -> List[List[str]]:
    """tools/data/synth_text.py calls that write a scale's data, one per
    split and size: training words for training and SynthMLT, held-out
    words for validation and evaluation. ``images`` caps every folder."""
    groups: Dict[Tuple[str, int], List[str]] = {}

    def add(where: str, lang: str, num: int) -> None:
        num = min(num, images) if images else num
        groups.setdefault((where, num), []).append(lang)

    for folder, num in scale.train.items():
        if folder.startswith('SynthMLT_'):
            add('synthmlt', folder[len('SynthMLT_'):], num)
        else:
            add('training', folder, num)
    for lang, num in scale.val.items():
        add('validation', lang, num)
    for lang in EVAL_LANGS:
        add('evaluation', lang, scale.test)
    cmds = []
    for (where, num), langs in groups.items():
        place = ['--synthmlt'] if where == 'synthmlt' else ['--split', where]
        words = 'train' if where in ('training', 'synthmlt') else 'heldout'
        cmds.append([
            sys.executable, 'tools/data/synth_text.py', '--out', data_root,
            '--langs', *langs, '--num',
            str(num), *place, '--vocab-size',
            *[f'{lang}={scale.vocab[lang]}' for lang in langs],
            '--word-split', words, '--seed',
            str(seed), '--height', '32', '32', '--jpeg-quality', '50', '80',
            '--workers',
            str(workers_for(num)), '--overwrite'
        ])
    return cmds


def data_spec(cmds: Sequence[List[str]]) -> List[List[str]]:
    """What fixes the data of ``cmds``: their arguments but the Python
    and ``--workers`` (the output does not depend on them)."""
    spec = []
    for cmd in cmds:
        i = cmd.index('--workers')
        spec.append(cmd[1:i] + cmd[i + 2:])
    return spec


def write_data(scale: Scale, args) -> None:
    """Write the data unless ``done.json`` says it was written with the
    same commands; a data root written otherwise is an error."""
    cmds = data_commands(scale, args.data_seed, args.data_root, args.images)
    spec = data_spec(cmds)
    stamp = osp.join(REPO, args.data_root, 'done.json')
    if osp.isfile(stamp):
        with open(stamp, encoding='utf-8') as f:
            if json.load(f) == spec:
                return
        raise SystemExit(
            f'{args.data_root} holds data written with other sizes or seeds '
            f'({stamp}); pass another --work-dir or --data-root, or remove it')
    os.makedirs(osp.join(REPO, args.data_root), exist_ok=True)
    start = time.time()
    for cmd in cmds:
        execute(cmd, osp.join(REPO, args.data_root, 'data.log'),
                subprocess_env(1))
    with atomic_write(stamp, 'w') as f:
        json.dump(spec, f)
    print(f'data written in {time.time() - start:.0f} s', flush=True)


def plateau_gain(curve: Sequence[Mapping[str, float]], key: str,
                 max_iters: int) -> Optional[float]:
    """Points the best validation 1-NED (``key``) rose in the last TAIL of
    a run of ``max_iters``: best overall minus best up to (1 - TAIL) of the
    run; None without a point in both parts."""
    values = [p[key] for p in curve if key in p]
    before = [
        p[key] for p in curve
        if key in p and p['iter'] <= (1 - TAIL) * max_iters
    ]
    if not before or len(values) == len(before):
        return None
    return max(values) - max(before)


def test_results_file(work_dir: str) -> str:
    """tools/test.py's results of a run: they mark it finished."""
    return osp.join(REPO, work_dir, 'test_results.json')


def finished(task: Task) -> bool:
    return osp.isfile(test_results_file(task.work_dir))


def read_metrics(work_dir: str) -> Optional[Dict[str, float]]:
    """tools/test.py's metrics of a finished run; None while its test
    results are missing."""
    path = test_results_file(work_dir)
    if not osp.isfile(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)['metrics']


def read_result(work_dir: str, batch_size: int) -> Optional[dict]:
    """A finished run's test metrics, validation curve and training time;
    None while its test results are missing."""
    metrics = read_metrics(work_dir)
    if metrics is None:
        return None
    out = osp.join(REPO, work_dir)
    timing_file = osp.join(out, 'timing.json')
    timing = {}
    if osp.isfile(timing_file):
        with open(timing_file, encoding='utf-8') as f:
            timing = json.load(f)
    return dict(
        metrics=metrics,
        curve=learning_curve.merge([],
                                   learning_curve.read_validations(out),
                                   batch_size),
        train_seconds=timing.get('train_seconds'))


def record_file(record_dir: str, key: str) -> str:
    """Where the record of run ``key`` (``<run>/seed<k>``) is kept."""
    return osp.join(REPO, record_dir, key + '.json')


def save_record(key: str, work_dir: str, record_dir: str) -> None:
    """Keep what the report needs of finished run ``key`` (its test
    results, timing and validation records, a few kB) in ``record_dir``,
    so that results survive the loss of the git-ignored work dir:
    committed with the report, they let the same command continue on a
    new machine."""
    out = osp.join(REPO, work_dir)
    with open(test_results_file(work_dir), encoding='utf-8') as f:
        record = dict(test_results=json.load(f), timing={},
                      validations=learning_curve.read_validations(out))
    timing_file = osp.join(out, 'timing.json')
    if osp.isfile(timing_file):
        with open(timing_file, encoding='utf-8') as f:
            record['timing'] = json.load(f)
    with atomic_write(record_file(record_dir, key), 'w') as f:
        json.dump(record, f, indent=1)


def restore_records(tasks: Sequence[Task], record_dir: str) -> None:
    """Write back the records of runs whose work dir has no test results,
    except a source whose unfinished, unrecorded cascade needs its
    checkpoint (a record has none): that source is trained again."""
    restorable = {
        t.key for t in tasks
        if not finished(t) and osp.isfile(record_file(record_dir, t.key))
    }
    for task in tasks:
        if task.after in restorable and not finished(task) and \
                task.key not in restorable:
            restorable.discard(task.after)
    for task in tasks:
        if task.key not in restorable:
            continue
        with open(record_file(record_dir, task.key), encoding='utf-8') as f:
            record = json.load(f)
        out = osp.join(REPO, task.work_dir)
        with atomic_write(osp.join(out, 'restored', 'vis_data',
                                   'scalars.json'), 'w') as f:
            f.writelines(json.dumps(v) + '\n' for v in record['validations'])
        with atomic_write(osp.join(out, 'timing.json'), 'w') as f:
            json.dump(record['timing'], f, indent=1)
        # last: test results are what marks the run finished
        with atomic_write(test_results_file(task.work_dir), 'w') as f:
            json.dump(record['test_results'], f, indent=1)
        print(f'{task.key}: restored from '
              f'{osp.relpath(record_file(record_dir, task.key), REPO)}',
              flush=True)


def lang_scores(metrics: Mapping[str, float], score: str = '1-NED',
                langs: Sequence[str] = EVAL_LANGS) -> Dict[str, float]:
    """Per-language and pooled ``score`` from tools/test.py's metrics."""
    out = {
        lang: metrics[f'recog/{lang}/{score}']
        for lang in langs if f'recog/{lang}/{score}' in metrics
    }
    out['total'] = metrics[f'recog/{score}']
    return out


def collect_synthetic(work_dir: str, scale: Scale, ids: Sequence[str],
                      max_seed: Optional[int] = None) -> Dict[str, dict]:
    """Per run id, its finished seeds (below ``max_seed`` if given):
    ``{seed: result}``."""
    found = {}
    for run_id in ids:
        root = osp.join(REPO, work_dir, run_id)
        seeds = {}
        names = sorted(os.listdir(root)) if osp.isdir(root) else []
        for name in names:
            if not name.startswith('seed') or not name[4:].isdigit():
                continue
            seed = int(name[4:])
            if max_seed is not None and seed >= max_seed:
                continue
            result = read_result(run_dir(work_dir, run_id, seed),
                                 scale.batch_size)
            if result is not None:
                seeds[seed] = result
        if seeds:
            found[run_id] = seeds
    return found


def _mean_sd(values: Sequence[float]) -> Tuple[float, Optional[float]]:
    sd = statistics.stdev(values) if len(values) > 1 else None
    return statistics.fmean(values), sd


def summarise(results: Mapping[str, Mapping[int, dict]],
              scale: Scale) -> Dict[str, dict]:
    """Per run id: test 1-NED per seed, mean and sd per script, and per
    seed the plateau test on the target's validation 1-NED (the pooled one
    for runs that do not validate on the target)."""
    summary = {}
    for run_id, seeds in results.items():
        run = RUN_BY_ID[run_id]
        iters = run_iters(run, scale)
        per_seed = {}
        for seed, result in sorted(seeds.items()):
            curve = result['curve']
            key = TARGET if any(TARGET in p for p in curve) else 'total'
            gain = plateau_gain(curve, key, iters)
            best = max(curve, key=lambda p: p.get(key, -1.0), default=None)
            per_seed[str(seed)] = dict(
                scores=lang_scores(result['metrics']),
                word_acc=lang_scores(result['metrics'], 'word_acc'),
                plateau_key=key,
                plateau_gain=gain,
                plateaued=gain is not None and gain < PLATEAU_GAIN,
                best_val_iter=best['iter'] if best else None,
                train_seconds=result['train_seconds'],
                curve=[{
                    k: p[k]
                    for k in ('iter', key, 'total') if k in p
                } for p in curve])
        mean, sd = {}, {}
        for lang in EVAL_LANGS + ('total', ):
            values = [
                s['scores'][lang] for s in per_seed.values()
                if lang in s['scores']
            ]
            if values:
                mean[lang], sd[lang] = _mean_sd(values)
        summary[run_id] = dict(
            name=run.name,
            config=run.config_path,
            iters=iters,
            seeds=per_seed,
            mean=mean,
            sd=sd)
    return summary


def converging(run_ids: Sequence[str],
               summary: Mapping[str, dict]) -> List[str]:
    """The runs that must have plateaued for a verdict on ``run_ids``:
    they and the cascade sources they start from."""
    sources = [
        RUN_BY_ID[r].source for r in run_ids
        if r in RUN_BY_ID and RUN_BY_ID[r].source in summary
    ]
    return list(run_ids) + sources


def judge(finding: Finding, summary: Mapping[str, dict], margin: float,
          noise_floor: float) -> Optional[dict]:
    """The verdict on ``finding`` from the target's evaluation 1-NED of
    its two runs, or None while one has no finished seed.

    ``diff`` = mean(runs[1]) - mean(runs[0]); ``noise`` = twice the
    standard error of that difference from the seed spread, at least
    ``noise_floor``. 'not worse' held when diff - noise >= -margin and did
    not hold when diff + noise < -margin; 'better' held when diff - noise
    > 0 and did not hold when diff + noise < margin. Anything else, one
    seed, or a run (or cascade source) that has not plateaued: cannot
    tell at this scale.
    """
    first, second = finding.runs
    if first not in summary or second not in summary:
        return None
    values = [[s['scores'][TARGET] for s in summary[r]['seeds'].values()]
              for r in finding.runs]
    diff = statistics.fmean(values[1]) - statistics.fmean(values[0])
    seeds = [len(v) for v in values]
    unconverged = [
        f'{summary[r]["name"]} seed {seed} (+{s["plateau_gain"]:.2f})'
        if s['plateau_gain'] is not None else
        f'{summary[r]["name"]} seed {seed} (no curve)'
        for r in converging(finding.runs, summary)
        for seed, s in summary[r]['seeds'].items() if not s['plateaued']
    ]
    noise = None
    if min(seeds) > 1:
        se = math.sqrt(sum(
            statistics.variance(v) / len(v) for v in values))
        noise = max(2 * se, noise_floor)
    if unconverged:
        verdict = 'cannot tell at this scale'
        why = 'not plateaued: ' + ', '.join(unconverged)
    elif noise is None:
        verdict, why = 'cannot tell at this scale', 'one seed: no spread'
    elif finding.expect == 'not worse':
        if diff - noise >= -margin:
            verdict = 'held'
            why = (f'at least {diff - noise:.2f} points above'
                   if diff - noise >= 0 else
                   f'at worst {noise - diff:.2f} points below')
        elif diff + noise < -margin:
            verdict = 'did not hold'
            why = f'at least {-(diff + noise):.2f} points below'
        else:
            verdict = 'cannot tell at this scale'
            why = f'the noise band straddles -{margin:g}'
    else:
        if diff - noise > 0:
            verdict = 'held'
            why = f'at least {diff - noise:.2f} points above'
        elif diff + noise < margin:
            verdict = 'did not hold'
            why = f'no gain of {margin:g} points or more'
        else:
            verdict = 'cannot tell at this scale'
            why = 'the noise band straddles the gain'
    names = [summary[r]['name'] for r in finding.runs]
    band = f' +- {noise:.2f}' if noise is not None else ''
    return dict(
        title=finding.title,
        claim=finding.claim,
        runs=list(finding.runs),
        expect=finding.expect,
        seeds=seeds,
        diff=diff,
        noise=noise,
        verdict=verdict,
        text=(f'{TARGET}: {names[1]} - {names[0]} = {diff:+.2f}{band} '
              f'1-NED ({"/".join(map(str, seeds))} seeds) -> {verdict} '
              f'({why})'))


def needs_extra_seed(verdict: Optional[dict], summary: Mapping[str, dict],
                     hinge: float) -> bool:
    """Whether a finding's verdict hinges on a few points: its runs have
    plateaued and they differ by less than ``hinge`` points, or the noise
    alone leaves it open."""
    if verdict is None or verdict['noise'] is None:
        return False
    if not all(s['plateaued'] for r in converging(verdict['runs'], summary)
               for s in summary[r]['seeds'].values()):
        return False
    return abs(verdict['diff']) < hinge or \
        verdict['verdict'] == 'cannot tell at this scale'


def column_widths(head: Sequence[str],
                  rows: Sequence[Sequence[str]]) -> List[int]:
    return [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]


def render_table(head: Sequence[str], rows: Sequence[Sequence[str]],
                 markdown: bool = False) -> List[str]:
    """Lines of a table: columns padded (first left, the rest right), or
    a Markdown table."""
    if markdown:
        lines = ['| ' + ' | '.join(head) + ' |',
                 '|' + '|'.join(['---'] * len(head)) + '|']
        return lines + ['| ' + ' | '.join(row) + ' |' for row in rows]
    widths = column_widths(head, rows)
    return [
        '  '.join(c.ljust(w) if i == 0 else c.rjust(w)
                  for i, (c, w) in enumerate(zip(r, widths)))
        for r in [head, *rows]
    ]


def _cell(mean: Optional[float], sd: Optional[float]) -> str:
    if mean is None:
        return '-'
    return f'{mean:.2f}' + (f' ± {sd:.2f}' if sd is not None else '')


def finding_rows(finding: Finding, summary: Mapping[str, dict]
                 ) -> List[List[str]]:
    rows = []
    for run_id in finding.shown + finding.runs:
        if run_id not in summary:
            continue
        s = summary[run_id]
        gains = [v['plateau_gain'] for v in s['seeds'].values()]
        plateau = 'n/a' if None in gains else (
            ('yes' if all(g < PLATEAU_GAIN for g in gains) else 'no') +
            f' (max +{max(gains):.2f})')
        rows.append([s['name'], str(s['iters']), str(len(s['seeds']))] + [
            _cell(s['mean'].get(c), s['sd'].get(c))
            for c in EVAL_LANGS + ('total', )
        ] + [plateau])
    return rows


FINDING_HEAD = ['run', 'iters', 'seeds', *EVAL_LANGS, 'total',
                f'plateaued (val gain, last {TAIL:.0%})']


#: The cascade sources, tabled after the findings.
SOURCES = Finding('cascade sources', 'trained alone on their own script',
                  ('lang-H', 'lang-L'), 'none')


def format_findings(summary: Mapping[str, dict],
                    verdicts: Mapping[str, Optional[dict]]) -> str:
    """Per finding that has runs, the evaluation 1-NED table (mean ± sd
    over seeds) and its verdict, then the sources' table, as plain text."""
    lines = []
    for finding in FINDINGS + (SOURCES, ):
        rows = finding_rows(finding, summary)
        if not rows:
            continue
        lines += ['', f'{finding.title}: {finding.claim}']
        lines += render_table(FINDING_HEAD, rows)
        if verdicts.get(finding.title):
            lines.append(verdicts[finding.title]['text'])
    return '\n'.join(lines)


def markdown_report(summary: Mapping[str, dict],
                    verdicts: Mapping[str, Optional[dict]], scale_name: str,
                    scale: Scale, rule: Mapping[str, float]) -> str:
    """findings.md: the tables, verdicts, convergence per run and seed,
    and the charts."""
    lines = [
        f'# CLL-STR findings on synthetic data ({scale_name} scale)', '',
        f'Training images: {dict(scale.train)}; validation {dict(scale.val)}'
        f'; evaluation {scale.test} per script, words held out of training. '
        f'Evaluation 1-NED (x100), mean ± sd over seeds. A run has '
        f'plateaued when its best validation 1-NED on {TARGET} (its own '
        f'script for the cascade sources) rose by less than {PLATEAU_GAIN:g}'
        f' point over the last {TAIL:.0%} of its iterations. Verdict rule: '
        f'difference ± max(2 SE, {rule["noise_floor"]:g}), margin '
        f'{rule["margin"]:g} points (tools/experiments/run_findings.py).'
    ]
    for finding in FINDINGS + (SOURCES, ):
        rows = finding_rows(finding, summary)
        if not rows:
            continue
        intro = f'Claim: {finding.claim}.' if finding in FINDINGS else \
            f'Runs {finding.claim}.'
        lines += ['', f'## {finding.title}', '', intro, '']
        lines += render_table(FINDING_HEAD, rows, markdown=True)
        if verdicts.get(finding.title):
            lines += ['', f'**{verdicts[finding.title]["verdict"]}**: '
                      f'{verdicts[finding.title]["text"]}']
    lines += ['', '## Convergence per run and seed', '']
    rows = []
    for run_id, s in summary.items():
        for seed, v in s['seeds'].items():
            gain = v['plateau_gain']
            seconds = v['train_seconds']
            rows.append([
                s['name'], seed,
                str(s['iters']), f'{v["plateau_key"]}',
                str(v['best_val_iter']),
                '-' if gain is None else f'{gain:+.2f}',
                'yes' if v['plateaued'] else 'no',
                '-' if seconds is None else f'{seconds:.0f}'
            ])
    lines += render_table([
        'run', 'seed', 'iters', 'validated on', 'best val iter',
        f'gain, last {TAIL:.0%}', 'plateaued', 'train s'
    ], rows, markdown=True)
    lines += ['', '![1-NED per run and script](findings.png)', '',
              '![validation curves](curves.png)', '']
    return '\n'.join(lines)


def pyplot():
    """matplotlib's pyplot on the file-only Agg backend."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, out_file: str, title: str) -> None:
    """Save ``fig`` (with ``title`` above its panels) as a PNG, then close
    it."""
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    fig.savefig(out_file, dpi=100)
    pyplot().close(fig)


def draw_chart(summary: Mapping[str, dict],
               verdicts: Mapping[str, Optional[dict]],
               out_file: str,
               title: str = '') -> None:
    """One panel per finding: bars of the mean evaluation 1-NED per script,
    one bar per run, the seeds' range as error bars and each seed as a
    dot; runs without results are left out."""
    plt = pyplot()
    fig, axes = plt.subplots(
        1, len(FINDINGS), figsize=(5 * len(FINDINGS), 4.4), sharey=True)
    for ax, finding in zip(axes, FINDINGS):
        ids = [i for i in finding.shown + finding.runs if i in summary]
        width = 0.8 / max(len(ids), 1)
        for k, run_id in enumerate(ids):
            s = summary[run_id]
            xs = [j + (k - (len(ids) - 1) / 2) * width
                  for j in range(len(EVAL_LANGS))]
            per_lang = [[v['scores'].get(lang, 0.0)
                         for v in s['seeds'].values()] for lang in EVAL_LANGS]
            means = [statistics.fmean(v) for v in per_lang]
            errors = [[m - min(v) for m, v in zip(means, per_lang)],
                      [max(v) - m for m, v in zip(means, per_lang)]]
            ax.bar(xs, means, width, yerr=errors, capsize=2,
                   label=f'{s["name"]} ({len(s["seeds"])} seeds)')
            for x, v in zip(xs, per_lang):
                ax.plot([x] * len(v), v, 'k.', markersize=3)
        ax.set_xticks(
            range(len(EVAL_LANGS)),
            [f'{lang}\n(target)' if lang == TARGET else lang
             for lang in EVAL_LANGS])
        verdict = verdicts.get(finding.title)
        ax.set_title(finding.title + (f'\n{verdict["verdict"]}'
                                      if verdict else ''), fontsize=9)
        ax.set_ylim(0, 100)
        if ids:
            ax.legend(fontsize=7, loc='upper right')
    axes[0].set_ylabel('1-NED (x100), evaluation set')
    save_figure(fig, out_file, title)


def draw_curves(summary: Mapping[str, dict], out_file: str,
                title: str = '') -> None:
    """Validation 1-NED against iterations of the compared runs, one panel
    per finding (on the target) and one for the cascade sources (on their
    own script); one line per seed, the plateau window shaded."""
    plt = pyplot()
    panels = []
    for finding in FINDINGS:
        iters = {summary[r]['iters'] for r in finding.runs if r in summary}
        ids = [r for r in finding.shown + finding.runs if r in summary
               and summary[r]['iters'] in iters]
        panels.append((finding.title, ids))
    sources = [r.source for r in RUNS if r.source and r.source in summary]
    panels.append(('cascade sources (own script)', sources))
    fig, axes = plt.subplots(
        1, len(panels), figsize=(4.5 * len(panels), 4), sharey=True)
    styles = ('-', '--', ':', '-.')
    for ax, (name, ids) in zip(axes, panels):
        for k, run_id in enumerate(ids):
            s = summary[run_id]
            colour = f'C{k}'
            for j, (seed, v) in enumerate(s['seeds'].items()):
                key = v['plateau_key']
                points = [p for p in v['curve'] if key in p]
                ax.plot([p['iter'] for p in points],
                        [p[key] for p in points],
                        styles[j % len(styles)], color=colour,
                        linewidth=1.2,
                        label=f'{s["name"]} seed {seed}')
        ax.set_title(name, fontsize=9)
        ax.set_xlabel('iteration')
        ax.grid(alpha=0.3)
        if ids:
            end = max(summary[r]['iters'] for r in ids)
            ax.axvspan((1 - TAIL) * end, end, color='0.9', zorder=0,
                       label=f'last {TAIL:.0%}: plateau test')
            ax.legend(fontsize=6)
    axes[0].set_ylabel(f'validation 1-NED ({TARGET})')
    save_figure(fig, out_file, title)


def estimate(scale: Scale, ids: Sequence[str], seeds: int,
             max_seeds: int) -> Optional[str]:
    """The dry run's time estimate: iterations at the scale's measured
    speed plus the per-run overhead, and the most the extra seeds add."""
    if scale.seconds_per_iter is None:
        return None

    def cost(run_ids):
        return sum(run_iters(RUN_BY_ID[i], scale) * scale.seconds_per_iter +
                   scale.run_overhead_s for i in run_ids)

    planned = cost(ids) * seeds
    iters = sum(run_iters(RUN_BY_ID[i], scale) for i in ids) * seeds
    extra = sum(
        cost(with_sources(f.runs, {r.id: r.source for r in RUNS}, ids))
        for f in FINDINGS if set(f.runs) <= set(ids)) * (max_seeds - seeds)
    return (f'{iters} iterations in {len(ids) * seeds} runs: about '
            f'{planned / 3600:.1f} h at {scale.seconds_per_iter} s per '
            f'iteration + {scale.run_overhead_s:.0f} s per run; extra seeds '
            f'add up to {extra / 3600:.1f} h')


def synthetic_main(args) -> None:
    scale = SCALES[args.scale]
    if args.iters is not None:
        scale = replace(scale, iters=args.iters)
    source_of = {r.id: r.source for r in RUNS}
    ids = select(args.only, source_of, [r.id for r in RUNS])
    tasks = [
        synth_task(RUN_BY_ID[i], seed, scale, args)
        for seed in range(args.seeds) for i in ids
    ]
    if args.dry_run:
        for cmd in data_commands(scale, args.data_seed, args.data_root,
                                 args.images):
            print(f'# data\n{shlex.join(cmd)}')
        print_tasks(tasks)
        if args.max_seeds > args.seeds:
            extra = ', '.join(map(str, range(args.seeds, args.max_seeds)))
            print(f'# then, for each finding whose two runs differ by less '
                  f'than {args.hinge:g} points (or whose verdict the noise '
                  f'leaves open): seed {extra} of its runs and sources')
        note = estimate(scale, ids, args.seeds, args.max_seeds)
        if note:
            print(f'# estimate: {note}')
        return
    records = osp.join(args.report_dir, RECORD_DIR)
    restore_records(tasks, records)
    failed = []
    if not args.collect:
        write_data(scale, args)
        failed += run_tasks(tasks, args.jobs, records)
    rule = dict(margin=args.margin, noise_floor=args.noise_floor,
                hinge=args.hinge)

    def verdicts_of(summary):
        return {
            f.title: judge(f, summary, args.margin, args.noise_floor)
            for f in FINDINGS
        }

    if not args.collect and args.max_seeds > args.seeds:
        planned = summarise(
            collect_synthetic(args.work_dir, scale, ids, args.seeds), scale)
        planned_verdicts = verdicts_of(planned)
        extra = []
        for finding in FINDINGS:
            if needs_extra_seed(planned_verdicts[finding.title], planned,
                                args.hinge):
                runs = with_sources(finding.runs, source_of, ids)
                extra += [
                    synth_task(RUN_BY_ID[i], seed, scale, args)
                    for seed in range(args.seeds, args.max_seeds)
                    for i in runs
                ]
        # a source shared by two findings is run once
        extra = list({t.key: t for t in extra}.values())
        restore_records(extra, records)
        failed += run_tasks(extra, args.jobs, records)
    summary = summarise(collect_synthetic(args.work_dir, scale, ids), scale)
    for run_id, seeds in summary.items():
        for seed in seeds['seeds']:
            save_record(f'{run_id}/seed{seed}',
                        run_dir(args.work_dir, run_id, int(seed)), records)
    verdicts = verdicts_of(summary)
    print(format_findings(summary, verdicts), flush=True)
    report = dict(
        scale=args.scale,
        data=dict(asdict(scale), data_seed=args.data_seed,
                  images_cap=args.images, word_split='train / heldout'),
        plateau=dict(gain=PLATEAU_GAIN, tail=TAIL),
        verdict_rule=rule,
        runs=summary,
        findings=[v for v in verdicts.values() if v])
    out = osp.join(REPO, args.report_dir)
    with atomic_write(osp.join(out, 'findings.json'), 'w') as f:
        json.dump(report, f, indent=1)
    with atomic_write(osp.join(out, 'findings.md'), 'w') as f:
        f.write(markdown_report(summary, verdicts, args.scale, scale, rule))
    title = f'CLL-STR findings on synthetic data ({args.scale} scale)'
    draw_chart(summary, verdicts, osp.join(out, 'findings.png'), title)
    draw_curves(summary, osp.join(out, 'curves.png'), title)
    print(f'report: {osp.join(args.report_dir, "findings.md")} (+ '
          'findings.json, findings.png, curves.png)')
    stop_if_failed(failed)


# --- paper scale -----------------------------------------------------------


def paper_task(model: str, recipe: Recipe, args) -> Task:
    """``recipe`` for ``model`` on the data at ``args.data_root``, with the
    config's schedule unless ``--iters`` shortens it."""
    data = data_root_options(args.data_root)
    opts = list(data)
    if recipe.select:
        opts += [
            f'{loader}_dataloader.dataset.select_data={recipe.select}'
            for loader in ('train', 'val')
        ]
    if args.iters is not None:
        opts += [
            f'train_cfg.max_iters={args.iters}',
            f'train_cfg.dynamic_intervals=[(3,{args.iters})]',
            f'default_hooks.checkpoint.interval={args.iters}'
        ]
    after = None
    if recipe.source:
        opts.append('load_from=' +
                    osp.join(args.work_dir, model, recipe.source, BEST))
        after = f'{model}/{recipe.source}'
    return Task(f'{model}/{recipe.id}',
                osp.join(CONFIG_ROOT, f'{model}_{recipe.config}.py'),
                osp.join(args.work_dir, model, recipe.id),
                tuple(opts + args.cfg_options), tuple(data + args.cfg_options),
                after)


def paper_row(results: Mapping[str, Mapping[str, float]],
              recipe: str) -> Dict[str, float]:
    """1-NED per language and total of a recipe's test; for 'mono', each
    language from the model trained on it alone, total pooled by the
    evaluation sizes."""
    if recipe != 'mono':
        return lang_scores(results[recipe], langs=TABLE_ORDER) \
            if recipe in results else {}
    row, weights = {}, {}
    for lang in TABLE_ORDER:
        metrics = results.get(f'mono-{lang}')
        if metrics and f'recog/{lang}/1-NED' in metrics:
            row[lang] = metrics[f'recog/{lang}/1-NED']
            weights[lang] = metrics.get(f'recog/{lang}/num_samples', 1)
    if len(row) == len(TABLE_ORDER):
        row['total'] = sum(row[k] * weights[k]
                           for k in row) / sum(weights.values())
    return row


def format_paper_tables(results: Mapping[str, Mapping[str, dict]]) -> str:
    """The paper's Tables 2-4 with one block of columns (CHI BEN HIN JPN
    ARA KOR LAT total) per model, side by side under the model's name; '-'
    where a run is missing."""
    cols = list(TABLE_ORDER) + ['total']
    lines = []
    for title, rows in PAPER_TABLES:
        body = []
        for label, recipe in rows:
            cells = [label]
            for model in PAPER_MODELS:
                row = paper_row(results.get(model, {}), recipe)
                cells += [f'{row[c]:.2f}' if c in row else '-' for c in cols]
            body.append(cells)
        head = ['1-NED, evaluation'] + cols * len(PAPER_MODELS)
        widths = column_widths(head, body)
        banner = ''
        for k, name in enumerate(PAPER_MODELS.values()):
            # over the first heading of the model's block (right-aligned)
            col = 1 + k * len(cols)
            start = sum(widths[:col]) + 2 * col + widths[col] - len(head[col])
            banner = banner.ljust(start) + f'[{name}]'
        lines += ['', title, banner, *render_table(head, body)]
    return '\n'.join(lines)


def paper_main(args) -> None:
    if args.images is not None:
        raise SystemExit('--images applies to the synthetic scales only')
    order = [f'{m}/{r.id}' for m in PAPER_MODELS for r in PAPER_RECIPES]
    source_of = {
        f'{m}/{r.id}': f'{m}/{r.source}' if r.source else None
        for m in PAPER_MODELS for r in PAPER_RECIPES
    }
    keys = set(select(args.only, source_of, order))
    tasks = [
        paper_task(m, r, args) for m in PAPER_MODELS for r in PAPER_RECIPES
        if f'{m}/{r.id}' in keys
    ]
    if args.dry_run:
        print_tasks(tasks)
        return
    failed = [] if args.collect else run_tasks(tasks, args.jobs)
    results: Dict[str, Dict[str, dict]] = {}
    for task in tasks:
        metrics = read_metrics(task.work_dir)
        if metrics is not None:
            model, recipe = task.key.split('/')
            results.setdefault(model, {})[recipe] = metrics
    text = format_paper_tables(results)
    print(text, flush=True)
    out = osp.join(REPO, args.report_dir)
    with atomic_write(osp.join(out, 'paper_tables.txt'), 'w') as f:
        f.write(text.lstrip('\n') + '\n')
    with atomic_write(osp.join(out, 'paper_results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    print(f'tables: {osp.join(args.report_dir, "paper_tables.txt")}')
    stop_if_failed(failed)


# --- running ---------------------------------------------------------------


def subprocess_env(jobs: int) -> Dict[str, str]:
    """The environment of the tools: this checkout first on the path and,
    with several jobs, the cores shared out unless OMP_NUM_THREADS is
    set."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (REPO, env.get('PYTHONPATH')) if p)
    if jobs > 1 and 'OMP_NUM_THREADS' not in env:
        env['OMP_NUM_THREADS'] = str(max(1, (os.cpu_count() or 1) // jobs))
    return env


def execute(cmd: List[str], log_file: str, env: Mapping[str, str],
            tick: Optional[Callable[[], None]] = None,
            every: float = 60.0) -> None:
    """Run ``cmd`` from the repository root, its output appended to
    ``log_file``, calling ``tick`` every ``every`` seconds while it runs."""
    print('$ ' + shlex.join(cmd), flush=True)
    with open(log_file, 'a', encoding='utf-8') as log:
        log.write('$ ' + shlex.join(cmd) + '\n')
        log.flush()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=log,
                                env=env)
        while True:
            try:
                returncode = proc.wait(timeout=every)
                break
            except subprocess.TimeoutExpired:
                if tick is not None:
                    tick()
    if returncode:
        raise RuntimeError(f'command failed ({returncode}); see '
                           f'{log_file}:\n{shlex.join(cmd)}')


def best_checkpoint(run_work_dir: str) -> str:
    found = newest_match(osp.join(run_work_dir, BEST))
    if found is None:
        raise FileNotFoundError(
            f'no {BEST} in {run_work_dir}: its training did not finish; '
            'see run.log there')
    return found


def run_task(task: Task, env: Mapping[str, str],
             record_dir: Optional[str] = None) -> None:
    """Train (resuming from the run's last checkpoint if it has one), then
    test the best checkpoint. Training time (summed over resumed sessions,
    saved every minute while training, so a killed session keeps its time)
    and the load average go to ``timing.json``; with ``record_dir``, the
    run's record (:func:`save_record`) goes there."""
    out = osp.join(REPO, task.work_dir)
    os.makedirs(out, exist_ok=True)
    log = osp.join(out, 'run.log')
    timing_file = osp.join(out, 'timing.json')
    timing = dict(train_seconds=0.0, sessions=[])
    if osp.isfile(timing_file):
        with open(timing_file, encoding='utf-8') as f:
            timing = json.load(f)
    session = dict(seconds=0.0, load_before=os.getloadavg()[0])
    timing['sessions'].append(session)
    start = time.time()

    def save_timing() -> None:
        # also while training, so a session cut off by a kill keeps its time
        session['seconds'] = round(time.time() - start, 1)
        timing['train_seconds'] = sum(
            entry['seconds'] for entry in timing['sessions'])
        with atomic_write(timing_file, 'w') as f:
            json.dump(timing, f, indent=1)

    execute(
        train_command(task, osp.isfile(osp.join(out, 'last_checkpoint'))),
        log, env, tick=save_timing)
    session['load_after'] = os.getloadavg()[0]
    save_timing()
    execute(test_command(task, best_checkpoint(out)), log, env)
    if record_dir is not None:
        save_record(task.key, task.work_dir, record_dir)
    print(f'{task.key}: trained in {session["seconds"]:.0f} s and tested',
          flush=True)


def run_tasks(tasks: Sequence[Task], jobs: int,
              record_dir: Optional[str] = None) -> List[str]:
    """Run the tasks without test results, ``jobs`` at a time, each after
    the task it starts from, recording each in ``record_dir`` if given. A
    failure stops what depends on it, not the rest; returns one line per
    failed task."""
    todo = [t for t in tasks if not finished(t)]
    if not todo:
        return []
    env = subprocess_env(jobs)
    futures = {}

    def work(task: Task) -> None:
        if task.after in futures:
            futures[task.after].result()
        run_task(task, env, record_dir)

    # tasks are submitted sources first, so a waiting task never holds a
    # worker its source needs
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for task in todo:
            futures[task.key] = pool.submit(work, task)
    return [
        f'{key}: {future.exception()}' for key, future in futures.items()
        if future.exception() is not None
    ]


def stop_if_failed(failed: Sequence[str]) -> None:
    """Exit with the failed runs listed (after the report of the rest)."""
    if failed:
        raise SystemExit('failed runs (their logs say why; the same command '
                         'retries them):\n' + '\n'.join(failed))


def print_tasks(tasks: Sequence[Task]) -> None:
    for task in tasks:
        print(f'# train {task.key}\n{shlex.join(train_command(task))}')
        print(f'# test {task.key}\n'
              f'{shlex.join(test_command(task, osp.join(task.work_dir, BEST)))}')


def parse_args(argv: Optional[Sequence[str]] = None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        '--scale', choices=sorted(SCALES) + ['paper'], default='cpu')
    parser.add_argument(
        '--work-dir',
        help='runs and results (default: work_dirs/experiments/<scale>)')
    parser.add_argument(
        '--data-root',
        help='paper: the CLL-STR data (default: data); synthetic: where the '
        'generated data goes (default: <work-dir>/data)')
    parser.add_argument(
        '--report-dir',
        help='where findings.json/.md and the charts (paper: the tables) '
        'go (default: <work-dir>)')
    parser.add_argument(
        '--jobs', type=int, help='runs at a time (default: the scale\'s; '
        'each gets an equal share of the cores)')
    parser.add_argument(
        '--seeds', type=int, default=2,
        help='training seeds 0..K-1 of every synthetic run')
    parser.add_argument(
        '--max-seeds', type=int, default=3,
        help='seeds of the runs of a finding whose verdict hinges on a few '
        'points')
    parser.add_argument(
        '--data-seed', type=int, default=0,
        help='seed of the generated data (the same for every training '
        'seed)')
    parser.add_argument(
        '--only', nargs='+', metavar='ID',
        help='runs to do (fnmatch patterns on ids such as lang-B, '
        'cascade-*, svtr-tiny/joint), with the runs they start from')
    parser.add_argument(
        '--iters', type=int,
        help='iterations of a run from scratch instead of the schedule\'s '
        '(e.g. 4 to check the pipeline)')
    parser.add_argument(
        '--images', type=int,
        help='synthetic: at most N generated images per folder (a pipeline '
        'check)')
    parser.add_argument(
        '--margin', type=float, default=2.0,
        help='1-NED points by which a run must fall behind to be "worse"')
    parser.add_argument(
        '--noise-floor', type=float, default=1.0,
        help='least noise band (points) whatever the seeds\' spread')
    parser.add_argument(
        '--hinge', type=float, default=5.0,
        help='a finding whose runs differ by less gets --max-seeds seeds')
    parser.add_argument(
        '--collect', action='store_true',
        help='run nothing: report the runs that are finished')
    parser.add_argument(
        '--dry-run', action='store_true',
        help='print the commands (and the CPU estimate) and exit')
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
        help='appended to every train and test command (they win), e.g. '
        'train_dataloader.num_workers=2')
    args = parser.parse_args(argv)
    if args.iters is not None and args.iters < 2:
        parser.error(f'--iters must be >= 2, got {args.iters}')
    if args.seeds < 1 or args.max_seeds < args.seeds:
        parser.error('need 1 <= --seeds <= --max-seeds')
    args.work_dir = args.work_dir or osp.join('work_dirs', 'experiments',
                                              args.scale)
    if args.data_root is None:
        args.data_root = 'data' if args.scale == 'paper' else osp.join(
            args.work_dir, 'data')
    args.report_dir = args.report_dir or args.work_dir
    if args.jobs is None:
        args.jobs = SCALES[args.scale].jobs if args.scale in SCALES else 1
    bad = [o for o in args.cfg_options if '=' not in o]
    if bad:
        parser.error(f'--cfg-options takes KEY=VALUE, got {bad}')
    return args


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    if args.scale == 'paper':
        paper_main(args)
    else:
        synthetic_main(args)


if __name__ == '__main__':
    main()
