"""tools/experiments/run_lmim.py and the runners' shared package: the CPU
design (its configs, task graph, data and estimate), records that follow
chains of sources, runs without a test, the third seed of a label budget
whose verdict hinges, and the whole graph end to end at the smoke
scale."""
import json
import re
import sys
from pathlib import Path

import pytest
from data_utils import make_word_image
from mmengine.config import Config
from mmengine.registry import init_default_scope
from PIL import Image
from tool_utils import (cfg_option, dry_run_commands, flag_value,
                        load_tool)

from cllstr_mm.datasets import SynthWordDataset
from cllstr_mm.datasets.lmdb_reader import LMDBReader

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs' / 'lmim' / 'experiments'


@pytest.fixture(scope='module')
def lmim():
    return load_tool('tools/experiments/run_lmim.py')


@pytest.fixture(scope='module')
def pkg(lmim):
    """The runners' package (run_lmim.py puts it on the path)."""
    import experiment.data
    import experiment.lmim
    import experiment.records
    import experiment.runner
    import experiment.tasks
    return experiment


def test_cpu_dry_run_is_the_design(lmim, capsys):
    lmim.main(['--dry-run', '--work-dir', 'w'])
    out = capsys.readouterr().out
    cmds = dry_run_commands(out)
    data = [c for k, c in cmds.items() if k.startswith('# data')]
    sets = {(flag_value(c, '--out'), flag_value(c, '--split')): c
            for c in data}
    pool = sets['w/data/pool', 'training']
    # one image per pretraining sample: 2,000 iterations of 32
    assert flag_value(pool, '--num') == '64000'
    assert flag_value(pool, '--stream') == 'pretraining'
    labelled = sets['w/data/synth', 'training']
    assert (flag_value(labelled, '--num'),
            flag_value(labelled, '--stream')) == ('20000', 'labelled')
    for cmd in (pool, labelled):
        assert (flag_value(cmd, '--word-split'),
                flag_value(cmd, '--seed')) == ('train', '0')
    for split, num in (('validation', '200'), ('evaluation', '800')):
        cmd = sets['w/data/synth', split]
        # held-out words, drawn as data/synth_eval's
        assert (flag_value(cmd, '--num'), flag_value(cmd, '--word-split'),
                flag_value(cmd, '--seed'), flag_value(cmd, '--stream')) == \
            (num, 'heldout', '1', split)
    assert all(flag_value(c, '--font-split') == 'train' for c in data)

    for seed in (0, 1):
        mae = cmds[f'# train pretrain-mae/seed{seed}']
        teacher = cmds[f'# train pretrain-lmim/seed{seed}']
        assert mae[2] == str(Path('configs/lmim/experiments/'
                                  'mae_vit-192x6_1xb32_synth-lat.py'))
        assert cfg_option(teacher, 'model.teacher_checkpoint') == \
            f'w/pretrain-mae/seed{seed}/iter_2000.pth'
        for cmd in (mae, teacher):
            # an equal budget on the same images
            assert cfg_option(cmd, 'train_cfg.max_iters') == '2000'
            assert cfg_option(cmd, 'train_dataloader.dataset.datasets.0.'
                           'data_root') == 'w/data/pool/training'
            assert f'# test {cmd[cmd.index("--work-dir") + 1][2:]}' \
                not in cmds
        for budget, iters in ((2000, '800'), (20000, '2000')):
            for encoder in ('none', 'mae', 'lmim'):
                key = f'{encoder}-{budget}/seed{seed}'
                train = cmds[f'# train {key}']
                assert Path(train[2]).name == \
                    f'lmim-nrtr_vit-192x6_1xb32_synth-lat-{encoder}.py'
                assert cfg_option(train, 'randomness.seed') == str(seed)
                assert cfg_option(train, 'train_cfg.max_iters') == iters
                assert cfg_option(train, 'train_dataloader.dataset.'
                               'data_usage.LAT') == str(budget)
                assert cfg_option(train, 'optim_wrapper.type') == \
                    'CPUBF16OptimWrapper'
                assert cfg_option(train, 'model.encoder.init_cfg.'
                               'checkpoint') == (
                    None if encoder == 'none' else
                    f'w/pretrain-{encoder}/seed{seed}/iter_2000.pth')
                test = cmds[f'# test {key}']
                assert test[3] == f'w/{key}/best_recog_1-NED_iter_*.pth'
                assert cfg_option(test, 'test_dataloader.dataset.data_root') \
                    == 'w/data/synth'
    assert not any('seed2' in k for k in cmds)
    estimate = re.search(
        r'# estimate: (\d+) runs: about ([\d.]+) CPU hours \+ ([\d.]+) for '
        r'the data; the extra seeds add up to ([\d.]+);', out)
    runs, planned, data_hours, extra = map(float, estimate.groups())
    # the whole set, every third seed included, in about 6 CPU hours
    assert runs == 16 and planned + data_hours + extra < 6.2


