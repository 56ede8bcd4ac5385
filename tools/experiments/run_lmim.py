"""LMIM's claim measured: pretraining a ViT text encoder against a frozen
MAE teacher with a linguistics-aware guidance view (LMIM) gives a better
recogniser than MAE pretraining alone, which beats no pretraining, most of
all when labels are few.

    python tools/experiments/run_lmim.py [--scale {cpu,gpu,smoke}]
        [--work-dir DIR] [--data-root DIR] [--report-dir DIR] [--jobs N]
        [--seeds K] [--max-seeds M] [--only ID [ID ...]] [--collect]
        [--dry-run] [--measure N] [--cfg-options KEY=VALUE ...]

Per seed: MAE pretraining on an unlabelled pool of generated Latin word
crops; LMIM pretraining on the same images (an equal budget) against that
MAE encoder as the frozen teacher; then, per label budget, fine-tuning
with a transformer decoder from a random encoder ("none"), the MAE one and
the LMIM one on the same labelled crops (an equal budget), each validated
every 10 % (the plateau test) and tested on held-out words and on the crop
folders data/real_dev and data/render2_eval where they exist. Verdicts per
label budget: "LMIM better than MAE", "MAE better than none", with seeds 0
and 1 and a third where a verdict hinges on a few points. The configs are
the leaves of configs/lmim/experiments; the data are written once with
tools/data/synth_text.py. Finished runs are not run again, an interrupted
one resumes from its last checkpoint, and the records kept in
<report-dir>/runs restore finished runs on a machine without the work dir.
--measure N times N training iterations of each stage and the tests on one
thread (CPU seconds), the figures of the --dry-run estimate.
docs/experiments/lmim.md describes the design.
"""
import argparse
import json
import os.path as osp
import shlex
import sys
import tempfile
from dataclasses import asdict, replace
from typing import Optional, Sequence

