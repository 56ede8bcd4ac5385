"""What a finished run leaves: its test results (which mark it finished),
its validation curve and timing, and a record of them in the report dir
(a few kB) that lets a set continue on a machine without the work dir."""
import glob
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from cllstr_mm.utils.checkpoint import atomic_write
from . import REPO, load_tool
from .tasks import Task


#: tools/analysis_tools/learning_curve.py, the one reader of a run's
#: validation records (it merges resumed sessions).
learning_curve = load_tool('tools/analysis_tools/learning_curve.py')

#: What marks a run without a test (a pretraining) finished: the runner
#: writes it, naming the last checkpoint, when the training ends.
TRAINED = 'trained.json'


def test_results_file(work_dir: str, name: Optional[str] = None) -> str:
    """tools/test.py's results of a run (of its test ``name``): the main
    ones mark it finished."""
    return osp.join(REPO, work_dir,
                    f'test_{name}.json' if name else 'test_results.json')


def finished(task: Task) -> bool:
    if task.tested:
        return osp.isfile(test_results_file(task.work_dir))
    return osp.isfile(osp.join(REPO, task.work_dir, TRAINED))


def read_json(path: str):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def read_metrics(work_dir: str,
                 name: Optional[str] = None) -> Optional[Dict[str, float]]:
    """tools/test.py's metrics of a finished run (of its test ``name``);
    None while they are missing."""
    path = test_results_file(work_dir, name)
    if not osp.isfile(path):
        return None
    return read_json(path)['metrics']


def read_timing(work_dir: str) -> dict:
    """The runner's ``timing.json`` of a run; empty while there is none."""
    path = osp.join(REPO, work_dir, 'timing.json')
    return read_json(path) if osp.isfile(path) else {}


def read_result(work_dir: str, batch_size: int) -> Optional[dict]:
    """A finished run's test metrics, validation curve and training time;
    None while its test results are missing."""
    metrics = read_metrics(work_dir)
    if metrics is None:
        return None
    out = osp.join(REPO, work_dir)
    return dict(
        metrics=metrics,
        curve=learning_curve.merge([],
                                   learning_curve.read_validations(out),
                                   batch_size),
        train_seconds=read_timing(work_dir).get('train_seconds'))


def read_train_log(work_dir: str) -> List[dict]:
    """The training records (loss, lr) MMEngine logged under ``work_dir``,
    one per logged iteration (a resumed session's win), in order."""
    points: Dict[int, dict] = {}
    for path in sorted(
            glob.glob(osp.join(REPO, work_dir, '*', 'vis_data',
                               'scalars.json'))):
        with open(path, encoding='utf-8') as f:
            for line in f:
                entry = json.loads(line)
                if 'loss' in entry and 'step' in entry:
                    points[int(entry['step'])] = entry
    return [points[k] for k in sorted(points)]


def record_file(record_dir: str, key: str) -> str:
    """Where the record of run ``key`` (``<run>/seed<k>``) is kept."""
    return osp.join(REPO, record_dir, key + '.json')


def extra_test_names(work_dir: str) -> List[str]:
    """Names of a run's other tests (``test_<name>.json``), sorted."""
    names = [
        osp.basename(path)[len('test_'):-len('.json')]
        for path in glob.glob(osp.join(REPO, work_dir, 'test_*.json'))
    ]
    return sorted(n for n in names
                  if n != 'results' and not n.endswith('.partial'))


def save_record(key: str, work_dir: str, record_dir: str) -> None:
    """Keep what the report needs of finished run ``key`` (its test
    results, timing and validation records, a few kB; for a run without
    a test, its training log; its other tests' results) in
    ``record_dir``, so that results survive the loss of the git-ignored
    work dir: committed with the report, they let the same command
    continue on a new machine."""
    out = osp.join(REPO, work_dir)
    if osp.isfile(test_results_file(work_dir)):
        record = dict(test_results=read_json(test_results_file(work_dir)),
                      timing={},
                      validations=learning_curve.read_validations(out))
    else:
        record = dict(trained=read_json(osp.join(out, TRAINED)), timing={},
                      train_log=read_train_log(work_dir))
    record['timing'] = read_timing(work_dir)
    tests = {
        name: read_json(test_results_file(work_dir, name))
        for name in extra_test_names(work_dir)
    }
    if tests:
        record['extra_tests'] = tests
    with atomic_write(record_file(record_dir, key), 'w') as f:
        json.dump(record, f, indent=1)


def restore_records(tasks: Sequence[Task], record_dir: str) -> None:
    """Write back the records of runs whose work dir has no results,
    except a source that an unfinished, unrecorded run needs the
    checkpoint of (a record has none): that source is trained again, and
    so are the sources it needs in turn."""
    restorable = {
        t.key for t in tasks
        if not finished(t) and osp.isfile(record_file(record_dir, t.key))
    }
    # sources come before the runs that start from them: going backwards,
    # a source given back to training takes its own source with it
    for task in reversed(tasks):
        if task.after in restorable and not finished(task) and \
                task.key not in restorable:
            restorable.discard(task.after)
    for task in tasks:
        if task.key not in restorable:
            continue
        record = read_json(record_file(record_dir, task.key))
        out = osp.join(REPO, task.work_dir)
        lines = record.get('validations', []) + record.get('train_log', [])
        with atomic_write(osp.join(out, 'restored', 'vis_data',
                                   'scalars.json'), 'w') as f:
            f.writelines(json.dumps(v) + '\n' for v in lines)
        with atomic_write(osp.join(out, 'timing.json'), 'w') as f:
            json.dump(record['timing'], f, indent=1)
        for name, results in record.get('extra_tests', {}).items():
            with atomic_write(test_results_file(task.work_dir, name),
                              'w') as f:
                json.dump(results, f, indent=1)
        # last: the test results (or the training's end) mark the run
        # finished
        if 'test_results' in record:
            marker, content = test_results_file(task.work_dir), \
                record['test_results']
        else:
            marker, content = osp.join(out, TRAINED), record['trained']
        with atomic_write(marker, 'w') as f:
            json.dump(content, f, indent=1)
        print(f'{task.key}: restored from '
              f'{osp.relpath(record_file(record_dir, task.key), REPO)}',
              flush=True)


def run_dir(work_dir: str, run_id: str, seed: int) -> str:
    """``<work_dir>/<run_id>/seed<seed>``: where a run's seed trains."""
    return osp.join(work_dir, run_id, f'seed{seed}')


def finished_seeds(work_dir: str, run_id: str,
                   max_seed: Optional[int] = None) -> List[int]:
    """Seeds ``k`` of ``<work_dir>/<run_id>/seed<k>`` (below ``max_seed``
    if given), ascending."""
    root = osp.join(REPO, work_dir, run_id)
    names = sorted(os.listdir(root)) if osp.isdir(root) else []
    return [
        int(name[4:]) for name in names
        if name.startswith('seed') and name[4:].isdigit() and (
            max_seed is None or int(name[4:]) < max_seed)
    ]
