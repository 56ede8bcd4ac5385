"""A run as commands: its training with tools/train.py, its tests with
tools/test.py, the run whose checkpoint it starts from; and picking runs
with the runs they start from."""
import fnmatch
import os.path as osp
import shlex
import sys
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple

#: The checkpoint a validated run keeps and is tested with.
BEST = 'best_recog_1-NED_iter_*.pth'
#: The dataloaders whose data root a runner sets.
LOADERS = ('train', 'val', 'test')


@dataclass(frozen=True)
class Test:
    """Another test of a run's best checkpoint (an external set): its
    results go to ``test_<name>.json``; ``config`` is the run's unless
    given (a config with the same model and another test set)."""
    name: str
    options: Tuple[str, ...]
    config: Optional[str] = None


@dataclass(frozen=True)
class Task:
    """One training run and its test: ``key`` names it (``<run>/seed<k>``
    or ``<model>/<recipe>``); ``after`` is the key of the run whose
    checkpoint it starts from. ``test_options`` None: the run is not
    tested (a pretraining, whose product is its checkpoint).
    ``train_args``: flags of tools/train.py (e.g. ``--amp``);
    ``extra_tests``: tests on other sets, run before the main one."""
    key: str
    config: str
    work_dir: str
    options: Tuple[str, ...]
    test_options: Optional[Tuple[str, ...]]
    after: Optional[str] = None
    train_args: Tuple[str, ...] = ()
    extra_tests: Tuple[Test, ...] = ()

    @property
    def tested(self) -> bool:
        return self.test_options is not None


def train_command(task: Task, resume: bool = False) -> List[str]:
    return [
        sys.executable, 'tools/train.py', task.config, '--work-dir',
        task.work_dir, *(['--resume'] if resume else []), *task.train_args,
        '--cfg-options', *task.options
    ]


def test_command(task: Task, checkpoint: str,
                 test: Optional[Test] = None) -> List[str]:
    """tools/test.py on ``checkpoint``: the main test, or ``test``."""
    if test is None:
        config, out, options = task.config, 'test_results.json', \
            task.test_options
    else:
        config, out, options = test.config or task.config, \
            f'test_{test.name}.json', test.options
    return [
        sys.executable, 'tools/test.py', config, checkpoint, '--work-dir',
        task.work_dir, '--out',
        osp.join(task.work_dir, out), '--cfg-options', *options
    ]


def data_root_options(data_root: str) -> List[str]:
    return [
        f'{loader}_dataloader.dataset.data_root={data_root}'
        for loader in LOADERS
    ]


def with_sources(ids: Sequence[str], source_of: Mapping[str,
                                                         Optional[str]],
                 order: Sequence[str]) -> List[str]:
    """``ids`` and the sources they start from, in ``order``."""
    wanted = set(ids)
    for run_id in ids:
        while source_of.get(run_id):
            run_id = source_of[run_id]
            wanted.add(run_id)
    return [i for i in order if i in wanted]


def select(only: Optional[Sequence[str]], source_of: Mapping[str,
                                                              Optional[str]],
           order: Sequence[str]) -> List[str]:
    """Ids matching the ``--only`` patterns (fnmatch), with their sources;
    every id when there are none."""
    if not only:
        return list(order)
    picked = []
    for pattern in only:
        matched = [i for i in order if fnmatch.fnmatchcase(i, pattern)]
        if not matched:
            raise SystemExit(f'--only {pattern!r} matches no run; the runs '
                             f'are: {" ".join(order)}')
        picked += matched
    return with_sources(picked, source_of, order)


def print_tasks(tasks: Sequence[Task],
                seconds: Optional[Mapping[str, Optional[float]]] = None
                ) -> None:
    """Each task's commands, each after a ``# train|test <key>`` line
    (with the task's estimated seconds, if given)."""
    for task in tasks:
        cost = (seconds or {}).get(task.key)
        about = f' (about {cost:.0f} s)' if cost is not None else ''
        print(f'# train {task.key}{about}\n'
              f'{shlex.join(train_command(task))}')
        best = osp.join(task.work_dir, BEST)
        for test in task.extra_tests:
            print(f'# test {task.key} on {test.name}\n'
                  f'{shlex.join(test_command(task, best, test))}')
        if task.tested:
            print(f'# test {task.key}\n'
                  f'{shlex.join(test_command(task, best))}')
