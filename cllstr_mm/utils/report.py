"""Tables of per-language scores, in the original CLL-STR test layout.

Reads the keys :class:`MultilingualRecogMetric` produces
(``<prefix>/<LANG>/1-NED``, ``<prefix>/1-NED``, ...).
"""
from typing import Dict, List, Optional

from .languages import TABLE_ORDER

SCORES = ('1-NED', 'word_acc')


def languages_in(metrics: Dict[str, float], prefix: str = 'recog') -> List[str]:
    """Languages that have scores in ``metrics``: the table order first, then
    any other group (e.g. a custom folder) alphabetically."""
    found = set()
    for key in metrics:
        parts = key.split('/')
        if len(parts) == 3 and parts[0] == prefix and parts[2] == '1-NED':
            found.add(parts[1])
    return [lang for lang in TABLE_ORDER if lang in found] + \
        sorted(found - set(TABLE_ORDER))


def format_table(metrics: Dict[str, float],
                 prefix: str = 'recog',
                 name: str = 'model',
                 ms_per_image: Optional[float] = None,
                 num_params: Optional[int] = None) -> str:
    """One row per score (1-NED, word accuracy) with a column per language
    and the pooled total, plus the speed and size of the model."""
    extra = []
    if ms_per_image is not None:
        extra.append(('ms/img', f'{ms_per_image:.2f}'))
    if num_params is not None:
        extra.append(('params', f'{num_params / 1e6:.2f}M'))
    if f'{prefix}/{SCORES[0]}' not in metrics:
        # Another evaluator (e.g. MMOCR's WordMetric in the English LMIM
        # configs): list its figures as they are.
        return '\n'.join([f'{name}'] + [
            f'  {key}: {value:.4f}' if isinstance(value, float) else
            f'  {key}: {value}' for key, value in metrics.items()
        ] + [f'  {key}: {value}' for key, value in extra])
    langs = languages_in(metrics, prefix)
    head = ['model', 'score'] + langs + ['total']
    head += [k for k, _ in extra]
    rows = []
    for score in SCORES:
        row = [name, score]
        row += [f'{metrics[f"{prefix}/{lang}/{score}"]:.2f}' for lang in langs]
        row.append(f'{metrics[f"{prefix}/{score}"]:.2f}')
        row += [v for _, v in extra]
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [head] + rows)
              for i in range(len(head))]
    lines = [' '.join(str(c).rjust(w) for c, w in zip(r, widths))
             for r in [head] + rows]
    return '\n'.join(lines)
