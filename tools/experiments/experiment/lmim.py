"""LMIM's claim at CPU or GPU scale: the runs of ``run_lmim.py`` (MAE
pretraining, LMIM pretraining against that MAE encoder as the frozen
teacher, and fine-tuning from none, MAE and LMIM on each label budget),
their commands, data and time estimate, their summaries and verdicts.
docs/experiments/lmim.md describes the design."""
import os
import os.path as osp
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from . import REPO, data
from .records import (TRAINED, finished_seeds, read_json, read_result,
                      read_timing, read_train_log, run_dir, test_results_file)
from .summary import lang_scores, over_seeds, seed_summary
from .tasks import Task, Test
from .verdicts import Finding

CONFIG_DIR = osp.join('configs', 'lmim', 'experiments')
#: The leaf config of each stage, and of the tests on a crop folder.
LEAVES = dict(
    mae='mae_vit-192x6_1xb32_synth-lat.py',
    lmim='lmim_vit-192x6_1xb32_synth-lat.py',
    none='lmim-nrtr_vit-192x6_1xb32_synth-lat-none.py',
    mae_finetune='lmim-nrtr_vit-192x6_1xb32_synth-lat-mae.py',
    lmim_finetune='lmim-nrtr_vit-192x6_1xb32_synth-lat-lmim.py',
    crops='lmim-nrtr_vit-192x6_1xb32_crop-folder.py')
#: Folder of the report dir that keeps a record of each finished run.
RECORD_DIR = 'runs'
#: The script of the leaves (their ``langs``); the verdicts are on the
#: pooled 1-NED of the evaluation set.
LANGS = ('LAT', )
TARGET = 'total'
#: Word accuracy (%) on the evaluation set below which a fine-tuned
#: recogniser has not learned to read: a verdict between two such
#: recognisers is "cannot tell" whatever the 1-NED (a reader of no word
#: that scores 15 1-NED has learned the words' letter frequencies, not the
#: images).
MIN_WORD_ACC = 5.0
#: The encoders compared, in the order of the tables.
ENCODERS = ('none', 'mae', 'lmim')
ENCODER_NAMES = dict(none='none', mae='MAE', lmim='LMIM')
#: Folders of crops (gt.txt, ``NAME<TAB>text``) scored where they exist.
EXTERNAL_SETS = dict(real_photo='data/real_dev/photo',
                     real_screen='data/real_dev/screen',
                     render2_eval='data/render2_eval')
#: Validations of a fine-tuning run after its first iteration (every
#: 10 %), and checkpoints of every run (to resume from).
VAL_POINTS = 10


@dataclass(frozen=True)
class Scale:
    """Sizes and lengths of a scale.

    ``pretrain_iters``: iterations of each pretraining (MAE and LMIM: an
    equal budget, the same images in the same order); ``budgets``:
    labelled crops -> fine-tuning iterations (equal for the three
    encoders); ``val``, ``test``: validation and evaluation crops per
    script; ``vocab``: words per script (one in ten held out);
    ``options``: --cfg-options of every training (e.g. the precision);
    ``model``: --cfg-options per stage (``pretrain``, ``mae``, ``lmim``,
    ``finetune``) that change the leaves' model sizes, also given to the
    tests; ``train_args``: flags of tools/train.py; ``seconds``: measured
    CPU seconds per iteration (``mae``, ``lmim``, ``finetune``), per test
    image (``infer``) and per process start (``start``), for the dry
    run's estimate.
    """
    pretrain_iters: int
    budgets: Mapping[int, int]
    batch_size: int
    val: int
    test: int
    vocab: Mapping[str, int]
    jobs: int
    num_workers: int
    options: Tuple[str, ...] = ()
    model: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    train_args: Tuple[str, ...] = ()
    seconds: Optional[Mapping[str, float]] = None


#: ViT-Small and the paper's decoders, as configs/lmim's ViT-Small leaves.
VIT_SMALL = ('model.encoder.embed_dims=384', 'model.encoder.depth=12',
             'model.encoder.num_heads=6', 'model.encoder.patch_size=4')