def test_cpu_leaves(pkg):
    """Half ViT-Small with 8x8 patches in every stage; the pool read
    without labels; the labelled set a cap on one LMDB; the recipes'
    lr and layer decay."""
    init_default_scope('mmocr')
    from mmocr.registry import MODELS
    leaves = {k: Config.fromfile(CONFIGS / v)
              for k, v in pkg.lmim.LEAVES.items()}
    for name, cfg in leaves.items():
        encoder = dict(cfg.model.encoder)
        assert (encoder['embed_dims'], encoder['depth'],
                encoder['num_heads'], encoder['patch_size'],
                tuple(encoder['img_size'])) == (192, 6, 3, 8, (32, 128))
        assert cfg.auto_scale_lr.enable is False
    vit = MODELS.build(dict(leaves['mae'].model.encoder))
    assert sum(p.numel() for p in vit.parameters()) == 2_706_816
    for stage in ('mae', 'lmim'):
        cfg = leaves[stage]
        loader = cfg.train_dataloader
        assert loader.sampler.type == 'StreamSampler'
        assert [d.type for d in loader.dataset.datasets] == \
            ['UnlabeledLMDBDataset']
        assert cfg.train_cfg.type == 'StreamResumeIterBasedTrainLoop'
        assert cfg.optim_wrapper.optimizer.lr == 1.5e-4
    assert leaves['lmim'].model.mask_ratio == 0.8
    assert leaves['mae'].model.mask_ratio == 0.75
    for name in ('none', 'mae_finetune', 'lmim_finetune', 'crops'):
        cfg = leaves[name]
        assert cfg.model.encoder.out_dims == cfg.model.decoder.d_model == 256
        assert cfg.optim_wrapper.optimizer.lr == 1e-4
        assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == (
            1.0 if name in ('none', 'crops') else 0.75)
    train = leaves['none'].train_dataloader.dataset
    assert (train.type, train.select_data, dict(train.data_usage)) == \
        ('MultilingualLMDBDataset', 'lang_L', {'LAT': 2000})
    assert leaves['crops'].test_dataloader.dataset.type == \
        'CropFolderDataset'


def _task(pkg, root, key, after=None, tested=True):
    return pkg.tasks.Task(key, 'cfg.py', str(root / key), (),
                          () if tested else None, after)


