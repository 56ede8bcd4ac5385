"""Validation 1-NED per script against samples seen, from the MMEngine logs
of a run that may span several sessions (each resume writes a new
``<timestamp>/vis_data/scalars.json``), merged into a JSON record that is
kept in the repo (a new machine has no old logs) and drawn as a PNG.

    python tools/analysis_tools/learning_curve.py ~/cllstr_runs/release \\
        --batch-size 64 --record docs/model_zoo/learning_curve.json \\
        --out docs/model_zoo/learning_curve.png
"""
import argparse
import glob
import json
import os.path as osp
from typing import Dict, List

from cllstr_mm.utils.checkpoint import atomic_write
from cllstr_mm.utils.languages import LANGUAGES


def read_validations(work_dir: str, prefix: str = 'recog') -> List[dict]:
    """Every validation record under ``work_dir``, its ``step`` the
    iteration. A record logged at step 0 (MMEngine's default,
    ``log_metric_by_epoch=True``, logs validation at the epoch, 0 for an
    iteration-based run) gets the step of the training record before it."""
    records = []
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        last_train_step = 0
        with open(path, encoding='utf-8') as f:
            for line in f:
                entry = json.loads(line)
                if f'{prefix}/1-NED' not in entry:
                    last_train_step = entry.get('step', last_train_step)
                    continue
                if not entry.get('step'):
                    entry = dict(entry, step=last_train_step)
                records.append(entry)
    return records


def merge(old: List[dict], new: List[dict], batch_size: int,
          prefix: str = 'recog') -> List[dict]:
    """Points ``{iter, samples, total, <LANG>...}`` of both, one per
    iteration (a new log wins), in iteration order."""
    points: Dict[int, dict] = {p['iter']: p for p in old}
    for entry in new:
        step = int(entry['step'])
        point = dict(iter=step, samples=step * batch_size,
                     total=entry[f'{prefix}/1-NED'])
        for lang in LANGUAGES:
            key = f'{prefix}/{lang}/1-NED'
            if key in entry:
                point[lang] = entry[key]
        points[step] = point
    return [points[k] for k in sorted(points)]


def draw(points: List[dict], out_file: str, title: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    xs = [p['samples'] / 1000 for p in points]
    for lang in LANGUAGES:
        ys = [p.get(lang) for p in points]
        if any(y is not None for y in ys):
            ax.plot(xs, ys, label=lang, linewidth=1.2)
    ax.plot(xs, [p['total'] for p in points], 'k-', linewidth=2.2,
            label='total')
    ax.set_xlabel('training samples seen (thousands)')
    ax.set_ylabel('validation 1-NED')
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(ncol=4, fontsize=8)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('work_dirs', nargs='+',
                        help='work dirs of the run (its stages in order)')
    parser.add_argument('--batch-size', type=int, required=True,
                        help='samples per iteration (all ranks together)')
    parser.add_argument('--record', required=True,
                        help='JSON of the curve so far; updated in place')
    parser.add_argument('--out', required=True, help='PNG to draw')
    parser.add_argument('--title', default='validation 1-NED (new words)')
    args = parser.parse_args()
    old = []
    if osp.exists(args.record):
        with open(args.record, encoding='utf-8') as f:
            old = json.load(f)
    new = [r for d in args.work_dirs for r in read_validations(d)]
    points = merge(old, new, args.batch_size)
    if not points:
        raise SystemExit(f'no validation records under {args.work_dirs} '
                         f'and none in {args.record}')
    with atomic_write(args.record, 'w') as f:
        json.dump(points, f, indent=1)
    draw(points, args.out, args.title)
    last = points[-1]
    print(f'{len(points)} points; last: iter {last["iter"]}, '
          f'{last["samples"]} samples, 1-NED {last["total"]:.2f} -> '
          f'{args.out}')


if __name__ == '__main__':
    main()