#: The tests' tiny sizes (tests/test_lmim_chain.py), for the smoke scale.
TINY = ('model.encoder.embed_dims=32', 'model.encoder.depth=2',
        'model.encoder.num_heads=2')

SCALES = {
    # The design of docs/experiments/lmim.md: about 6 CPU hours with the
    # third seeds (run_lmim.py --dry-run), two runs at a time on the
    # 2-core machine.
    'cpu':
    Scale(
        pretrain_iters=2000,
        budgets={2000: 800, 20000: 2000},
        batch_size=32,
        val=200,
        test=800,
        vocab=dict(LAT=50000),
        jobs=2,
        num_workers=0,
        # bfloat16 matrix products (the weights stay float32): 1.8x (MAE),
        # 1.25x (LMIM, whose guidance views take a third of a step) and
        # 1.6x (fine-tuning) the steps per second of float32 on this
        # AVX512-BF16 CPU; validation and tests stay float32
        options=('optim_wrapper.type=CPUBF16OptimWrapper', ),
        # run_lmim.py --measure 20 (docs/experiments/lmim_cpu/speed.json)
        seconds=dict(render=0.0098, start=4.9, mae=0.358, lmim=0.981,
                     finetune=0.432, infer=0.0372)),
    # The same design at the paper's sizes (ViT-Small with 4x4 patches,
    # its decoders) on one GPU with AMP, ten times the labels and a
    # longer pretraining, batch 128. Not run yet.
    'gpu':
    Scale(
        pretrain_iters=20000,
        budgets={20000: 1600, 200000: 16000},
        batch_size=128,
        val=1000,
        test=2000,
        vocab=dict(LAT=50000),
        jobs=2,
        num_workers=6,
        model=dict(
            pretrain=VIT_SMALL,
            mae=('model.decoder_dims=512', 'model.decoder_depth=8',
                 'model.decoder_heads=16'),
            lmim=('model.decoder_dims=512', 'model.decoder_heads=16',
                  'model.decoder_ffn_dims=2048'),
            finetune=VIT_SMALL + (
                'model.encoder.out_dims=512', 'model.decoder.n_layers=6',
                'model.decoder.d_embedding=512', 'model.decoder.n_head=8',
                'model.decoder.d_model=512', 'model.decoder.d_inner=256')),
        train_args=('--amp', )),
    # The whole graph with tiny models and data, a few iterations per run:
    # a check that it runs (tests/test_lmim_experiment.py), not a result.
    'smoke':
    Scale(
        pretrain_iters=4,
        budgets={8: 4, 16: 4},
        batch_size=4,
        val=4,
        test=8,
        vocab=dict(LAT=500),
        jobs=1,
        num_workers=0,
        model=dict(
            pretrain=TINY,
            mae=('model.decoder_dims=32', 'model.decoder_depth=1',
                 'model.decoder_heads=2'),
            lmim=('model.decoder_dims=32', 'model.decoder_heads=2',
                  'model.decoder_ffn_dims=64'),
            finetune=TINY + (
                'model.encoder.out_dims=32', 'model.decoder.n_layers=1',
                'model.decoder.d_embedding=32', 'model.decoder.n_head=2',
                'model.decoder.d_k=16', 'model.decoder.d_v=16',
                'model.decoder.d_model=32', 'model.decoder.d_inner=32'))),
}


@dataclass(frozen=True)
class Run:
    """A run of the design: a pretraining (``stage`` ``'mae'`` or
    ``'lmim'``) or a fine-tuning (``'finetune'``) of ``encoder`` on
    ``budget`` labelled crops; ``source``: the run whose checkpoint it
    starts from."""
    id: str
    name: str
    stage: str
    encoder: Optional[str] = None
    budget: Optional[int] = None
    source: Optional[str] = None

    @property
    def config_path(self) -> str:
        leaf = self.stage if self.stage != 'finetune' else (
            'none' if self.encoder == 'none' else f'{self.encoder}_finetune')
        return osp.join(CONFIG_DIR, LEAVES[leaf])