def test_restore_follows_chains_of_sources(pkg, tmp_path, capsys):
    """A run that is neither finished nor recorded needs its source's
    checkpoint, and that source its own: both train again; a run whose
    source's record is kept by another is restored."""
    records = tmp_path / 'runs'
    tasks = [
        _task(pkg, tmp_path, 'mae/seed0', tested=False),
        _task(pkg, tmp_path, 'lmim/seed0', 'mae/seed0', tested=False),
        _task(pkg, tmp_path, 'ft-lmim/seed0', 'lmim/seed0'),
        _task(pkg, tmp_path, 'ft-mae/seed0', 'mae/seed0'),
    ]
    for key, record in (
            ('mae/seed0', dict(trained=dict(checkpoint='iter_4.pth'),
                               timing=dict(train_seconds=5.0),
                               train_log=[dict(loss=1.0, step=4)])),
            ('lmim/seed0', dict(trained=dict(checkpoint='iter_4.pth'),
                                timing={}, train_log=[])),
            ('ft-mae/seed0', dict(test_results=dict(metrics={}), timing={},
                                  validations=[]))):
        (records / key).parent.mkdir(parents=True, exist_ok=True)
        (records / f'{key}.json').write_text(json.dumps(record))
    pkg.records.restore_records(tasks, str(records))
    assert 'ft-mae/seed0: restored' in capsys.readouterr().out
    assert [t.key for t in tasks if pkg.records.finished(t)] == \
        ['ft-mae/seed0']

    # with the LMIM fine-tuning recorded too, everything comes back
    (records / 'ft-lmim' / 'seed0.json').parent.mkdir()
    (records / 'ft-lmim' / 'seed0.json').write_text(json.dumps(
        dict(test_results=dict(metrics={}), timing={}, validations=[])))
    pkg.records.restore_records(tasks, str(records))
    assert all(pkg.records.finished(t) for t in tasks)
    mae = tmp_path / 'mae' / 'seed0'
    assert json.loads((mae / 'trained.json').read_text()) == \
        dict(checkpoint='iter_4.pth')
    assert pkg.records.read_train_log(str(mae)) == [dict(loss=1.0, step=4)]


def test_runs_without_a_test_and_extra_tests(pkg, tmp_path, monkeypatch):
    """A pretraining is finished by trained.json (its last checkpoint);
    a fine-tuning is tested on the extra sets first and on its own set
    last, and the record keeps all of them."""
    ran = []

    def fake(cmd, log, env, **kw):
        ran.append(cmd)
        if cmd[1] == 'tools/test.py':
            out = Path(cmd[cmd.index('--out') + 1])
            out.write_text(json.dumps(dict(metrics={'recog/1-NED': 1.0})))

    monkeypatch.setattr(pkg.runner, 'execute', fake)
    records = str(tmp_path / 'runs')
    pre = _task(pkg, tmp_path, 'mae/seed0', tested=False)
    Path(pre.work_dir).mkdir(parents=True)
    (Path(pre.work_dir) / 'last_checkpoint').write_text('w/iter_4.pth\n')
    pkg.runner.run_task(pre, {}, records)
    assert json.loads((Path(pre.work_dir) / 'trained.json').read_text()) \
        == dict(checkpoint='w/iter_4.pth')
    assert len(ran) == 1 and ran[0][1] == 'tools/train.py'
    assert '--amp' not in ran[0]

    test = pkg.tasks.Test('crops', ('test_dataloader.dataset.folder=f', ),
                          'crops.py')
    ft = pkg.tasks.Task('ft/seed0', 'ft.py', str(tmp_path / 'ft'), ('a=1', ),
                        ('b=2', ), 'mae/seed0', ('--amp', ), (test, ))
    Path(ft.work_dir).mkdir()
    (Path(ft.work_dir) / 'best_recog_1-NED_iter_2.pth').write_bytes(b'')
    pkg.runner.run_task(ft, {}, records)
    train, crops, own = ran[1:]
    assert train[train.index('--work-dir') + 2] == '--amp'
    assert crops[2] == 'crops.py' and crops[-1] == \
        'test_dataloader.dataset.folder=f'
    assert crops[crops.index('--out') + 1].endswith('test_crops.json')
    assert own[2] == 'ft.py' and own[-1] == 'b=2'
    (Path(ft.work_dir) / 'test_results.partial.json').write_text('{}')
    pkg.records.save_record(ft.key, ft.work_dir, records)
    record = json.loads((tmp_path / 'runs' / 'ft' / 'seed0.json')
                        .read_text())
    assert list(record['extra_tests']) == ['crops']


