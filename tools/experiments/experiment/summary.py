"""A run's results per seed as the reports show them: scores per script,
the plateau test on its validation curve, mean and sd over seeds."""
from typing import Dict, Mapping, Optional, Sequence, Tuple

from .plateau import PLATEAU_GAIN, plateau_gain
from .verdicts import mean_sd


def lang_scores(metrics: Mapping[str, float], langs: Sequence[str],
                score: str = '1-NED') -> Dict[str, float]:
    """Per-language and pooled ``score`` from tools/test.py's metrics."""
    out = {
        lang: metrics[f'recog/{lang}/{score}']
        for lang in langs if f'recog/{lang}/{score}' in metrics
    }
    out['total'] = metrics[f'recog/{score}']
    return out


def seed_summary(result: Mapping, iters: int, key: str,
                 langs: Sequence[str]) -> dict:
    """One seed of a run of ``iters`` iterations (:func:`~.records.
    read_result`): its evaluation 1-NED and word accuracy per script, the
    plateau test on validation ``key``, the iteration of its best
    validation, its training time and its curve (``key`` and pooled)."""
    curve = result['curve']
    gain = plateau_gain(curve, key, iters)
    best = max(curve, key=lambda p: p.get(key, -1.0), default=None)
    return dict(
        scores=lang_scores(result['metrics'], langs),
        word_acc=lang_scores(result['metrics'], langs, 'word_acc'),
        plateau_key=key,
        plateau_gain=gain,
        plateaued=gain is not None and gain < PLATEAU_GAIN,
        best_val_iter=best['iter'] if best else None,
        train_seconds=result['train_seconds'],
        curve=[{k: p[k]
                for k in ('iter', key, 'total') if k in p} for p in curve])


def over_seeds(per_seed: Mapping[str, dict], columns: Sequence[str],
               field: str = 'scores'
               ) -> Tuple[Dict[str, float], Dict[str, Optional[float]]]:
    """Mean and sd over seeds of ``per_seed[*][field][column]``, for the
    columns some seed has."""
    mean, sd = {}, {}
    for column in columns:
        values = [
            s[field][column] for s in per_seed.values()
            if column in s[field]
        ]
        if values:
            mean[column], sd[column] = mean_sd(values)
    return mean, sd
