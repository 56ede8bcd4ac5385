"""Validation 1-NED per script against samples seen, from the MMEngine logs
of a run that may span several sessions (each resume writes a new
``<timestamp>/vis_data/scalars.json``) and several stages (a run started
with ``load_from`` counts its iterations from 0 again: give each stage's
offset), merged into a JSON record ``{set: [point, ...]}`` that is kept in
the repo (a new machine has no old logs) and drawn as a PNG, one panel per
validation set (the metric prefix each set logs under).

    python tools/analysis_tools/learning_curve.py ~/cllstr_runs/release \\
        --batch-size 64 --record docs/model_zoo/learning_curve.json \\
        --out docs/model_zoo/learning_curve.png

    python tools/analysis_tools/learning_curve.py \\
        ~/cllstr_runs/pilot_text-style ~/cllstr_runs/release2 \\
        --iter-offsets 0 600 --batch-size 64 \\
        --sets real_photo real_screen render2 recog \\
        --record docs/model_zoo/learning_curve_release2.json \\
        --out docs/model_zoo/learning_curve_release2.png
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
          prefix: str = 'recog', iter_offset: int = 0) -> List[dict]:
    """Points ``{iter, samples, total, <LANG>...}`` of both, one per
    iteration (a new log wins), in iteration order; the steps of ``new``
    (``read_validations`` of the same ``prefix``) count from
    ``iter_offset``."""
    points: Dict[int, dict] = {p['iter']: p for p in old}
    for entry in new:
        step = int(entry['step']) + iter_offset
        point = dict(iter=step, samples=step * batch_size,
                     total=entry[f'{prefix}/1-NED'])
        for lang in LANGUAGES:
            key = f'{prefix}/{lang}/1-NED'
            if key in entry:
                point[lang] = entry[key]
        points[step] = point
    return [points[k] for k in sorted(points)]


def draw(curves: Dict[str, List[dict]], out_file: str, title: str) -> None:
    """One panel per set of ``curves`` (``{set: points}``), side by side."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    cols = min(2, len(curves))
    rows = -(-len(curves) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(7 * cols, 4.2 * rows),
                             dpi=90 if cols > 1 else 110, squeeze=False)
    for ax, (name, points) in zip(axes.flat, curves.items()):
        _draw_panel(ax, points, title if len(curves) == 1 else name)
    for ax in list(axes.flat)[len(curves):]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)


def _draw_panel(ax, points: List[dict], title: str) -> None:
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


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('work_dirs', nargs='+',
                        help='work dirs of the run (its stages in order)')
    parser.add_argument('--iter-offsets', type=int, nargs='+',
                        help='per work dir, the iterations before its '
                        'first (a stage started with load_from counts '
                        'from 0); default 0 each')
    parser.add_argument('--batch-size', type=int, required=True,
                        help='samples per iteration (all ranks together)')
    parser.add_argument('--sets', nargs='+', default=['recog'],
                        help='metric prefixes of the validation sets to '
                        'draw (default: recog, the one set of a plain '
                        'config)')
    parser.add_argument('--record', required=True,
                        help='JSON of the curve so far; updated in place')
    parser.add_argument('--out', required=True, help='PNG to draw')
    parser.add_argument('--title', default='validation 1-NED (new words)')
    args = parser.parse_args()
    offsets = args.iter_offsets or [0] * len(args.work_dirs)
    if len(offsets) != len(args.work_dirs):
        parser.error(f'--iter-offsets gives {len(offsets)} offsets for '
                     f'{len(args.work_dirs)} work dirs; give one per dir')
    old = {}
    if osp.exists(args.record):
        with open(args.record, encoding='utf-8') as f:
            old = json.load(f)
        if not isinstance(old, dict):
            raise SystemExit(f'{args.record} is not a curve record '
                             '({set: [points]}); name a new --record')
    curves = {}
    for name in args.sets:
        points = old.get(name, [])
        for work_dir, offset in zip(args.work_dirs, offsets):
            points = merge(points, read_validations(work_dir, name),
                           args.batch_size, name, offset)
        if not points:
            raise SystemExit(f'no validation records of set {name!r} '
                             f'under {args.work_dirs} and none in '
                             f'{args.record}; --sets names the metric '
                             'prefixes the run logs')
        curves[name] = points
    with atomic_write(args.record, 'w') as f:
        json.dump({**old, **curves}, f, indent=1)
    draw(curves, args.out, args.title)
    for name, points in curves.items():
        last = points[-1]
        print(f'{name}: {len(points)} points; last: iter {last["iter"]}, '
              f'{last["samples"]} samples, 1-NED {last["total"]:.2f}')
    print(f'-> {args.out}')


if __name__ == '__main__':
    main()