def _fake_finetune(root, run_id, seed, score, iters):
    out = Path(root) / run_id / f'seed{seed}'
    logs = out / '20260101_000000' / 'vis_data'
    logs.mkdir(parents=True)
    lines = [{'recog/1-NED': score * min(k, 8) / 8,
              'recog/LAT/1-NED': score * min(k, 8) / 8, 'step': it}
             for k, it in enumerate([1] + [iters * k // 10
                                           for k in range(1, 11)])]
    (logs / 'scalars.json').write_text(
        '\n'.join(json.dumps(line) for line in lines) + '\n')
    metrics = {'recog/1-NED': score, 'recog/word_acc': score / 2,
               'recog/LAT/1-NED': score, 'recog/LAT/word_acc': score / 2,
               'recog/LAT/num_samples': 800}
    (out / 'test_results.json').write_text(json.dumps(dict(metrics=metrics)))
    (out / 'timing.json').write_text(json.dumps(dict(train_seconds=9.0)))


def _fake_pretraining(root, run_id, seed):
    out = Path(root) / run_id / f'seed{seed}'
    out.mkdir(parents=True)
    (out / 'trained.json').write_text(json.dumps(dict(checkpoint='x.pth')))


def test_a_third_seed_where_a_budget_hinges(lmim, pkg, tmp_path,
                                            monkeypatch, capsys):
    """With seeds 0 and 1 finished: on 2,000 labels LMIM is 20 points
    above MAE and MAE 20 above none (no third seed); on 20,000 LMIM is
    within a point of MAE, so seed 2 of the MAE and LMIM fine-tunings and
    of the pretrainings they start from is run, before the report."""
    scores = {'none-2000': 10, 'mae-2000': 30, 'lmim-2000': 50,
              'none-20000': 40, 'mae-20000': 60, 'lmim-20000': 60.5}
    scale = pkg.lmim.SCALES['cpu']
    for run_id, score in scores.items():
        budget = int(run_id.split('-')[1])
        for seed in (0, 1):
            _fake_finetune(tmp_path, run_id, seed, score + seed,
                           scale.budgets[budget])
    for run_id in ('pretrain-mae', 'pretrain-lmim'):
        for seed in (0, 1):
            _fake_pretraining(tmp_path, run_id, seed)
    calls = []
    monkeypatch.setattr(lmim, 'write_data', lambda scale, args: None)
    monkeypatch.setattr(lmim, 'run_tasks', lambda tasks, jobs, records:
                        calls.append([t.key for t in tasks]) or [])
    lmim.main(['--work-dir', str(tmp_path)])
    out = capsys.readouterr().out
    assert len(calls[0]) == 16
    assert calls[1] == ['pretrain-mae/seed2', 'pretrain-lmim/seed2',
                        'mae-20000/seed2', 'lmim-20000/seed2']
    assert 'total: LMIM, 2,000 labels - MAE, 2,000 labels = +20.00 +- ' \
        '1.41 1-NED (2/2 seeds) -> held' in out
    assert 'total: LMIM, 20,000 labels - MAE, 20,000 labels = +0.50' in out
    report = json.loads((tmp_path / 'results.json').read_text())
    assert [v['verdict'] for v in report['verdicts']] == [
        'held', 'held', 'did not hold', 'held']
    assert report['runs']['mae-2000']['mean']['total'] == 30.5
    assert report['pretraining']['pretrain-lmim']['seeds']['1'][
        'final_loss'] is None
    md = (tmp_path / 'results.md').read_text()
    assert '| LMIM, 2,000 labels | 800 | 2 | 50.50 ± 0.71 | 25.25 ± 0.35 |' \
        in md
    for name in ('results.png', 'curves.png'):
        assert (tmp_path / name).stat().st_size > 10000
    # every finished run is recorded, the pretrainings too
    assert sorted(p.name for p in (tmp_path / 'runs').iterdir()) == \
        sorted(list(scores) + ['pretrain-mae', 'pretrain-lmim'])