def finetune_id(encoder: str, budget: int) -> str:
    return f'{encoder}-{budget}'


def runs_of(scale: Scale) -> List[Run]:
    """Every run, in the order they are started: the MAE pretraining, the
    fine-tunings that need no pretraining, the LMIM pretraining (by then
    its teacher is done), the other fine-tunings."""
    finetunes = {
        encoder: [
            Run(finetune_id(encoder, budget),
                f'{ENCODER_NAMES[encoder]}, {budget:,} labels', 'finetune',
                encoder, budget,
                None if encoder == 'none' else f'pretrain-{encoder}')
            for budget in scale.budgets
        ]
        for encoder in ENCODERS
    }
    return [
        Run('pretrain-mae', 'MAE pretraining', 'mae'),
        *finetunes['none'],
        Run('pretrain-lmim', 'LMIM pretraining (MAE teacher)', 'lmim',
            source='pretrain-mae'),
        *finetunes['mae'],
        *finetunes['lmim'],
    ]


def findings_of(scale: Scale) -> List[Finding]:
    """Per label budget, the paper's two claims: LMIM better than MAE, MAE
    better than none."""
    out = []
    for budget in scale.budgets:
        none, mae, lmim = (finetune_id(e, budget) for e in ENCODERS)
        out += [
            Finding(f'LMIM vs MAE, {budget:,} labels',
                    'LMIM pretraining gives a better recogniser than MAE '
                    'pretraining', (mae, lmim), 'better', shown=(none, )),
            Finding(f'MAE vs none, {budget:,} labels',
                    'MAE pretraining gives a better recogniser than none',
                    (none, mae), 'better')
        ]
    return out


def run_iters(run: Run, scale: Scale) -> int:
    return scale.pretrain_iters if run.budget is None else \
        scale.budgets[run.budget]


def final_checkpoint(work_dir: str, run_id: str, seed: int,
                     scale: Scale) -> str:
    """The checkpoint a pretraining leaves (its last iteration)."""
    return osp.join(run_dir(work_dir, run_id, seed),
                    f'iter_{scale.pretrain_iters}.pth')


def data_roots(data_root: str) -> Dict[str, str]:
    """Where the data go: ``pool`` (unlabelled, ``<pool>/<LANG>``) and
    ``synth`` (a CLL-STR tree: training, validation, evaluation)."""
    return dict(pool=osp.join(data_root, 'pool', 'training'),
                synth=osp.join(data_root, 'synth'))


def external_tests(scale: Scale) -> Tuple[Test, ...]:
    """Tests on the crop folders of EXTERNAL_SETS that exist."""
    return tuple(
        Test(name, (f'test_dataloader.dataset.folder={folder}',
                    *scale.model.get('finetune', ())),
             osp.join(CONFIG_DIR, LEAVES['crops']))
        for name, folder in EXTERNAL_SETS.items()
        if osp.isfile(osp.join(REPO, folder, 'gt.txt')))


