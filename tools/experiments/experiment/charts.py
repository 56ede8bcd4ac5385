"""matplotlib without a display, for the reports' PNG charts."""
import os
import os.path as osp
from typing import Mapping, Sequence

from .plateau import TAIL


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


#: Line styles of a run's seeds in the curve charts.
SEED_STYLES = ('-', '--', ':', '-.')


def draw_curve_panel(ax, summary: Mapping[str, dict], ids: Sequence[str],
                     name: str) -> None:
    """The validation curves of runs ``ids`` on ``ax``, a colour per run and
    a line style per seed, the plateau window of the longest run shaded."""
    for k, run_id in enumerate(ids):
        s = summary[run_id]
        colour = f'C{k}'
        for j, (seed, v) in enumerate(s['seeds'].items()):
            key = v['plateau_key']
            points = [p for p in v['curve'] if key in p]
            ax.plot([p['iter'] for p in points],
                    [p[key] for p in points],
                    SEED_STYLES[j % len(SEED_STYLES)], color=colour,
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
