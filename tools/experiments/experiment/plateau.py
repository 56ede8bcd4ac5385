"""Whether a run has converged: its best validation score stopped rising."""
from typing import Mapping, Optional, Sequence

#: A run has plateaued when its best validation 1-NED rose by less than
#: PLATEAU_GAIN points over the last TAIL of its iterations.
PLATEAU_GAIN = 1.0
TAIL = 0.2


def plateau_gain(curve: Sequence[Mapping[str, float]], key: str,
                 max_iters: int) -> Optional[float]:
    """Points the best validation 1-NED (``key``) rose in the last TAIL of
    a run of ``max_iters``: best overall minus best up to (1 - TAIL) of the
    run; None without a point in both parts."""
    values = [p[key] for p in curve if key in p]
    before = [
        p[key] for p in curve
        if key in p and p['iter'] <= (1 - TAIL) * max_iters
    ]
    if not before or len(values) == len(before):
        return None
    return max(values) - max(before)