def lmim_task(run: Run, seed: int, scale: Scale, args) -> Task:
    """``run`` at ``scale`` with training seed ``seed``: data roots,
    lengths, sizes and the checkpoint it starts from go in as
    --cfg-options, then the user's own."""
    iters = run_iters(run, scale)
    interval = max(1, iters // VAL_POINTS)
    roots = data_roots(args.data_root)
    opts = [
        f'randomness.seed={seed}',
        f'train_dataloader.batch_size={scale.batch_size}',
        f'train_dataloader.num_workers={scale.num_workers}',
        f'train_dataloader.persistent_workers={scale.num_workers > 0}',
        f'train_cfg.max_iters={iters}',
        f'default_hooks.checkpoint.interval={interval}', *scale.options
    ]
    after = None if run.source is None else f'{run.source}/seed{seed}'
    test_options = None
    if run.stage == 'finetune':
        model = scale.model.get('finetune', ())
        data = [
            f'{loader}_dataloader.dataset.data_root={roots["synth"]}'
            for loader in ('train', 'val', 'test')
        ]
        opts += data + [
            f'train_dataloader.dataset.data_usage.{lang}={run.budget}'
            for lang in LANGS
        ] + [f'train_cfg.dynamic_intervals=[(3,{interval})]']
        if run.source:
            opts.append('model.encoder.init_cfg.checkpoint=' +
                        final_checkpoint(args.work_dir, run.source, seed,
                                         scale))
        test_options = tuple(data) + model + tuple(args.cfg_options)
    else:
        model = scale.model.get('pretrain', ()) + scale.model.get(
            run.stage, ())
        opts += [
            f'train_dataloader.dataset.datasets.{i}.data_root='
            f'{roots["pool"]}' for i in range(len(LANGS))
        ]
        if run.source:
            opts.append('model.teacher_checkpoint=' + final_checkpoint(
                args.work_dir, run.source, seed, scale))
    return Task(
        f'{run.id}/seed{seed}', run.config_path,
        run_dir(args.work_dir, run.id, seed),
        tuple(opts) + tuple(model) + tuple(args.cfg_options), test_options,
        after, scale.train_args,
        external_tests(scale) if run.stage == 'finetune' else ())


def workers_for(num: int) -> int:
    """Generator processes for ``num`` images: one for small sets, up to
    every core."""
    return min(os.cpu_count() or 1, max(1, num // 2000))


def data_commands(scale: Scale, seed: int,
                  data_root: str) -> List[List[str]]:
    """tools/data/synth_text.py calls that write the data: the pool (as
    many crops as a pretraining draws) and the labelled set (the largest
    budget) from training words, validation and evaluation from held-out
    words as data/synth_eval's (seed + 1, its streams)."""
    roots = data_roots(data_root)
    pool = scale.pretrain_iters * scale.batch_size
    sets = (
        (osp.dirname(roots['pool']), 'training', 'pretraining', pool,
         'train', seed),
        (roots['synth'], 'training', 'labelled', max(scale.budgets),
         'train', seed),
        (roots['synth'], 'validation', 'validation', scale.val, 'heldout',
         seed + 1),
        (roots['synth'], 'evaluation', 'evaluation', scale.test, 'heldout',
         seed + 1),
    )
    return [[
        sys.executable, 'tools/data/synth_text.py', '--out', out, '--langs',
        *LANGS, '--num', str(num), '--split', split, '--stream', stream,
        '--vocab-size', *[f'{lang}={scale.vocab[lang]}' for lang in LANGS],
        '--word-split', words, '--font-split', 'train', '--seed',
        str(data_seed), '--workers', str(workers_for(num)), '--overwrite'
    ] for out, split, stream, num, words, data_seed in sets]


def write_data(scale: Scale, args) -> None:
    """Write the data unless ``done.json`` says it was written with the
    same commands; a data root written otherwise is an error."""
    data.write_data(
        data_commands(scale, args.data_seed, args.data_root), args.data_root)


def external_scores(work_dir: str) -> Dict[str, dict]:
    """A run's scores on the crop folders it was tested on: 1-NED and word
    accuracy on the crops of the trained scripts (``trained``: pooled by
    their numbers of crops, None without such crops) and per script."""
    out = {}
    for name in EXTERNAL_SETS:
        path = test_results_file(work_dir, name)
        if not osp.isfile(path):
            continue
        metrics = read_json(path)['metrics']
        images = {
            lang: metrics.get(f'recog/{lang}/num_samples', 0)
            for lang in LANGS
        }
        count = sum(images.values())
        scores = dict(images=images)
        for score in ('1-NED', 'word_acc'):
            per_lang = lang_scores(metrics, LANGS, score)
            trained = sum(per_lang.get(lang, 0.) * n
                          for lang, n in images.items()) / count \
                if count else None
            scores[score] = dict(per_lang, trained=trained)
        out[name] = scores
    return out


def summarise(work_dir: str, scale: Scale, runs: Sequence[Run],
              max_seed: Optional[int] = None) -> Dict[str, dict]:
    """Per fine-tuning run id with finished seeds (below ``max_seed`` if
    given): per seed the evaluation scores, the plateau test on the
    validation 1-NED, the curve and the scores on the crop folders; mean
    and sd over seeds."""
    summary = {}
    for run in runs:
        if run.stage != 'finetune':
            continue
        iters = run_iters(run, scale)
        per_seed = {}
        for seed in finished_seeds(work_dir, run.id, max_seed):
            out = run_dir(work_dir, run.id, seed)
            result = read_result(out, scale.batch_size)
            if result is not None:
                per_seed[str(seed)] = dict(
                    seed_summary(result, iters, TARGET, LANGS),
                    external=external_scores(out))
        if not per_seed:
            continue
        mean, sd = over_seeds(per_seed, LANGS + ('total', ))
        acc_mean, acc_sd = over_seeds(per_seed, LANGS + ('total', ),
                                      'word_acc')
        summary[run.id] = dict(
            name=run.name, config=run.config_path, encoder=run.encoder,
            budget=run.budget, iters=iters, seeds=per_seed, mean=mean,
            sd=sd, word_acc_mean=acc_mean, word_acc_sd=acc_sd)
    return summary


def summarise_pretraining(work_dir: str, scale: Scale,
                          runs: Sequence[Run]) -> Dict[str, dict]:
    """Per pretraining run id with finished seeds: per seed its training
    time, its loss every logged iteration and the last."""
    summary = {}
    for run in runs:
        if run.stage == 'finetune':
            continue
        per_seed = {}
        for seed in finished_seeds(work_dir, run.id):
            out = run_dir(work_dir, run.id, seed)
            if not osp.isfile(osp.join(REPO, out, TRAINED)):
                continue
            losses = [{
                k: v
                for k, v in entry.items() if k == 'step' or 'loss' in k
            } for entry in read_train_log(out)]
            per_seed[str(seed)] = dict(
                train_seconds=read_timing(out).get('train_seconds'),
                final_loss=losses[-1]['loss'] if losses else None,
                losses=losses)
        if per_seed:
            summary[run.id] = dict(name=run.name, config=run.config_path,
                                   iters=run_iters(run, scale),
                                   seeds=per_seed)
    return summary


def task_seconds(run: Run, scale: Scale) -> Optional[float]:
    """The estimated CPU seconds of a run: its iterations at the measured
    speed of its stage, its process starts, and for a fine-tuning its
    validations and tests."""
    if scale.seconds is None:
        return None
    s = scale.seconds
    iters = run_iters(run, scale)
    if run.stage != 'finetune':
        return iters * s[run.stage] + s['start']
    images = (VAL_POINTS + 1) * scale.val + scale.test
    return iters * s['finetune'] + images * s['infer'] + 2 * s['start']


def estimate(scale: Scale, runs: Sequence[Run], seeds: int,
             max_seeds: int, jobs: int) -> Optional[str]:
    """The dry run's estimate: CPU hours of the planned seeds, what the
    extra seeds add at most (every label budget hinging) and the wall
    time at ``jobs`` runs at a time."""
    if scale.seconds is None:
        return None
    per_seed = sum(task_seconds(r, scale) for r in runs)
    planned = per_seed * seeds / 3600
    extra = per_seed * (max_seeds - seeds) / 3600
    data = sum(int(cmd[cmd.index('--num') + 1])
               for cmd in data_commands(scale, 0, '')) * \
        scale.seconds['render'] / 3600
    return (f'{len(runs) * seeds} runs: about {planned:.1f} CPU hours '
            f'+ {data:.2f} for the data; the extra seeds add up to '
            f'{extra:.1f}; at {jobs} runs at a time, about '
            f'{(planned + data) / jobs:.1f} h (all: '
            f'{(planned + extra + data) / jobs:.1f} h)')
