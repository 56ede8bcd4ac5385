"""tools/experiments/run_findings.py: its plan, the experiment configs it
runs, its tables and its bar chart (no training here)."""
import importlib.util
import json
import shlex
from pathlib import Path

import pytest
from mmengine.config import Config
from PIL import Image

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def findings():
    spec = importlib.util.spec_from_file_location(
        'run_findings', REPO / 'tools' / 'experiments' / 'run_findings.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_results(findings, ben):
    """Results of every run: BEN from ``ben``, the other scripts fixed."""
    return {
        run.name: dict(BEN=ben[run.name], HIN=40.0, LAT=60.0, KOR=5.0,
                       total=30.0)
        for run in findings.RUNS
    }


def _option(cmd, key):
    opts = cmd[cmd.index('--cfg-options') + 1:]
    return next(o.split('=', 1)[1] for o in opts if o.startswith(key + '='))


def _flag(cmd, flag):
    return cmd[cmd.index(flag) + 1]


def test_dry_run_lists_every_run(findings, capsys):
    findings.main(['--dry-run', '--scale', 'cpu', '--seed', '3'])
    out = capsys.readouterr().out
    cmds = {
        what: shlex.split(cmd)
        for what, cmd in zip(out.splitlines()[::2], out.splitlines()[1::2])
    }
    for run in findings.RUNS:
        train = cmds[f'# train {run.name}']
        assert train[1:3] == ['tools/train.py', run.config_path]
        assert _option(train, 'randomness.seed') == '3'
        assert _option(train, 'train_dataloader.dataset.data_root') == \
            'work_dirs/experiments/cpu_seed3/data'
        assert cmds[f'# test {run.name}'][1] == 'tools/test.py'
    cascade = cmds['# train cascade LAT->BEN']
    assert _option(cascade, 'load_from') == \
        'work_dirs/experiments/cpu_seed3/lang-L/best_recog_1-NED_iter_*.pth'
    assert _option(cascade, 'train_cfg.max_iters') == '200'
    assert _option(cmds['# train joint BEN+HIN+LAT'],
                   'train_cfg.max_iters') == '400'
    data = [c for w, c in cmds.items() if w.startswith('# data')]
    assert all(_flag(c, '--seed') == '3' for c in data)


def test_configs_resolve_to_the_recipes(findings):
    seen = {}
    for run in findings.RUNS:
        cfg = Config.fromfile(REPO / run.config_path)
        train = cfg.train_dataloader.dataset
        seen[run.name] = (train.select_data, dict(train.data_usage or {}))
        assert cfg.model.type == 'CLLCRNN'
        assert cfg.test_dataloader.dataset.select_data == 'lang_BHLK'
        assert cfg.test_dataloader.dataset.split == 'evaluation'
        assert cfg.val_dataloader.dataset.select_data in ('lang_B', 'lang_H',
                                                          'lang_L', 'lang_BHL')
        assert cfg.train_cfg.max_iters == (200 if run.source else 400)
        assert bool(cfg.get('load_from')) == bool(run.source)
    caps = dict(findings.SCALES['cpu'].caps)
    assert seen == {
        'mono BEN': ('lang_B', {}),
        'joint BEN+HIN+LAT': ('lang_BHL', {}),
        'HIN only': ('lang_H', {}),
        'LAT only': ('lang_L', {}),
        'cascade HIN->BEN': ('lang_B', {}),
        'cascade LAT->BEN': ('lang_B', {}),
        'Base': ('lang_BHL', caps),
        'Base + SynthMLT KOR': ('lang_BHL-SynthMLT_K', caps),
    }


def test_tables_judge_each_finding(findings):
    ben = {run.name: 20.0 for run in findings.RUNS}
    ben.update({'joint BEN+HIN+LAT': 19.0, 'cascade HIN->BEN': 30.0,
                'cascade LAT->BEN': 20.0, 'Base + SynthMLT KOR': 35.0})
    text = findings.format_tables(_fake_results(findings, ben), 2.0)
    verdicts = [line for line in text.splitlines()
                if line.startswith('BEN: ')]
    assert len(verdicts) == 3
    assert verdicts[0].endswith('-1.00 1-NED -> held (tolerance 2.0)')
    assert 'did not hold' in verdicts[1]  # similar source 10 points better
    assert '+15.00' in verdicts[2] and 'did not hold' not in verdicts[2]
    assert 'mono BEN' in text.split('2. cascade')[1]
    partial = findings.format_tables({'mono BEN': _fake_results(
        findings, ben)['mono BEN']}, 2.0)
    assert 'BEN: ' not in partial


def test_scores_and_missing_checkpoint(findings, tmp_path):
    metrics = {'recog/1-NED': 12.5, 'recog/BEN/1-NED': 10.0,
               'recog/HIN/1-NED': 15.0, 'recog/BEN/word_acc': 1.0}
    assert findings.scores(metrics) == dict(BEN=10.0, HIN=15.0, total=12.5)
    with pytest.raises(FileNotFoundError, match='did not finish'):
        findings.best_checkpoint(str(tmp_path))


def test_chart_draws_a_png(findings, tmp_path):
    ben = {run.name: 10.0 * i for i, run in enumerate(findings.RUNS)}
    results = _fake_results(findings, ben)
    del results['Base']  # a run still missing is left out
    out = tmp_path / 'chart' / 'findings.png'
    findings.draw_chart(results, str(out), title='fake')
    with Image.open(out) as img:
        assert img.format == 'PNG'
        assert img.size == (1500, 400)
        colours = img.convert('RGB').getcolors(maxcolors=1 << 16)
    assert len(colours) > 10  # bars and text, not a blank canvas


def test_finished_runs_are_collected_not_rerun(findings, tmp_path, capsys):
    """With the data stamp and every run's test results present, main()
    runs no command: it prints the tables and writes the summary and
    chart."""
    (tmp_path / 'data').mkdir()
    (tmp_path / 'data' / 'done.json').write_text('{}')
    for i, run in enumerate(findings.RUNS):
        out = tmp_path / run.config
        out.mkdir()
        metrics = {f'recog/{lang}/1-NED': 10.0 * i
                   for lang in findings.EVAL_LANGS}
        metrics.update({f'recog/{lang}/word_acc': 1.0 * i
                        for lang in findings.EVAL_LANGS})
        metrics.update({'recog/1-NED': 5.0, 'recog/word_acc': 0.5})
        (out / 'test_results.json').write_text(json.dumps(dict(
            metrics=metrics, ms_per_image=2.0, num_params=9650000)))
        (out / 'train_seconds.json').write_text('12.4')
    chart = tmp_path / 'chart.png'
    findings.main(['--work-dir', str(tmp_path), '--chart', str(chart)])
    out = capsys.readouterr().out
    assert '$ ' not in out  # nothing was run
    assert 'Base + SynthMLT KOR    1-NED' in out  # tools/test.py's table
    assert 'mono BEN: trained in 12 s' in out
    summary = json.loads((tmp_path / 'findings.json').read_text())
    assert summary['results']['cascade LAT->BEN']['BEN'] == 50.0
    assert summary['train_seconds']['Base'] == 12
    assert chart.stat().st_size > 0
