"""tools/experiments/run_findings.py: the CPU-scale plan and its configs,
the plateau test and verdict rule, the reports and records, and a short real
run of the CPU plan on generated data so that it cannot rot (the paper-scale
set: test_experiments_paper.py)."""
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from mmengine.config import Config
from PIL import Image
from tool_utils import (SMALL_LOADERS, cfg_option, dry_run_commands,
                        flag_value, load_tool)

from cllstr_mm.datasets.lmdb_reader import LMDBReader
from cllstr_mm.datasets.synthesis.words import load_words, split_words

REPO = Path(__file__).resolve().parents[1]
# the runners' package, as run_findings.py imports it
sys.path.insert(0, str(REPO / 'tools' / 'experiments'))
from experiment import cllstr, runner  # noqa: E402
from experiment.data import data_spec  # noqa: E402
from experiment.plateau import plateau_gain  # noqa: E402
from experiment.tasks import Task  # noqa: E402
from experiment.verdicts import Finding  # noqa: E402

# The CPU plan as designed (docs/experiments/README.md), written out here
# rather than read from the runner: run -> (iterations, train select_data,
# train data_usage, val select_data, source run).
CPU_PLAN = {
    'lang-B': (1600, 'lang_B', {}, 'lang_B', None),
    'joint': (1600, 'lang_BHL', {}, 'lang_BHL', None),
    'lang-H': (800, 'lang_H', {}, 'lang_H', None),
    'lang-L': (800, 'lang_L', {'LAT': 250}, 'lang_L', None),
    'cascade-hin-ben': (400, 'lang_B', {}, 'lang_B', 'lang-H'),
    'cascade-lat-ben': (400, 'lang_B', {}, 'lang_B', 'lang-L'),
    'base': (1600, 'lang_BHL', {'LAT': 250}, 'lang_BHL', None),
    'base-synthmlt-kor': (1600, 'lang_BHL-SynthMLT_K', {'LAT': 250},
                          'lang_BHL', None),
}


@pytest.fixture(scope='module')
def findings():
    return load_tool('tools/experiments/run_findings.py')


