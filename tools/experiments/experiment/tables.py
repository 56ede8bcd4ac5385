"""Plain-text and Markdown tables of the reports."""
from typing import List, Optional, Sequence


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


def cell(mean: Optional[float], sd: Optional[float]) -> str:
    """``mean ± sd`` with two decimals, the mean alone for one seed, '-'
    without a value."""
    if mean is None:
        return '-'
    return f'{mean:.2f}' + (f' ± {sd:.2f}' if sd is not None else '')
