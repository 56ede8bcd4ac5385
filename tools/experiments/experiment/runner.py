"""Running tasks: resumable trainings and their tests, several at a time,
each after the run it starts from, timed across sessions."""
import json
import os
import os.path as osp
import shlex
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Mapping, Optional, Sequence

from cllstr_mm.utils.checkpoint import atomic_write
from cllstr_mm.utils.cli import newest_match
from . import REPO
from .records import TRAINED, finished, save_record
from .tasks import BEST, Task, test_command, train_command


def subprocess_env(jobs: int) -> Dict[str, str]:
    """The environment of the tools: this checkout first on the path and,
    with several jobs, the cores shared out unless OMP_NUM_THREADS is
    set."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (REPO, env.get('PYTHONPATH')) if p)
    if jobs > 1 and 'OMP_NUM_THREADS' not in env:
        env['OMP_NUM_THREADS'] = str(max(1, (os.cpu_count() or 1) // jobs))
    return env


def execute(cmd: List[str], log_file: str, env: Mapping[str, str],
            tick: Optional[Callable[[], None]] = None,
            every: float = 60.0) -> None:
    """Run ``cmd`` from the repository root, its output appended to
    ``log_file``, calling ``tick`` every ``every`` seconds while it runs."""
    print('$ ' + shlex.join(cmd), flush=True)
    with open(log_file, 'a', encoding='utf-8') as log:
        log.write('$ ' + shlex.join(cmd) + '\n')
        log.flush()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=log,
                                env=env)
        while True:
            try:
                returncode = proc.wait(timeout=every)
                break
            except subprocess.TimeoutExpired:
                if tick is not None:
                    tick()
    if returncode:
        raise RuntimeError(f'command failed ({returncode}); see '
                           f'{log_file}:\n{shlex.join(cmd)}')


def best_checkpoint(run_work_dir: str) -> str:
    found = newest_match(osp.join(run_work_dir, BEST))
    if found is None:
        raise FileNotFoundError(
            f'no {BEST} in {run_work_dir}: its training did not finish; '
            'see run.log there')
    return found


def last_checkpoint(run_work_dir: str) -> str:
    """The checkpoint MMEngine saved last in ``run_work_dir``."""
    marker = osp.join(run_work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        raise FileNotFoundError(
            f'no last_checkpoint in {run_work_dir}: its training did not '
            'save a checkpoint; see run.log there')
    with open(marker, encoding='utf-8') as f:
        return f.read().strip()


def run_task(task: Task, env: Mapping[str, str],
             record_dir: Optional[str] = None) -> None:
    """Train (resuming from the run's last checkpoint if it has one), then
    test the best checkpoint (on the extra sets first, the main test last:
    its results mark the run finished); a run without a test is marked
    finished by ``trained.json``, naming its last checkpoint. Training
    time (summed over resumed sessions, saved every minute while training,
    so a killed session keeps its time) and the load average go to
    ``timing.json``; with ``record_dir``, the run's record
    (:func:`~.records.save_record`) goes there."""
    out = osp.join(REPO, task.work_dir)
    os.makedirs(out, exist_ok=True)
    log = osp.join(out, 'run.log')
    timing_file = osp.join(out, 'timing.json')
    timing = dict(train_seconds=0.0, sessions=[])
    if osp.isfile(timing_file):
        with open(timing_file, encoding='utf-8') as f:
            timing = json.load(f)
    session = dict(seconds=0.0, load_before=os.getloadavg()[0])
    timing['sessions'].append(session)
    start = time.time()

    def save_timing() -> None:
        # also while training, so a session cut off by a kill keeps its time
        session['seconds'] = round(time.time() - start, 1)
        timing['train_seconds'] = sum(
            entry['seconds'] for entry in timing['sessions'])
        with atomic_write(timing_file, 'w') as f:
            json.dump(timing, f, indent=1)

    execute(
        train_command(task, osp.isfile(osp.join(out, 'last_checkpoint'))),
        log, env, tick=save_timing)
    session['load_after'] = os.getloadavg()[0]
    save_timing()
    if task.tested:
        best = best_checkpoint(out)
        for test in task.extra_tests:
            execute(test_command(task, best, test), log, env)
        execute(test_command(task, best), log, env)
    else:
        with atomic_write(osp.join(out, TRAINED), 'w') as f:
            json.dump(dict(checkpoint=last_checkpoint(out)), f, indent=1)
    if record_dir is not None:
        save_record(task.key, task.work_dir, record_dir)
    print(f'{task.key}: trained in {session["seconds"]:.0f} s' +
          (' and tested' if task.tested else ''), flush=True)


def run_tasks(tasks: Sequence[Task], jobs: int,
              record_dir: Optional[str] = None) -> List[str]:
    """Run the tasks that are not finished, ``jobs`` at a time, each after
    the task it starts from, recording each in ``record_dir`` if given. A
    failure stops what depends on it, not the rest; returns one line per
    failed task."""
    todo = [t for t in tasks if not finished(t)]
    if not todo:
        return []
    env = subprocess_env(jobs)
    futures = {}

    def work(task: Task) -> None:
        if task.after in futures:
            futures[task.after].result()
        run_task(task, env, record_dir)

    # tasks are submitted sources first, so a waiting task never holds a
    # worker its source needs
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for task in todo:
            futures[task.key] = pool.submit(work, task)
    return [
        f'{key}: {future.exception()}' for key, future in futures.items()
        if future.exception() is not None
    ]


def stop_if_failed(failed: Sequence[str]) -> None:
    """Exit with the failed runs listed (after the report of the rest)."""
    if failed:
        raise SystemExit('failed runs (their logs say why; the same command '
                         'retries them):\n' + '\n'.join(failed))