def _crop_folder(root, data):
    """A gt.txt folder of the first evaluation crops (LAT) and a KOR
    crop, as data/real_dev is laid out."""
    root.mkdir()
    lines = []
    with LMDBReader(str(data / 'synth' / 'evaluation' / 'LAT')) as reader:
        for index, label in list(reader.labels())[:3]:
            name = f'LAT_{index}.jpg'
            Image.fromarray(reader.image(index, 'rgb')).save(root / name)
            lines.append(f'{name}\t{label}')
    (root / 'KOR_0.jpg').write_bytes(make_word_image('KOR'))
    lines.append('KOR_0.jpg\t한국')
    (root / 'gt.txt').write_text('\n'.join(lines) + '\n', encoding='utf-8')


def test_smoke_graph_end_to_end(lmim, pkg, tmp_path, monkeypatch, capsys):
    """--scale smoke (tiny models, 4 iterations per run) for one label
    budget and one seed: the data, MAE -> LMIM -> three fine-tunings, each
    tested on held-out words and on a crop folder, the report. The tools
    run in this process (a process start costs more than these runs). The
    same command again runs nothing; on a machine without the work dir,
    the records restore every run but the one whose record is missing,
    which trains again with the pretrainings it starts from."""
    ran = []
    tools = {}

    def in_process(cmd, log_file, env, tick=None, every=60.0):
        ran.append(cmd)
        tool = tools.setdefault(cmd[1], load_tool(cmd[1]))
        argv = cmd[2:]
        if '--cfg-options' in argv:
            # the configs name their visualiser, MMEngine a logger by the
            # second it starts: one process would keep the first run's and
            # log later runs there
            argv = argv + [f'visualizer.name=smoke{len(ran)}',
                           f'experiment_name=smoke{len(ran)}']
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(sys, 'argv', [cmd[1], *argv])
            tool.main()

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(pkg.runner, 'execute', in_process)
    monkeypatch.setattr(pkg.data, 'execute', in_process)
    work, report = tmp_path / 'work', tmp_path / 'report'
    argv = ['--scale', 'smoke', '--only', '*-8', '--seeds', '1',
            '--max-seeds', '1', '--data-root', str(work / 'data'),
            '--work-dir', str(work), '--report-dir', str(report)]
    # the crop folder is made from the data, so the data come first
    pkg.data.write_data(
        pkg.lmim.data_commands(pkg.lmim.SCALES['smoke'], 0,
                               str(work / 'data')), str(work / 'data'))
    # the pool is what SynthWordDataset renders for its stream
    pool = SynthWordDataset(langs=['LAT'], length=16,
                            vocab_size=dict(LAT=500), font_split='train',
                            stream='pretraining')
    with LMDBReader(str(work / 'data' / 'pool' / 'training' / 'LAT')) \
            as reader:
        assert reader.num_samples() == 16
        for index in (0, 15):
            assert (reader.image(index + 1) ==
                    pool.get_data_info(index)['img']).all()
    _crop_folder(tmp_path / 'crops', work / 'data')
    monkeypatch.setattr(pkg.lmim, 'EXTERNAL_SETS',
                        dict(crops=str(tmp_path / 'crops')))
    del ran[:]
    lmim.main(argv)
    trained = [c[c.index('--work-dir') + 1][len(str(work)) + 1:]
               for c in ran if c[1] == 'tools/train.py']
    assert trained == [f'{r}/seed0' for r in (
        'pretrain-mae', 'none-8', 'pretrain-lmim', 'mae-8', 'lmim-8')]
    tests = [c for c in ran if c[1] == 'tools/test.py']
    assert len(tests) == 6  # crop folder and own test of 3 fine-tunings
    # each stage starts from the one before it, of its own seed
    for run, source in (('pretrain-lmim', 'pretrain-mae'),
                        ('lmim-8', 'pretrain-lmim'),
                        ('mae-8', 'pretrain-mae')):
        log = ''.join(p.read_text()
                      for p in (work / run / 'seed0').glob('*/*.log'))
        assert f'ViTEncoder: loaded 30 tensors from {work}/{source}/' \
            'seed0/iter_4.pth' in log
    first = json.loads((report / 'results.json').read_text())
    seed = first['runs']['lmim-8']['seeds']['0']
    assert [p['iter'] for p in seed['curve']] == [1, 2, 3, 4]
    assert seed['external']['crops']['images'] == {'LAT': 3}
    assert 0 <= seed['external']['crops']['1-NED']['trained'] <= 100
    assert first['pretraining']['pretrain-lmim']['seeds']['0'][
        'final_loss'] > 0
    assert [v['title'] for v in first['verdicts']] == [
        'LMIM vs MAE, 8 labels', 'MAE vs none, 8 labels']
    records = sorted(str(p.relative_to(report / 'runs'))
                     for p in (report / 'runs').rglob('*.json'))
    assert records == sorted(f'{r}/seed0.json' for r in (
        'pretrain-mae', 'none-8', 'pretrain-lmim', 'mae-8', 'lmim-8'))

    del ran[:]
    lmim.main(argv)
    assert ran == []

    # a new machine (the data root kept): only the LMIM fine-tuning, whose
    # record is missing, and the pretrainings it starts from train again
    (report / 'runs' / 'lmim-8' / 'seed0.json').unlink()
    new = tmp_path / 'new'
    lmim.main(argv[:-4] + ['--work-dir', str(new), '--report-dir',
                           str(report)])
    trained = [c[c.index('--work-dir') + 1][len(str(new)) + 1:]
               for c in ran if c[1] == 'tools/train.py']
    assert trained == ['pretrain-mae/seed0', 'pretrain-lmim/seed0',
                       'lmim-8/seed0']
    again = json.loads((report / 'results.json').read_text())
    assert again['runs']['mae-8'] == first['runs']['mae-8']
    assert again['runs']['none-8'] == first['runs']['none-8']
    assert 'mae-8/seed0: restored from' in capsys.readouterr().out