# the runners' package lies next to this file; a test loads it by path
HERE = osp.dirname(osp.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
from experiment import REPO, cli, speed  # noqa: E402
from experiment.lmim import (MIN_WORD_ACC, RECORD_DIR, SCALES,  # noqa: E402
                             TARGET, data_commands, estimate, findings_of,
                             lmim_task, run_dir, runs_of, summarise,
                             summarise_pretraining, task_seconds, write_data)
from experiment.lmim_report import (draw_chart, draw_curves,  # noqa: E402
                                    format_results, markdown_report)
from experiment.plateau import PLATEAU_GAIN, TAIL  # noqa: E402
from experiment.records import (finished, finished_seeds,  # noqa: E402
                                restore_records, save_record)
from experiment.runner import run_tasks, stop_if_failed  # noqa: E402
from experiment.tasks import print_tasks, select, with_sources  # noqa: E402
from experiment.verdicts import judge, needs_extra_seed  # noqa: E402

from cllstr_mm.utils.checkpoint import atomic_write  # noqa: E402


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    scale = SCALES[args.scale]
    if args.measure:
        measure(scale, args)
        return
    runs = runs_of(scale)
    by_id = {r.id: r for r in runs}
    source_of = {r.id: r.source for r in runs}
    ids = select(args.only, source_of, [r.id for r in runs])
    chosen = [r for r in runs if r.id in ids]
    findings = [f for f in findings_of(scale) if set(f.runs) <= set(ids)]

    def tasks_of(run_ids, seeds):
        # run by run, so that two jobs start two seeds of a pretraining
        return [
            lmim_task(by_id[i], seed, scale, args) for i in run_ids
            for seed in seeds
        ]

    tasks = tasks_of(ids, range(args.seeds))
    if args.dry_run:
        for cmd in data_commands(scale, args.data_seed, args.data_root):
            print(f'# data\n{shlex.join(cmd)}')
        print_tasks(tasks, {
            t.key: task_seconds(by_id[t.key.split('/')[0]], scale)
            for t in tasks
        })
        if args.max_seeds > args.seeds:
            extra = ', '.join(map(str, range(args.seeds, args.max_seeds)))
            print(f'# then, for each verdict whose two runs differ by less '
                  f'than {args.hinge:g} points (or that the noise leaves '
                  f'open): seed {extra} of its runs and the pretrainings '
                  'they start from')
        note = estimate(scale, chosen, args.seeds, args.max_seeds,
                        args.jobs)
        if note:
            print(f'# estimate: {note}')
        return
    records = osp.join(args.report_dir, RECORD_DIR)
    # the extra seeds' records too: on a machine without the work dir, the
    # report is then the one the records were made for
    restore_records(tasks_of(ids, range(args.max_seeds)), records)
    failed = []
    if not args.collect:
        write_data(scale, args)
        failed += run_tasks(tasks, args.jobs, records)

    def verdicts_of(summary):
        return {
            f.title: judge(f, summary, args.margin, args.noise_floor, TARGET,
                           source_of, MIN_WORD_ACC)
            for f in findings
        }

    if not args.collect and args.max_seeds > args.seeds:
        planned = summarise(args.work_dir, scale, chosen, args.seeds)
        planned_verdicts = verdicts_of(planned)
        hinging = [
            run_id for f in findings
            if needs_extra_seed(planned_verdicts[f.title], planned,
                                args.hinge, source_of) for run_id in f.runs
        ]
        failed += run_tasks(
            tasks_of(with_sources(hinging, source_of, ids),
                     range(args.seeds, args.max_seeds)), args.jobs, records)
    for run in chosen:
        for seed in finished_seeds(args.work_dir, run.id):
            task = lmim_task(run, seed, scale, args)
            if finished(task):
                save_record(task.key, task.work_dir, records)
    summary = summarise(args.work_dir, scale, chosen)
    pretraining = summarise_pretraining(args.work_dir, scale, chosen)
    verdicts = verdicts_of(summary)
    print(format_results(summary, list(scale.budgets), findings, verdicts),
          flush=True)
    rule = dict(margin=args.margin, noise_floor=args.noise_floor,
                hinge=args.hinge)
    report = dict(
        scale=args.scale,
        design=dict(asdict(scale), data_seed=args.data_seed),
        plateau=dict(gain=PLATEAU_GAIN, tail=TAIL),
        verdict_rule=rule,
        pretraining=pretraining,
        runs=summary,
        verdicts=[v for v in verdicts.values() if v])
    out = osp.join(REPO, args.report_dir)
    with atomic_write(osp.join(out, 'results.json'), 'w') as f:
        json.dump(report, f, indent=1)
    with atomic_write(osp.join(out, 'results.md'), 'w') as f:
        f.write(markdown_report(summary, pretraining, findings, verdicts,
                                args.scale, scale, rule))
    title = f'LMIM vs MAE vs no pretraining ({args.scale} scale)'
    budgets = [b for b in scale.budgets
               if any(s['budget'] == b for s in summary.values())]
    draw_chart(summary, budgets, findings, verdicts,
               osp.join(out, 'results.png'), title)
    draw_curves(summary, pretraining, budgets, osp.join(out, 'curves.png'),
                title)
    print(f'report: {osp.join(args.report_dir, "results.md")} (+ '
          'results.json, results.png, curves.png)')
    stop_if_failed(failed)


def measure(scale, args) -> None:
    """Time ``--measure`` iterations of each stage on small data written
    for it (after 3 warm-up iterations) and print the figures of
    ``Scale.seconds``; they also go to ``<report-dir>/speed.json``."""
    warmup, iters = 3, args.measure
    steps = warmup + iters
    small = replace(scale, pretrain_iters=steps,
                    budgets={steps * scale.batch_size: steps},
                    val=100, test=100)
    runs = {r.id: r for r in runs_of(small)}
    with tempfile.TemporaryDirectory(dir=osp.join(REPO, 'work_dirs')) as tmp:
        args.work_dir, args.data_root = tmp, osp.join(tmp, 'data')
        start = speed.measure_start()
        before = speed.children_cpu()
        write_data(small, args)
        cmds = data_commands(small, 0, '')
        images = sum(int(cmd[cmd.index('--num') + 1]) for cmd in cmds)
        # per image, the generator processes' starts left out
        render = speed.children_cpu() - before - len(cmds) * start
        figures = dict(render=max(render, 0.) / images, start=start)
        finetune = f'none-{next(iter(small.budgets))}'
        for stage, run_id in (('mae', 'pretrain-mae'),
                              ('lmim', 'pretrain-lmim'),
                              ('finetune', finetune)):
            task = lmim_task(runs[run_id], 0, small, args)
            measured = speed.measure_task(
                task, run_dir(tmp, run_id, 0), iters, warmup,
                validate=stage == 'finetune')
            figures[stage] = measured['seconds_per_iter']
            if 'infer_per_image' in measured:
                figures['infer'] = measured['infer_per_image']
            print(f'{stage}: {measured}', flush=True)
    text = ', '.join(f'{k}={v:.4g}' for k, v in figures.items())
    print(f'CPU seconds on one thread ({args.scale} scale, batch '
          f'{scale.batch_size}): {text}')
    with atomic_write(osp.join(REPO, args.report_dir, 'speed.json'),
                      'w') as f:
        json.dump(dict(scale=args.scale, iterations=iters,
                       seconds=figures), f, indent=1)


def parse_args(argv: Optional[Sequence[str]] = None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('--scale', choices=sorted(SCALES), default='cpu')
    parser.add_argument(
        '--data-root',
        help='where the generated data go (default: <work-dir>/data)')
    parser.add_argument(
        '--only', nargs='+', metavar='ID',
        help='runs to do (fnmatch patterns on ids such as pretrain-mae, '
        'mae-2000, "*-20000"), with the runs they start from')
    parser.add_argument(
        '--measure', type=int, metavar='N',
        help='time N iterations of each stage on one thread and exit')
    cli.add_set_args(parser)
    args = parser.parse_args(argv)
    args.work_dir = args.work_dir or osp.join('work_dirs', 'experiments',
                                              f'lmim_{args.scale}')
    args.data_root = args.data_root or osp.join(args.work_dir, 'data')
    cli.check_set_args(parser, args, SCALES[args.scale].jobs)
    return args


if __name__ == '__main__':
    main()
