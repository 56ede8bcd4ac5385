"""Data written once per data root by generator commands, and kept while
the commands that wrote it stay the same."""
import json
import os
import os.path as osp
import time
from typing import List, Sequence

from cllstr_mm.utils.checkpoint import atomic_write
from . import REPO
from .runner import execute, subprocess_env


def data_spec(cmds: Sequence[List[str]]) -> List[List[str]]:
    """What fixes the data of ``cmds``: their arguments but the Python
    and ``--workers`` (the output does not depend on them)."""
    spec = []
    for cmd in cmds:
        i = cmd.index('--workers')
        spec.append(cmd[1:i] + cmd[i + 2:])
    return spec


def write_data(cmds: Sequence[List[str]], data_root: str) -> None:
    """Run ``cmds`` unless ``<data_root>/done.json`` says they wrote it;
    a data root written otherwise is an error."""
    spec = data_spec(cmds)
    stamp = osp.join(REPO, data_root, 'done.json')
    if osp.isfile(stamp):
        with open(stamp, encoding='utf-8') as f:
            if json.load(f) == spec:
                return
        raise SystemExit(
            f'{data_root} holds data written with other sizes or seeds '
            f'({stamp}); pass another --work-dir or --data-root, or remove it')
    os.makedirs(osp.join(REPO, data_root), exist_ok=True)
    start = time.time()
    for cmd in cmds:
        execute(cmd, osp.join(REPO, data_root, 'data.log'),
                subprocess_env(1))
    with atomic_write(stamp, 'w') as f:
        json.dump(spec, f)
    print(f'data written in {time.time() - start:.0f} s', flush=True)
