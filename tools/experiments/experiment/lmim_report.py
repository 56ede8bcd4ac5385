"""The report of LMIM's claim: per label budget a table of the three
encoders (evaluation 1-NED and word accuracy, mean ± sd over seeds, the
crop folders' Latin), the verdicts, every run and seed, the pretrainings;
results.md, plain text for the console, and the charts."""
import statistics
from typing import List, Mapping, Optional, Sequence

from .charts import SEED_STYLES, draw_curve_panel, pyplot, save_figure
from .lmim import EXTERNAL_SETS, Scale
from .plateau import PLATEAU_GAIN, TAIL
from .tables import cell, render_table
from .verdicts import Finding


def budget_rows(budget: int, summary: Mapping[str, dict]) -> List[List[str]]:
    """One row per encoder fine-tuned on ``budget`` labels."""
    rows = []
    for s in summary.values():
        if s['budget'] != budget:
            continue
        gains = [v['plateau_gain'] for v in s['seeds'].values()]
        plateau = 'n/a' if None in gains else (
            ('yes' if all(g < PLATEAU_GAIN for g in gains) else 'no') +
            f' (max +{max(gains):.2f})')
        external = []
        for name in EXTERNAL_SETS:
            values = [
                v['external'][name]['1-NED']['trained']
                for v in s['seeds'].values() if name in v['external']
                and v['external'][name]['1-NED']['trained'] is not None
            ]
            external.append(cell(statistics.fmean(values), None)
                            if values else '-')
        rows.append([
            s['name'], str(s['iters']), str(len(s['seeds'])),
            cell(s['mean'].get('total'), s['sd'].get('total')),
            cell(s['word_acc_mean'].get('total'),
                 s['word_acc_sd'].get('total')), *external, plateau
        ])
    return rows


def external_cell(scores: Optional[dict]) -> str:
    """The 1-NED on a crop folder's crops of the trained scripts."""
    if not scores or scores['1-NED']['trained'] is None:
        return '-'
    return f'{scores["1-NED"]["trained"]:.2f}'


BUDGET_HEAD = ['encoder, labels', 'iters', 'seeds', '1-NED', 'word acc',
               *[f'{name} 1-NED' for name in EXTERNAL_SETS],
               f'plateaued (val gain, last {TAIL:.0%})']


def format_results(summary: Mapping[str, dict], budgets: Sequence[int],
                   findings: Sequence[Finding],
                   verdicts: Mapping[str, Optional[dict]]) -> str:
    """Per label budget the table and its verdicts, as plain text."""
    lines = []
    for budget in budgets:
        rows = budget_rows(budget, summary)
        if not rows:
            continue
        lines += ['', f'{budget:,} labelled crops']
        lines += render_table(BUDGET_HEAD, rows)
        lines += [verdicts[f.title]['text'] for f in findings
                  if f.title.endswith(f' {budget:,} labels')
                  and verdicts.get(f.title)]
    return '\n'.join(lines)


def markdown_report(summary: Mapping[str, dict], pretraining: Mapping[str,
                                                                       dict],
                    findings: Sequence[Finding],
                    verdicts: Mapping[str, Optional[dict]], scale_name: str,
                    scale: Scale, rule: Mapping[str, float]) -> str:
    """results.md: per budget the table and verdicts, every run and seed,
    the pretrainings and the charts."""
    lines = [
        f'# LMIM vs MAE vs no pretraining ({scale_name} scale)', '',
        f'Pretraining: {scale.pretrain_iters:,} iterations of batch '
        f'{scale.batch_size} each (MAE, then LMIM against that MAE encoder);'
        f' fine-tuning on the first N labelled crops for '
        + ', '.join(f'{it:,} iterations (N = {b:,})'
                    for b, it in scale.budgets.items()) +
        f'; evaluation {scale.test} crops of held-out words. 1-NED and '
        'word accuracy (x100), mean ± sd over seeds; the crop folders\' '
        'columns score their crops of the trained script, mean over seeds. '
        'A run has '
        'plateaued when its best validation 1-NED rose by less than '
        f'{PLATEAU_GAIN:g} point over the last {TAIL:.0%} of its iterations.'
        f' Verdict rule: difference ± max(2 SE, {rule["noise_floor"]:g}), '
        f'margin {rule["margin"]:g} points (tools/experiments/experiment/'
        'verdicts.py).'
    ]
    for budget in scale.budgets:
        rows = budget_rows(budget, summary)
        if not rows:
            continue
        lines += ['', f'## {budget:,} labelled crops', '']
        lines += render_table(BUDGET_HEAD, rows, markdown=True)
        for finding in findings:
            verdict = verdicts.get(finding.title)
            if verdict and finding.title.endswith(f' {budget:,} labels'):
                lines += ['', f'**{finding.title}: {verdict["verdict"]}**'
                          f' ({finding.claim}): {verdict["text"]}']
    lines += ['', '## Every run and seed', '']
    rows = []
    for s in summary.values():
        for seed, v in s['seeds'].items():
            gain, seconds = v['plateau_gain'], v['train_seconds']
            rows.append([
                s['name'], seed,
                f'{v["scores"]["total"]:.2f}',
                f'{v["word_acc"]["total"]:.2f}',
                *[external_cell(v['external'].get(n)) for n in EXTERNAL_SETS],
                str(v['best_val_iter']),
                '-' if gain is None else f'{gain:+.2f}',
                '-' if seconds is None else f'{seconds:.0f}'
            ])
    lines += render_table([
        'encoder, labels', 'seed', '1-NED', 'word acc',
        *[f'{n} 1-NED' for n in EXTERNAL_SETS], 'best val iter',
        f'gain, last {TAIL:.0%}', 'train s'
    ], rows, markdown=True)
    lines += ['', '## Pretraining', '']
    rows = [[
        p['name'], seed, str(p['iters']),
        '-' if v['final_loss'] is None else f'{v["final_loss"]:.4f}',
        '-' if v['train_seconds'] is None else f'{v["train_seconds"]:.0f}'
    ] for p in pretraining.values() for seed, v in p['seeds'].items()]
    lines += render_table(['run', 'seed', 'iters', 'last loss', 'train s'],
                          rows, markdown=True)
    lines += ['', '![1-NED per encoder and label budget](results.png)', '',
              '![validation curves and pretraining losses](curves.png)', '']
    return '\n'.join(lines)


