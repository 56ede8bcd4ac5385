"""The CLL-STR recipes as configs, and tools/train.py, test.py and
dist_train.sh driving them on tiny generated data."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from data_utils import make_cllstr_tree
from mmengine.config import Config
from tool_utils import load_tool

REPO = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO / 'configs' / 'textrecog' / 'cllstr'
LANGS = ('ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT')

# recipe suffix -> (train select_data, train data_usage, val select_data)
RECIPES = {
    '1xb128-100k_mlt19-lang-L': ('lang_L', None, 'lang_L'),
    '1xb128-100k_mlt19-joint': ('lang_CBHJAKL', None, 'lang_CBHJAKL'),
    '1xb128-100k_mlt19-joint-no-lat': ('lang_CBHJAK', None, 'lang_CBHJAK'),
    '1xb128-10k_mlt19-cascade-lat-hin': ('lang_H', None, 'lang_H'),
    '1xb128-100k_mlt19-base': ('lang_CBHJAKL', {'LAT': 2000},
                               'lang_CBHJAKL'),
    '1xb128-100k_mlt19-base-synthmlt-kor2k':
    ('lang_CBHJAKL-SynthMLT_K', {'LAT': 2000, 'SynthMLT': 2000},
     'lang_CBHJAKL'),
    '1xb128-100k_mlt19-base-synthmlt-kor': ('lang_CBHJAKL-SynthMLT_K', {
        'LAT': 2000
    }, 'lang_CBHJAKL'),
}
MODELS = {'svtr-tiny': 'CLLSVTREncoder', 'crnn_vgg-bilstm': 'CLLVGG'}


@pytest.mark.parametrize('model', sorted(MODELS))
@pytest.mark.parametrize('recipe', sorted(RECIPES))
def test_recipe_config(model, recipe):
    cfg = Config.fromfile(CONFIG_DIR / f'{model}_{recipe}.py')
    select, usage, val_select = RECIPES[recipe]
    train = cfg.train_dataloader.dataset
    assert train.select_data == select
    assert (train.data_usage or None) == usage
    assert cfg.val_dataloader.dataset.select_data == val_select
    assert cfg.test_dataloader.dataset.select_data == 'lang_CBHJAKL'
    assert cfg.test_dataloader.dataset.split == 'evaluation'
    part = cfg.model.get('encoder') or cfg.model.get('backbone')
    assert part.type == MODELS[model]
    assert cfg.optim_wrapper.optimizer.lr == 1e-3
    assert cfg.optim_wrapper.clip_grad.max_norm == 5
    assert cfg.train_dataloader.batch_size == 128
    expected_iters = 10000 if 'cascade' in recipe else 100000
    assert cfg.train_cfg.max_iters == expected_iters
    assert cfg.default_hooks.checkpoint.save_best == 'recog/1-NED'


def test_train_tool_fits_schedule_and_expands_load_from(tmp_path):
    train = load_tool('tools/train.py')
    cfg_path = CONFIG_DIR / 'svtr-tiny_1xb128-10k_mlt19-cascade-lat-hin.py'
    work = tmp_path / 'lat'
    work.mkdir()
    for it in (2000, 4000):
        (work / f'best_recog_1-NED_iter_{it}.pth').write_bytes(b'x')
        os.utime(work / f'best_recog_1-NED_iter_{it}.pth', (it, it))
    ns = type('Args', (), dict(
        config=str(cfg_path), launcher='none', work_dir=str(tmp_path),
        amp=False, resume=None, auto_scale_lr=False,
        cfg_options={'load_from': str(work / 'best_*_iter_*.pth')}))
    cfg = train.setup_cfg(ns)
    assert cfg.param_scheduler[0].total_steps == 10000
    assert cfg.load_from.endswith('best_recog_1-NED_iter_4000.pth')

    ns.cfg_options = {'load_from': str(tmp_path / 'missing_*.pth')}
    with pytest.raises(FileNotFoundError, match='no checkpoint matches'):
        train.setup_cfg(ns)


@pytest.fixture(scope='module')
def tiny_data(tmp_path_factory):
    root = tmp_path_factory.mktemp('data')
    words = {
        'ARA': ['ب\tﺎ\tﺒ\tﻟ\tا', 'ن\tﻣ'],
        'BEN': ['রা\tখি', 'বে\tন'],
        'CHI': ['北京', '西'],
        'HIN': ['मं\tड\tप', 'क'],
        'JPN': ['くすり', 'す'],
        'KOR': ['냉면', '은'],
        'LAT': ['CUISINE', 'exit'],
    }
    tree = {
        split: {lang: w * 2 for lang, w in words.items()}
        for split in ('training', 'validation', 'evaluation')
    }
    return make_cllstr_tree(str(root), tree)


def _tiny_options(data_root, max_iters=2):
    opts = [f'train_cfg.max_iters={max_iters}',
            'train_cfg.dynamic_intervals=[(3,2)]',
            'default_hooks.checkpoint.interval=2',
            'default_hooks.logger.interval=1']
    for loader in ('train', 'val', 'test'):
        opts += [f'{loader}_dataloader.dataset.data_root={data_root}',
                 f'{loader}_dataloader.batch_size=4',
                 f'{loader}_dataloader.num_workers=0',
                 f'{loader}_dataloader.persistent_workers=False']
    return opts


def _run(cmd, **env):
    env = dict(os.environ, PYTHONPATH=str(REPO), **env)
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_train_then_test_tools(tiny_data, tmp_path):
    config = str(CONFIG_DIR / 'svtr-tiny_1xb128-100k_mlt19-joint.py')
    work = tmp_path / 'work'
    log = _run([sys.executable, 'tools/train.py', config, '--work-dir',
                str(work), '--cfg-options', *_tiny_options(tiny_data)])
    assert 'lr:' in log and 'loss:' in log and 'eta:' in log
    # validated after iteration 1 (as the original) and at the interval
    assert log.count('recog/1-NED:') == 2
    best = list(work.glob('best_recog_1-NED_iter_*.pth'))
    assert len(best) == 1, list(work.iterdir())
    assert (work / 'iter_2.pth').exists()

    out = tmp_path / 'results.json'
    log = _run([sys.executable, 'tools/test.py', config, str(best[0]),
                '--work-dir', str(work), '--out', str(out), '--cfg-options',
                *_tiny_options(tiny_data)])
    header = next(line for line in log.splitlines()
                  if line.split()[:2] == ['model', 'score'])
    assert header.split()[2:10] == ['CHI', 'BEN', 'HIN', 'JPN', 'ARA', 'KOR',
                                   'LAT', 'total']
    assert 'ms/img' in header and 'params' in header
    results = json.loads(out.read_text())
    assert results['complete'] is True
    assert results['num_images'] == 28
    assert results['num_params'] == 8021768
    for lang in LANGS:
        assert results['metrics'][f'recog/{lang}/num_samples'] == 4
    assert 0 <= results['metrics']['recog/1-NED'] <= 100


def test_dist_train_two_cpu_processes(tiny_data, tmp_path):
    config = str(CONFIG_DIR / 'crnn_vgg-bilstm_1xb128-100k_mlt19-lang-L.py')
    work = tmp_path / 'dist'
    log = _run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir',
                str(work), '--cfg-options', *_tiny_options(tiny_data)],
               PORT=str(29500 + os.getpid() % 1000),
               PYTHON=sys.executable)
    assert 'Distributed training: True' in log
    ckpt = torch.load(work / 'iter_2.pth', weights_only=True)
    assert ckpt['meta']['iter'] == 2
