"""CLL-STR's three findings on synthetic data: the scales, runs and
findings of ``run_findings.py --scale cpu|gpu``, their commands, data and
time estimate, and their summaries and verdicts on the target BEN.
docs/experiments/README.md describes the design."""
import os
import os.path as osp
import sys
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from . import data
from .records import finished_seeds, read_result, run_dir
from .summary import over_seeds, seed_summary
from .tasks import BEST, Task, data_root_options, with_sources
from .verdicts import Finding, judge as judge_on, needs_extra_seed as hinges

CONFIG_ROOT = osp.join('configs', 'textrecog', 'cllstr')
CONFIG_DIR = osp.join(CONFIG_ROOT, 'experiments')
CONFIG_PREFIX = 'svtr-tiny_1xb32_synth'
#: Folder of the report dir that keeps a record of each finished run.
RECORD_DIR = 'runs'
#: Scripts every synthetic run is scored on (the configs' test select_data
#: lang_BHLK), in tools/test.py's column order.
EVAL_LANGS = ('BEN', 'HIN', 'KOR', 'LAT')
TARGET = 'BEN'
#: Validations of a synthetic run after its first iteration (every 10 %).
VAL_POINTS = 10


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
SOURCE_OF = {run.id: run.source for run in RUNS}

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


def run_iters(run: Run, scale: Scale) -> int:
    return max(2, round(scale.iters * run.share))


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


def write_data(scale: Scale, args) -> None:
    """Write the data unless ``done.json`` says it was written with the
    same commands; a data root written otherwise is an error."""
    data.write_data(
        data_commands(scale, args.data_seed, args.data_root, args.images),
        args.data_root)


def collect_synthetic(work_dir: str, scale: Scale, ids: Sequence[str],
                      max_seed: Optional[int] = None) -> Dict[str, dict]:
    """Per run id, its finished seeds (below ``max_seed`` if given):
    ``{seed: result}``."""
    found = {}
    for run_id in ids:
        seeds = {}
        for seed in finished_seeds(work_dir, run_id, max_seed):
            result = read_result(run_dir(work_dir, run_id, seed),
                                 scale.batch_size)
            if result is not None:
                seeds[seed] = result
        if seeds:
            found[run_id] = seeds
    return found


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
            key = TARGET if any(TARGET in p for p in result['curve']) \
                else 'total'
            per_seed[str(seed)] = seed_summary(result, iters, key,
                                               EVAL_LANGS)
        mean, sd = over_seeds(per_seed, EVAL_LANGS + ('total', ))
        summary[run_id] = dict(
            name=run.name,
            config=run.config_path,
            iters=iters,
            seeds=per_seed,
            mean=mean,
            sd=sd)
    return summary


def judge(finding: Finding, summary: Mapping[str, dict], margin: float,
          noise_floor: float) -> Optional[dict]:
    """The verdict on ``finding`` from the target's evaluation 1-NED of
    its two runs (the rule of :mod:`.verdicts`); a cascade's also needs
    its source to have plateaued."""
    return judge_on(finding, summary, margin, noise_floor, TARGET,
                    SOURCE_OF)


def needs_extra_seed(verdict: Optional[dict], summary: Mapping[str, dict],
                     hinge: float) -> bool:
    """Whether a finding's verdict hinges on a few points (see
    :func:`~.verdicts.needs_extra_seed`)."""
    return hinges(verdict, summary, hinge, SOURCE_OF)


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
        cost(with_sources(f.runs, SOURCE_OF, ids))
        for f in FINDINGS if set(f.runs) <= set(ids)) * (max_seeds - seeds)
    return (f'{iters} iterations in {len(ids) * seeds} runs: about '
            f'{planned / 3600:.1f} h at {scale.seconds_per_iter} s per '
            f'iteration + {scale.run_overhead_s:.0f} s per run; extra seeds '
            f'add up to {extra / 3600:.1f} h')