def draw_chart(summary: Mapping[str, dict], budgets: Sequence[int],
               findings: Sequence[Finding],
               verdicts: Mapping[str, Optional[dict]], out_file: str,
               title: str = '') -> None:
    """One panel per score (1-NED, word accuracy): per label budget a bar
    per encoder, the mean over seeds with their range, each seed a dot;
    the verdicts under the panels."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    for ax, field, label in ((axes[0], 'scores', '1-NED'),
                             (axes[1], 'word_acc', 'word accuracy')):
        encoders = []
        for s in summary.values():
            if s['encoder'] not in encoders:
                encoders.append(s['encoder'])
        width = 0.8 / max(len(encoders), 1)
        for k, encoder in enumerate(encoders):
            xs, values, name = [], [], encoder
            for j, budget in enumerate(budgets):
                s = next((s for s in summary.values()
                          if s['encoder'] == encoder
                          and s['budget'] == budget), None)
                if s is None:
                    continue
                name = s['name'].split(',')[0]
                xs.append(j + (k - (len(encoders) - 1) / 2) * width)
                values.append([v[field]['total']
                               for v in s['seeds'].values()])
            means = [statistics.fmean(v) for v in values]
            ax.bar(xs, means, width, label=name, yerr=[
                [m - min(v) for m, v in zip(means, values)],
                [max(v) - m for m, v in zip(means, values)]
            ], capsize=2)
            for x, v in zip(xs, values):
                ax.plot([x] * len(v), v, 'k.', markersize=3)
        ax.set_xticks(range(len(budgets)),
                      [f'{b:,} labels' for b in budgets])
        ax.set_title(f'evaluation {label}', fontsize=9)
        ax.set_ylim(0, 100)
        if encoders:
            ax.legend(fontsize=7, loc='upper left')
    axes[0].set_ylabel('x100, held-out words')
    said = [f'{f.title}: {verdicts[f.title]["verdict"]}' for f in findings
            if verdicts.get(f.title)]
    if said:
        fig.text(0.5, 0.01, ';  '.join(said), ha='center', fontsize=7)
        fig.subplots_adjust(bottom=0.2)
    save_figure(fig, out_file, title)


def draw_curves(summary: Mapping[str, dict], pretraining: Mapping[str,
                                                                   dict],
                budgets: Sequence[int], out_file: str,
                title: str = '') -> None:
    """Validation 1-NED against iterations, one panel per label budget
    (a colour per encoder, a line style per seed, the plateau window
    shaded), and the pretrainings' losses."""
    plt = pyplot()
    fig, axes = plt.subplots(
        1, len(budgets) + 1, figsize=(4.5 * (len(budgets) + 1), 4))
    for ax, budget in zip(axes, budgets):
        ids = [r for r, s in summary.items() if s['budget'] == budget]
        draw_curve_panel(ax, summary, ids, f'{budget:,} labelled crops')
        ax.set_ylabel('validation 1-NED')
    ax = axes[-1]
    for k, p in enumerate(pretraining.values()):
        for j, (seed, v) in enumerate(p['seeds'].items()):
            ax.plot([e['step'] for e in v['losses']],
                    [e['loss'] for e in v['losses']],
                    SEED_STYLES[j % len(SEED_STYLES)], color=f'C{k}',
                    linewidth=1, label=f'{p["name"]} seed {seed}')
    ax.set_title('pretraining loss', fontsize=9)
    ax.set_xlabel('iteration')
    ax.set_yscale('log')
    ax.grid(alpha=0.3)
    if pretraining:
        ax.legend(fontsize=6)
    save_figure(fig, out_file, title)