def test_cpu_dry_run_lists_data_runs_seeds_and_estimate(findings, capsys):
    findings.main(['--dry-run', '--work-dir', 'w'])
    out = capsys.readouterr().out
    cmds = dry_run_commands(out)
    for seed in (0, 1):
        for run_id, (iters, *_, source) in CPU_PLAN.items():
            train = cmds[f'# train {run_id}/seed{seed}']
            assert train[1:3] == [
                'tools/train.py',
                f'configs/textrecog/cllstr/experiments/'
                f'svtr-tiny_1xb32_synth-{run_id}.py'
            ]
            assert flag_value(train, '--work-dir') == f'w/{run_id}/seed{seed}'
            assert cfg_option(train, 'randomness.seed') == str(seed)
            assert cfg_option(train, 'train_cfg.max_iters') == str(iters)
            assert cfg_option(train, 'train_cfg.dynamic_intervals') == \
                f'[(3,{iters // 10})]'
            assert cfg_option(train, 'default_hooks.checkpoint.interval') == \
                str(iters // 10)
            assert cfg_option(train, 'train_dataloader.batch_size') == '32'
            assert cfg_option(train, 'optim_wrapper.optimizer.lr') == '0.0003'
            for loader in ('train', 'val', 'test'):
                assert cfg_option(train, f'{loader}_dataloader.dataset.'
                               'data_root') == 'w/data'
            assert cfg_option(train, 'load_from') == (
                f'w/{source}/seed{seed}/best_recog_1-NED_iter_*.pth'
                if source else None)
            test = cmds[f'# test {run_id}/seed{seed}']
            assert test[1:3] == ['tools/test.py', train[2]]
            assert test[3] == \
                f'w/{run_id}/seed{seed}/best_recog_1-NED_iter_*.pth'
            assert flag_value(test, '--out') == \
                f'w/{run_id}/seed{seed}/test_results.json'
    assert not any(k.startswith('# train') and 'seed2' in k for k in cmds)
    assert '# then, for each finding whose two runs differ by less than 5 ' \
        'points' in out and 'seed 2 of its runs and sources' in out
    assert '# estimate: 17600 iterations in 16 runs' in out

    sizes, words = {}, {}
    for what, cmd in cmds.items():
        if not what.startswith('# data'):
            continue
        where = ('SynthMLT' if '--synthmlt' in cmd else
                 flag_value(cmd, '--split'))
        langs = cmd[cmd.index('--langs') + 1:cmd.index('--num')]
        for lang in langs:
            sizes[where, lang] = int(flag_value(cmd, '--num'))
        words[where] = flag_value(cmd, '--word-split')
        assert flag_value(cmd, '--seed') == '0'
        assert flag_value(cmd, '--height', 2) == ['32', '32']
        assert flag_value(cmd, '--out') == 'w/data'
    # the paper's ratios: LAT ten times each low-resource script, SynthMLT
    # as large again; evaluation words held out of training
    assert sizes == {
        ('training', 'BEN'): 250, ('training', 'HIN'): 250,
        ('training', 'LAT'): 2500, ('SynthMLT', 'KOR'): 2500,
        ('validation', 'BEN'): 300, ('validation', 'HIN'): 150,
        ('validation', 'LAT'): 150, ('evaluation', 'BEN'): 500,
        ('evaluation', 'HIN'): 500, ('evaluation', 'KOR'): 500,
        ('evaluation', 'LAT'): 500
    }
    assert words == {'training': 'train', 'SynthMLT': 'train',
                     'validation': 'heldout', 'evaluation': 'heldout'}


def test_configs_are_the_cpu_plan(findings):
    scale = findings.SCALES['cpu']
    assert [r.id for r in findings.RUNS] == list(CPU_PLAN)
    for run in findings.RUNS:
        iters, select, usage, val_select, source = CPU_PLAN[run.id]
        cfg = Config.fromfile(REPO / run.config_path)
        assert cfg.model.type == 'CLLSVTR'
        assert cfg.model.init_cfg.zero_residual_branches is True
        assert cfg.train_dataloader.batch_size == 32
        assert cfg.optim_wrapper.optimizer.lr == 3e-4
        assert cfg.param_scheduler[0].pct_start == 0.1
        assert cfg.train_cfg.max_iters == iters
        assert cllstr.run_iters(run, scale) == iters
        assert cfg.train_cfg.dynamic_intervals == [(3, iters // 10)]
        assert cfg.default_hooks.checkpoint.interval == iters // 10
        assert cfg.default_hooks.logger.log_metric_by_epoch is False
        train = cfg.train_dataloader.dataset
        assert (train.select_data, dict(train.data_usage or {})) == \
            (select, usage)
        assert bool(usage) == run.capped
        assert all(cap == scale.low for cap in usage.values())
        assert cfg.val_dataloader.dataset.select_data == val_select
        assert cfg.test_dataloader.dataset.select_data == 'lang_BHLK'
        assert cfg.test_dataloader.dataset.split == 'evaluation'
        assert run.source == source
        assert cfg.get('load_from') == (
            f'work_dirs/svtr-tiny_1xb32_synth-{source}/'
            'best_recog_1-NED_iter_*.pth' if source else None)


def test_plateau_gain(findings):
    rising = [dict(iter=i, BEN=v) for i, v in [
        (1, 0.0), (160, 10.0), (800, 35.0), (1280, 40.0), (1440, 40.5),
        (1600, 40.8)]]
    assert plateau_gain(rising, 'BEN', 1600) == pytest.approx(0.8)
    late = rising[:-1] + [dict(iter=1600, BEN=43.0)]
    assert plateau_gain(late, 'BEN', 1600) == pytest.approx(3.0)
    overfit = [dict(iter=1, BEN=0.0), dict(iter=800, BEN=45.0),
               dict(iter=1440, BEN=41.0), dict(iter=1600, BEN=40.0)]
    assert plateau_gain(overfit, 'BEN', 1600) == 0.0
    assert plateau_gain(rising[:4], 'BEN', 1600) is None
    assert plateau_gain(rising, 'HIN', 1600) is None


def _summary(values, plateaued=True):
    """A summary with the given target scores per run id and seed."""
    return {
        run_id: dict(name=run_id, seeds={
            str(seed): dict(scores={'BEN': v}, plateaued=plateaued,
                            plateau_gain=0.2 if plateaued else 3.5)
            for seed, v in enumerate(vs)
        }) for run_id, vs in values.items()
    }


@pytest.mark.parametrize('expect,first,second,verdict,diff,noise', [
    # diff -0.5; SE sqrt(.125/2 * 2) = 0.354, 2 SE under the floor 1
    ('not worse', [40, 40.5], [39.5, 40], 'held', -0.5, 1.0),
    # diff -10; SE sqrt(.5/2 + .5/2) = 0.707, noise 1.414
    ('not worse', [40, 41], [30, 31], 'did not hold', -10, 2 ** 0.5),
    # diff -1; SE sqrt(2/2 + 2/2) = 1.414: the band -3.83..1.83 holds -2
    ('not worse', [40, 42], [39, 41], 'cannot tell at this scale', -1,
     2 * 2 ** 0.5),
    ('better', [20, 21], [25, 26], 'held', 5, 2 ** 0.5),
    ('better', [20, 21], [20, 21], 'did not hold', 0, 2 ** 0.5),
    # diff 2; SE sqrt(8/2 + 8/2) = 2.83
    ('better', [20, 24], [22, 26], 'cannot tell at this scale', 2,
     2 * 8 ** 0.5),
])
def test_verdict_rule(findings, expect, first, second, verdict, diff, noise):
    finding = Finding('f', 'claim', ('a', 'b'), expect)
    summary = _summary({'a': first, 'b': second})
    out = findings.judge(finding, summary, margin=2.0, noise_floor=1.0)
    assert out['verdict'] == verdict
    assert out['diff'] == pytest.approx(diff)
    assert out['noise'] == pytest.approx(noise)
    assert out['seeds'] == [2, 2]
    assert out['text'].startswith(
        f'BEN: b - a = {diff:+.2f} +- {noise:.2f} 1-NED (2/2 seeds) -> '
        f'{verdict}')


def test_verdict_needs_plateaus_seeds_and_both_runs(findings):
    finding = Finding('f', 'claim', ('a', 'b'), 'not worse')
    unconverged = _summary({'a': [40, 40.5], 'b': [39.5, 40]},
                           plateaued=False)
    out = findings.judge(finding, unconverged, 2.0, 1.0)
    assert out['verdict'] == 'cannot tell at this scale'
    assert 'not plateaued: a seed 0 (+3.50), a seed 1 (+3.50), b seed 0' \
        in out['text']
    one = findings.judge(finding, _summary({'a': [40], 'b': [41]}), 2.0, 1.0)
    assert one['verdict'] == 'cannot tell at this scale'
    assert one['noise'] is None and 'one seed' in one['text']
    assert findings.judge(finding, _summary({'a': [40, 41]}), 2.0, 1.0) \
        is None

    # a cascade's verdict also needs its source to have plateaued
    cascades = findings.FINDINGS[1]
    summary = _summary({'cascade-hin-ben': [30, 31],
                        'cascade-lat-ben': [30, 31]})
    summary.update(_summary({'lang-H': [5, 5]}, plateaued=False))
    out = findings.judge(cascades, summary, 2.0, 1.0)
    assert out['verdict'] == 'cannot tell at this scale'
    assert out['text'].endswith('(not plateaued: lang-H seed 0 (+3.50), '
                                'lang-H seed 1 (+3.50))')


def test_extra_seed_where_a_verdict_hinges_on_a_few_points(findings):
    def extra(expect, a, b, plateaued=True):
        finding = Finding('f', 'claim', ('a', 'b'), expect)
        summary = _summary({'a': a, 'b': b}, plateaued)
        verdict = findings.judge(finding, summary, 2.0, 1.0)
        return findings.needs_extra_seed(verdict, summary, 5.0)

    assert extra('not worse', [40, 40.5], [39.5, 40])  # held by 0.5
    assert not extra('not worse', [40, 41], [30, 31])  # 10 points apart
    assert not extra('better', [20, 21], [25, 26])  # held, 5 apart
    assert extra('better', [10, 30], [20, 40])  # 10 apart, noise 20
    assert not extra('not worse', [40, 40.5], [39.5, 40], plateaued=False)
    assert not extra('not worse', [40], [40])


def _fake_run(root, run_id, seed, ben, curve, others=10.0, seconds=100.0):
    """A finished synthetic run: tools/test.py's results, the validation
    records MMEngine writes (by iteration) and the runner's timing."""
    out = Path(root) / run_id / f'seed{seed}'
    metrics = {'recog/1-NED': (ben + 3 * others) / 4, 'recog/word_acc': 1.0}
    for lang in ('BEN', 'HIN', 'KOR', 'LAT'):
        value = ben if lang == 'BEN' else others
        metrics.update({f'recog/{lang}/1-NED': value,
                        f'recog/{lang}/word_acc': value / 10,
                        f'recog/{lang}/num_samples': 500})
    out.mkdir(parents=True)
    (out / 'test_results.json').write_text(json.dumps(dict(
        metrics=metrics, ms_per_image=2.0, num_params=8021768)))
    (out / 'timing.json').write_text(json.dumps(dict(
        train_seconds=seconds, sessions=[])))
    logs = out / '20260101_000000' / 'vis_data'
    logs.mkdir(parents=True)
    key = 'recog/BEN/1-NED' if run_id not in ('lang-H', 'lang-L') else \
        'recog/HIN/1-NED'
    lines = [json.dumps(dict(loss=5.0, iter=1, step=1))]
    lines += [json.dumps({'recog/1-NED': v, key: v, 'step': it})
              for it, v in curve]
    (logs / 'scalars.json').write_text('\n'.join(lines) + '\n')


def _curve(iters, final, late_gain=0.0):
    """Validation points at 1 and every 10 %, rising to ``final`` by 80 %;
    the last point adds ``late_gain``."""
    points = [(1, 0.0)] + [(iters * k // 10, final * min(k, 8) / 8)
                           for k in range(1, 11)]
    points[-1] = (iters, final + late_gain)
    return points


# BEN per run and seed of the fake set: finding 1 within half a point
# (held, and it hinges: a third seed), finding 2 ten points apart (held),
# finding 3's second run still rising (cannot tell).
FAKE_BEN = {
    'lang-B': (40.0, 41.0), 'joint': (40.0, 40.5), 'lang-H': (0.0, 0.0),
    'lang-L': (0.0, 0.0), 'cascade-hin-ben': (30.0, 31.0),
    'cascade-lat-ben': (40.0, 41.0), 'base': (20.0, 21.0),
    'base-synthmlt-kor': (25.0, 26.0)
}


def _fake_set(findings, root):
    for run in findings.RUNS:
        iters = cllstr.run_iters(run, findings.SCALES['cpu'])
        for seed, ben in enumerate(FAKE_BEN[run.id]):
            late = 3.0 if run.id == 'base-synthmlt-kor' and seed == 1 else 0
            _fake_run(root, run.id, seed, ben, _curve(iters, 50.0, late))


def test_collect_writes_tables_verdicts_charts_and_json(
        findings, tmp_path, capsys):
    _fake_set(findings, tmp_path)
    report = tmp_path / 'report'
    findings.main(['--collect', '--work-dir', str(tmp_path), '--report-dir',
                   str(report)])
    out = capsys.readouterr().out
    assert '$ ' not in out  # nothing was run
    # sd 0.71 and 0.35: 2 SE = 2 sqrt(0.5 / 2 + 0.125 / 2) = 1.12
    assert 'BEN: joint BEN+HIN+LAT - mono BEN = -0.25 +- 1.12 1-NED ' \
        '(2/2 seeds) -> held' in out
    assert 'BEN: cascade LAT->BEN - cascade HIN->BEN = +10.00 +- 1.41' in out
    assert 'not plateaued: Base + SynthMLT KOR seed 1 (+3.00)' in out
    assert '40.50 ± 0.71' in out  # mono BEN: mean ± sd of 40 and 41

    summary = json.loads((report / 'findings.json').read_text())
    assert summary['scale'] == 'cpu'
    assert summary['plateau'] == dict(gain=1.0, tail=0.2)
    runs = summary['runs']
    assert runs['joint']['mean']['BEN'] == pytest.approx(40.25)
    assert runs['joint']['seeds']['0']['plateau_gain'] == 0.0
    assert runs['joint']['seeds']['0']['plateaued'] is True
    assert runs['joint']['seeds']['0']['best_val_iter'] == 1280
    assert runs['lang-L']['seeds']['1']['plateau_key'] == 'total'
    assert runs['base-synthmlt-kor']['seeds']['1']['plateaued'] is False
    assert [p['iter'] for p in runs['lang-B']['seeds']['0']['curve']] == \
        [1] + [160 * k for k in range(1, 11)]
    assert [f['verdict'] for f in summary['findings']] == [
        'held', 'held', 'cannot tell at this scale']

    md = (report / 'findings.md').read_text()
    assert '| mono BEN | 1600 | 2 | 40.50 ± 0.71 |' in md
    assert '**held**: BEN: joint BEN+HIN+LAT - mono BEN' in md
    assert '| Base + SynthMLT KOR | 1 | 1600 | BEN | 1600 | +3.00 | no | 100 |' \
        in md
    assert '## cascade sources' in md
    for name, size in (('findings.png', (1500, 440)),
                       ('curves.png', (1800, 400))):
        with Image.open(report / name) as img:
            assert img.size == size
            colours = img.convert('RGB').getcolors(maxcolors=1 << 16)
        assert len(colours) > 10  # bars, lines and text, not blank


def test_a_third_seed_for_the_finding_that_hinges(findings, tmp_path,
                                                  monkeypatch, capsys):
    """With seeds 0 and 1 finished, the runner asks for seed 2 of finding
    1's runs only: finding 2 is ten points apart, finding 3 has a run that
    has not plateaued."""
    _fake_set(findings, tmp_path)
    args = findings.parse_args(['--work-dir', str(tmp_path)])
    spec = data_spec(findings.data_commands(
        findings.SCALES['cpu'], 0, args.data_root))
    assert not any('--workers' in c or c[0].endswith('python') for c in spec)
    (tmp_path / 'data').mkdir()
    (tmp_path / 'data' / 'done.json').write_text(json.dumps(spec))
    calls = []
    monkeypatch.setattr(findings, 'run_tasks',
                        lambda tasks, jobs, records: calls.append(
                            [t.key for t in tasks]) or [])
    findings.main(['--work-dir', str(tmp_path)])
    assert calls[0] == [f'{r}/seed{s}' for s in (0, 1) for r in CPU_PLAN]
    assert calls[1] == ['lang-B/seed2', 'joint/seed2']

    # data written for another plan is refused, not mixed in
    (tmp_path / 'data' / 'done.json').write_text('[]')
    with pytest.raises(SystemExit, match='holds data written with other'):
        findings.main(['--work-dir', str(tmp_path)])


def test_records_let_the_set_continue_on_a_new_machine(
        findings, tmp_path, monkeypatch, capsys):
    """The report dir keeps a record of every finished run; on a machine
    without the work dir they restore the runs, so only the unfinished
    ones train, and the report is the same."""
    _fake_set(findings, tmp_path / 'old')
    report = tmp_path / 'report'
    findings.main(['--collect', '--work-dir', str(tmp_path / 'old'),
                   '--report-dir', str(report)])
    first = json.loads((report / 'findings.json').read_text())
    assert (report / 'runs' / 'cascade-hin-ben' / 'seed1.json').is_file()
    # seed 1 of the HIN -> BEN cascade was not finished on the old machine
    (report / 'runs' / 'cascade-hin-ben' / 'seed1.json').unlink()
    calls = []
    monkeypatch.setattr(findings, 'write_data', lambda scale, args: None)
    monkeypatch.setattr(findings, 'run_tasks',
                        lambda tasks, jobs, records: calls.append(
                            [t.key for t in tasks]) or [])
    new = tmp_path / 'new'
    findings.main(['--work-dir', str(new), '--report-dir', str(report),
                   '--max-seeds', '2'])
    out = capsys.readouterr().out
    assert 'joint/seed1: restored from' in out
    # the cascade needs its source's checkpoint, which a record lacks
    assert not (new / 'lang-H' / 'seed1' / 'test_results.json').exists()
    assert (new / 'lang-H' / 'seed0' / 'test_results.json').exists()
    assert [k for k in calls[0] if not (
        new / k / 'test_results.json').exists()] == [
            'lang-H/seed1', 'cascade-hin-ben/seed1']
    again = json.loads((report / 'findings.json').read_text())
    assert again['runs']['joint'] == first['runs']['joint']
    assert again['runs']['lang-B']['seeds']['0']['curve'] == \
        first['runs']['lang-B']['seeds']['0']['curve']


def test_findings_report_comes_back_from_the_committed_records(findings,
                                                                tmp_path):
    """run_findings.py --collect on a machine without the work dir makes
    docs/experiments/cpu's report again from its records, the third seeds
    included."""
    committed = REPO / 'docs' / 'experiments' / 'cpu'
    shutil.copytree(committed / 'runs', tmp_path / 'report' / 'runs')
    findings.main(['--collect', '--work-dir', str(tmp_path / 'work'),
                   '--report-dir', str(tmp_path / 'report')])
    for name in ('findings.json', 'findings.md'):
        assert (tmp_path / 'report' / name).read_bytes() == \
            (committed / name).read_bytes()


def test_interrupted_run_resumes_and_sums_its_time(findings, tmp_path,
                                                   monkeypatch):
    task = Task('lang-B/seed0', 'cfg.py', str(tmp_path / 'run'),
                         ('randomness.seed=0', ), ('x=1', ))
    run = tmp_path / 'run'
    run.mkdir()
    (run / 'best_recog_1-NED_iter_2.pth').write_bytes(b'')
    ran = []
    monkeypatch.setattr(runner, 'execute',
                        lambda cmd, log, env, **kw: ran.append(cmd))
    runner.run_task(task, {})
    assert '--resume' not in ran[0]
    (run / 'last_checkpoint').write_text('iter_2.pth')
    runner.run_task(task, {})
    assert ran[2][ran[2].index('--work-dir') + 2] == '--resume'
    assert ran[3][3] == str(run / 'best_recog_1-NED_iter_2.pth')
    timing = json.loads((run / 'timing.json').read_text())
    assert len(timing['sessions']) == 2
    assert timing['train_seconds'] == pytest.approx(
        sum(s['seconds'] for s in timing['sessions']), abs=0.2)


def test_a_killed_session_keeps_the_time_it_trained(findings, tmp_path):
    """The runner is killed mid-training (a session's end): the minutes it
    trained must still count when the next session finishes the run."""
    run = tmp_path / 'run'
    task = Task('lang-B/seed0', 'cfg.py', str(run), (), ())
    sleeper = [sys.executable, '-c', 'import time; time.sleep(0.6)']
    ticks = []
    runner.execute(sleeper, str(tmp_path / 'log'), dict(os.environ),
                     tick=lambda: ticks.append(1), every=0.1)
    assert len(ticks) >= 3

    clock = iter([100.0, 130.0])

    def killed(cmd, log, env, tick):
        tick()
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runner.time, 'time', lambda: next(clock))
        mp.setattr(runner, 'execute', killed)
        with pytest.raises(KeyboardInterrupt):
            runner.run_task(task, {})
    timing = json.loads((run / 'timing.json').read_text())
    assert timing['train_seconds'] == 30.0
    assert timing['sessions'][0]['seconds'] == 30.0
    assert 'load_after' not in timing['sessions'][0]


@pytest.mark.parametrize('jobs', [1, 2])
def test_a_failed_run_stops_its_cascade_not_the_rest(findings, tmp_path,
                                                     monkeypatch, jobs):
    def task(key, after=None):
        return Task(key, 'cfg.py', str(tmp_path / key), (), (),
                             after)

    ran = []

    def fake_run(task, env, record_dir):
        ran.append(task.key)
        if task.key == 'src':
            raise RuntimeError('command failed (1); see src/run.log')

    monkeypatch.setattr(runner, 'run_task', fake_run)
    failed = runner.run_tasks(
        [task('src'), task('other'), task('cascade', after='src')], jobs)
    assert sorted(ran) == ['other', 'src']
    assert failed == ['src: command failed (1); see src/run.log',
                      'cascade: command failed (1); see src/run.log']
    with pytest.raises(SystemExit, match='failed runs .*\nsrc: command'):
        runner.stop_if_failed(failed)
    runner.stop_if_failed([])


def test_only_picks_runs_with_their_sources(findings, capsys):
    findings.main(['--dry-run', '--only', 'cascade-lat-*', '--seeds', '1'])
    keys = [k for k in dry_run_commands(capsys.readouterr().out)
            if k.startswith('# train')]
    assert keys == ['# train lang-L/seed0', '# train cascade-lat-ben/seed0']
    with pytest.raises(SystemExit, match='matches no run; the runs are: '
                       'lang-B joint'):
        findings.main(['--dry-run', '--only', 'mono'])


def test_cpu_plan_runs_end_to_end(findings, tmp_path, capsys):
    """The CPU plan at --iters 4 on 4 generated images per folder: the data
    (evaluation words disjoint from training words), the LAT source and
    its cascade to BEN, the report; the same command again runs nothing."""
    argv = ['--iters', '4', '--images', '4', '--seeds', '1', '--max-seeds',
            '1', '--only', 'cascade-lat-ben', '--work-dir',
            str(tmp_path), '--cfg-options', *SMALL_LOADERS[:2]]
    findings.main(argv)
    capsys.readouterr()
    data = tmp_path / 'data'
    labels = {}
    for split, lang in [('training', 'BEN'), ('training', 'SynthMLT_KOR'),
                        ('validation', 'LAT'), ('evaluation', 'BEN'),
                        ('evaluation', 'KOR')]:
        with LMDBReader(str(data / split / lang)) as reader:
            labels[split, lang] = {label for _, label in reader.labels()}
            assert reader.num_samples() == 4
    # one word per BEN image, its label the word's graphemes
    words = load_words('BEN', 5000)
    assert {w.replace('\t', '') for w in labels['training', 'BEN']} <= \
        set(split_words(words, 'train'))
    assert {w.replace('\t', '') for w in labels['evaluation', 'BEN']} <= \
        set(split_words(words, 'heldout'))
    assert not labels['training', 'SynthMLT_KOR'] & \
        labels['evaluation', 'KOR']
    log = (tmp_path / 'cascade-lat-ben' / 'seed0' / 'run.log').read_text()
    assert f'load_from: {tmp_path}/lang-L/seed0/best_recog_1-NED_iter_' in log
    summary = json.loads((tmp_path / 'findings.json').read_text())
    cascade = summary['runs']['cascade-lat-ben']['seeds']['0']
    # validated after iterations 1 and 2, recorded by iteration
    assert [p['iter'] for p in cascade['curve']] == [1, 2]
    assert cascade['plateau_gain'] is not None
    assert summary['runs']['lang-L']['iters'] == 2
    assert (tmp_path / 'curves.png').is_file()

    findings.main(argv)
    assert '$ ' not in capsys.readouterr().out
