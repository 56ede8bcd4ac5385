"""The report of CLL-STR's findings: a table and verdict per finding,
convergence per run and seed (findings.md, plain text for the console),
the bar chart with the seeds' spread and the learning curves."""
import statistics
from typing import List, Mapping, Optional

from .charts import draw_curve_panel, pyplot, save_figure
from .cllstr import EVAL_LANGS, FINDINGS, RUNS, TARGET, Scale
from .plateau import PLATEAU_GAIN, TAIL
from .tables import cell, render_table
from .verdicts import Finding


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
            cell(s['mean'].get(c), s['sd'].get(c))
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
    for ax, (name, ids) in zip(axes, panels):
        draw_curve_panel(ax, summary, ids, name)
    axes[0].set_ylabel(f'validation 1-NED ({TARGET})')
    save_figure(fig, out_file, title)

