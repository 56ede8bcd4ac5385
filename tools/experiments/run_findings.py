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
import json
import os.path as osp
import shlex
import sys
from dataclasses import asdict, replace
from typing import Optional, Sequence

# the runners' package lies next to this file; a test loads it by path
HERE = osp.dirname(osp.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
from experiment import REPO, cli, cllstr_paper  # noqa: E402
from experiment.cllstr import (FINDINGS, RECORD_DIR, RUN_BY_ID,  # noqa: E402
                               RUNS, SCALES, SOURCE_OF, collect_synthetic,
                               data_commands, estimate, judge,
                               needs_extra_seed, run_dir, summarise,
                               synth_task, write_data)
from experiment.cllstr_report import (draw_chart, draw_curves,  # noqa: E402
                                      format_findings, markdown_report)
from experiment.plateau import PLATEAU_GAIN, TAIL  # noqa: E402
from experiment.records import restore_records, save_record  # noqa: E402
from experiment.runner import run_tasks, stop_if_failed  # noqa: E402
from experiment.tasks import print_tasks, select, with_sources  # noqa: E402

from cllstr_mm.utils.checkpoint import atomic_write  # noqa: E402


def synthetic_main(args) -> None:
    scale = SCALES[args.scale]
    if args.iters is not None:
        scale = replace(scale, iters=args.iters)
    ids = select(args.only, SOURCE_OF, [r.id for r in RUNS])
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
    # the extra seeds' records too: on a machine without the work dir, the
    # report is then the one the records were made for
    restore_records([
        synth_task(RUN_BY_ID[i], seed, scale, args)
        for seed in range(args.max_seeds) for i in ids
    ], records)
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
                runs = with_sources(finding.runs, SOURCE_OF, ids)
                extra += [
                    synth_task(RUN_BY_ID[i], seed, scale, args)
                    for seed in range(args.seeds, args.max_seeds)
                    for i in runs
                ]
        # a source shared by two findings is run once
        extra = list({t.key: t for t in extra}.values())
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


def parse_args(argv: Optional[Sequence[str]] = None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        '--scale', choices=sorted(SCALES) + ['paper'], default='cpu')
    parser.add_argument(
        '--data-root',
        help='paper: the CLL-STR data (default: data); synthetic: where the '
        'generated data goes (default: <work-dir>/data)')
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
    cli.add_set_args(parser)
    args = parser.parse_args(argv)
    if args.iters is not None and args.iters < 2:
        parser.error(f'--iters must be >= 2, got {args.iters}')
    args.work_dir = args.work_dir or osp.join('work_dirs', 'experiments',
                                              args.scale)
    if args.data_root is None:
        args.data_root = 'data' if args.scale == 'paper' else osp.join(
            args.work_dir, 'data')
    cli.check_set_args(parser, args, SCALES[args.scale].jobs
                       if args.scale in SCALES else 1)
    return args


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    if args.scale == 'paper':
        cllstr_paper.paper_main(args)
    else:
        synthetic_main(args)


if __name__ == '__main__':
    main()