def test_no_verdict_and_no_extra_seed_where_nothing_reads(pkg):
    """Two fine-tunings that read no word exactly (15 1-NED from letter
    frequencies) say nothing of their encoders: "cannot tell", whatever
    the 1-NED difference, and no third seed; the same runs reading
    words, or one of them reading, are judged by the rule."""
    from experiment.verdicts import Finding, judge, needs_extra_seed

    def summary(word_acc, mae_ned=15.0, mae_word_acc=None):
        return {
            run_id: dict(name=run_id, seeds={
                str(seed): dict(scores={'total': ned + seed},
                                word_acc={'total': acc},
                                plateaued=True, plateau_gain=0.1)
                for seed in (0, 1)
            }) for run_id, ned, acc in (
                ('none', 14.5, word_acc),
                ('mae', mae_ned,
                 word_acc if mae_word_acc is None else mae_word_acc))
        }

    finding = Finding('f', 'claim', ('none', 'mae'), 'better')
    unread = summary(word_acc=0.0)
    verdict = judge(finding, unread, 2.0, 1.0, 'total', {}, min_word_acc=5.0)
    assert verdict['verdict'] == 'cannot tell at this scale'
    assert verdict['text'].endswith(
        '(not read: word accuracy under 5 %: none 0.0 %, mae 0.0 %)')
    assert not needs_extra_seed(verdict, unread, 5.0, {})
    read = summary(word_acc=40.0)
    verdict = judge(finding, read, 2.0, 1.0, 'total', {}, min_word_acc=5.0)
    assert verdict['verdict'] == 'did not hold'
    assert needs_extra_seed(verdict, read, 5.0, {})
    # MAE reads a third of the words, none reads none: 40 points apart
    one_reads = summary(word_acc=0.0, mae_ned=55.0, mae_word_acc=30.0)
    verdict = judge(finding, one_reads, 2.0, 1.0, 'total', {},
                    min_word_acc=5.0)
    assert verdict['verdict'] == 'held'
