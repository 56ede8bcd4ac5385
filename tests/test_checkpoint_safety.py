"""Checkpoints that do not fit are errors everywhere, with the keys listed;
every checkpoint is written atomically, and a training run killed while
saving resumes from its last complete checkpoint."""
import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from data_utils import make_cllstr_tree
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, load_checkpoint
from mmocr.apis import TextRecInferencer
from mmocr.registry import MODELS
from tool_utils import load_tool, run_tool

from cllstr_mm.apis import InferenceResult, save_results
from cllstr_mm.engine import AtomicCheckpointHook, AtomicLocalBackend
from cllstr_mm.utils.checkpoint import (CheckpointFitMixin,
                                        CheckpointMismatchError,
                                        atomic_write, check_state_dict,
                                        save_atomic)

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs' / 'textrecog' / 'cllstr'
SVTR = CONFIGS / 'svtr-tiny_1xb128-100k_mlt19-joint.py'
CRNN = CONFIGS / 'crnn_vgg-bilstm_1xb128-100k_mlt19-joint.py'
ORIGINAL_CRNN = REPO / 'tests' / 'data' / 'cllstr' / 'cllstr_crnn_ctc4680.pth'
CONVERTER = 'tools/model_converters/cllstr_to_mmocr.py'


def build(config):
    init_default_scope('mmocr')
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(str(config)).model)


@pytest.fixture(scope='module')
def weights(tmp_path_factory):
    """Untrained SVTR and CRNN checkpoints, and misfits: SVTR without its
    classifier bias and with a 10-class classifier."""
    folder = tmp_path_factory.mktemp('weights')
    svtr = build(SVTR).state_dict()
    files = dict(svtr=svtr, crnn=build(CRNN).state_dict())
    files['svtr_no_bias'] = {
        k: v
        for k, v in svtr.items() if k != 'decoder.classifier.bias'
    }
    files['svtr_10_classes'] = dict(
        svtr, **{
            'decoder.classifier.weight': torch.zeros(10, 512),
            'decoder.classifier.bias': torch.zeros(10)
        })
    paths = {}
    for name, state_dict in files.items():
        paths[name] = folder / f'{name}.pth'
        torch.save({'state_dict': state_dict, 'meta': {}}, paths[name])
    return paths


# --- the one check ---------------------------------------------------------
def test_check_lists_keys_with_expected_and_found_shapes():
    model = {'a.weight': torch.zeros(3, 2), 'b': torch.zeros(4)}
    with pytest.raises(CheckpointMismatchError) as err:
        check_state_dict({'a.weight': torch.zeros(3, 5), 'c': torch.zeros(1)},
                         model, source='x.pth')
    assert str(err.value) == (
        'x.pth does not fit model (another model, size or class count?):\n'
        '  shape mismatches (1):\n'
        '    a.weight: expected (3, 2), found (3, 5)\n'
        '  missing from the checkpoint (1):\n'
        '    b (4,)\n'
        '  not in the model (1):\n'
        '    c (1,)')
    check_state_dict({'a.weight': torch.zeros(3, 1)}, model,
                     exclude=['a.*', 'b'])
    check_state_dict(dict(model), model)


def test_original_checkpoints_name_their_converter():
    original = torch.load(ORIGINAL_CRNN)
    crnn = build(CRNN)
    with pytest.raises(CheckpointMismatchError,
                       match=f'original CLL-STR checkpoint .*{CONVERTER}'):
        check_state_dict(original, crnn)
    with pytest.raises(CheckpointMismatchError,
                       match='original LMIM/MAE checkpoint .*'
                       'tools/model_converters/lmim_to_mmocr.py'):
        check_state_dict({'model': {'cls_token': torch.zeros(1)}}, crnn)


# --- every way into our models is strict ----------------------------------
def test_every_load_into_our_models_is_strict(weights):
    model = build(SVTR)
    assert isinstance(model, CheckpointFitMixin)
    partial = torch.load(weights['svtr_no_bias'])['state_dict']
    with pytest.raises(CheckpointMismatchError,
                       match=r'missing from the checkpoint \(1\):\n    '
                       r'decoder\.classifier\.bias \(4680,\)'):
        model.load_state_dict(partial, strict=False)
    with pytest.raises(CheckpointMismatchError,
                       match=r'decoder\.classifier\.weight: expected '
                       r'\(4680, 512\), found \(10, 512\)'):
        load_checkpoint(model, str(weights['svtr_10_classes']))
    load_checkpoint(model, str(weights['svtr']))


def test_mmocr_inferencer_refuses_a_misfit_and_an_original(weights):
    with pytest.raises(CheckpointMismatchError,
                       match='does not fit CLLSVTR.*\n.*shape mismatches'):
        TextRecInferencer(model=str(SVTR), weights=str(
            weights['svtr_10_classes']), device='cpu')
    with pytest.raises(CheckpointMismatchError, match=CONVERTER):
        TextRecInferencer(model=str(CRNN), weights=str(ORIGINAL_CRNN),
                          device='cpu')


def test_every_config_is_strict_and_saves_atomically():
    init_default_scope('mmocr')
    configs = sorted(
        p for p in (REPO / 'configs').rglob('*.py')
        if not any(part.startswith('_base') for part in p.parts))
    assert len(configs) > 20
    for path in configs:
        cfg = Config.fromfile(str(path))
        if cfg.model.type == 'ONNXDBNet':
            continue  # runs an ONNX file: no checkpoint to load or save
        assert issubclass(MODELS.get(cfg.model.type), CheckpointFitMixin), \
            path
        assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook', \
            path


def test_demo_names_the_converter_for_an_original_checkpoint(
        tmp_path, monkeypatch, capsys):
    demo = load_tool('tools/demo.py')
    status = run_tool(demo, [CRNN, ORIGINAL_CRNN, '--out',
                             tmp_path / 'out.txt'], monkeypatch)
    assert status.startswith('error: ')
    assert f'{ORIGINAL_CRNN} is an original CLL-STR checkpoint' in status
    assert CONVERTER in status
    assert not (tmp_path / 'out.txt').exists()


def test_infer_lists_the_keys_of_a_misfit(weights, tmp_path, monkeypatch):
    infer = load_tool('tools/infer.py')
    status = run_tool(infer, [
        REPO / 'demo', '--rec', SVTR, '--rec-weights',
        weights['svtr_no_bias'], '--det', 'none', '--out-dir', tmp_path
    ], monkeypatch)
    assert status.startswith(f'error: {weights["svtr_no_bias"]} does not '
                             'fit CLLSVTR')
    assert 'decoder.classifier.bias (4680,)' in status
    assert not (tmp_path / 'preds').exists()


# --- tools/test.py -------------------------------------------------------
@pytest.fixture(scope='module')
def tiny_data(tmp_path_factory):
    words = ['CUISINE', 'exit', 'OPEN', 'AB']
    tree = {
        split: {lang: words for lang in ('LAT', 'KOR')}
        for split in ('training', 'validation', 'evaluation')
    }
    return make_cllstr_tree(str(tmp_path_factory.mktemp('data')), tree)


def tiny_options(data_root, max_iters=2):
    """Train ``max_iters`` iterations without validating, saving after each
    (the config keeps one iteration checkpoint)."""
    opts = [
        f'train_cfg.max_iters={max_iters}', 'train_cfg.val_begin=100',
        'train_cfg.dynamic_intervals=None',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.logger.interval=1'
    ]
    for loader in ('train', 'val', 'test'):
        opts += [
            f'{loader}_dataloader.dataset.data_root={data_root}',
            f'{loader}_dataloader.dataset.select_data=lang_KL',
            f'{loader}_dataloader.batch_size=2',
            f'{loader}_dataloader.num_workers=0',
            f'{loader}_dataloader.persistent_workers=False'
        ]
    return opts


def test_test_tool_keeps_what_it_measured_when_it_fails(
        weights, tiny_data, tmp_path, monkeypatch):
    from mmengine.runner.loops import TestLoop
    test = load_tool('tools/test.py')
    out = tmp_path / 'results.json'
    argv = [CRNN, weights['crnn'], '--work-dir', tmp_path, '--out', out,
            '--cfg-options', *tiny_options(tiny_data), 'experiment_name=']
    run_iter = TestLoop.run_iter

    def fails_at_the_third_batch(loop, idx, data_batch):
        if idx == 2:
            raise RuntimeError('disk on fire')
        run_iter(loop, idx, data_batch)

    monkeypatch.setattr(TestLoop, 'run_iter', fails_at_the_third_batch)
    argv[-1] = 'experiment_name=failing-test'
    with pytest.raises(RuntimeError, match='disk on fire'):
        run_tool(test, argv, monkeypatch)
    assert not out.exists()
    partial = json.loads((tmp_path / 'results.partial.json').read_text())
    assert partial['complete'] is False
    assert partial['error'] == 'RuntimeError: disk on fire'
    assert partial['num_images'] == 4
    metrics = partial['metrics']
    assert metrics['recog/num_samples'] == 4
    assert metrics['recog/KOR/num_samples'] == 4  # KOR comes first
    assert 'recog/LAT/num_samples' not in metrics
    assert 0 <= metrics['recog/1-NED'] <= 100

    monkeypatch.setattr(TestLoop, 'run_iter', run_iter)
    argv[-1] = 'experiment_name=complete-test'
    assert run_tool(test, argv, monkeypatch) == 0
    results = json.loads(out.read_text())
    assert results['complete'] is True and results['num_images'] == 8
    assert not (tmp_path / 'results.partial.json').exists()

    argv[1], argv[-1] = weights['svtr'], 'experiment_name=misfit-test'
    status = run_tool(test, argv, monkeypatch)
    assert status.startswith(f'error: {weights["svtr"]} does not fit CLLCRNN')
    assert 'missing from the checkpoint' in status


# --- atomic writes -----------------------------------------------------------
def test_atomic_write_keeps_the_old_file_when_a_write_fails(tmp_path):
    path = tmp_path / 'ckpt.pth'
    save_atomic({'w': torch.ones(2)}, str(path))
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(RuntimeError, match='killed'):
        with atomic_write(str(path)) as f:
            f.write(b'half a checkpoint')
            raise RuntimeError('killed')
    assert torch.equal(torch.load(path)['w'], torch.ones(2))
    assert sorted(os.listdir(tmp_path)) == ['ckpt.pth']


class ToyModel(CheckpointFitMixin, BaseModel):

    def __init__(self, classes=1):
        super().__init__()
        self.body = torch.nn.Linear(2, 3)
        self.head = torch.nn.Linear(3, classes)

    def forward(self, inputs, targets=None, mode='tensor'):
        out = self.head(self.body(inputs))
        if mode == 'loss':
            return {'loss': ((out - targets)**2).mean()}
        return out


def toy_runner(work_dir, max_iters, classes=1, **kwargs):
    gen = torch.Generator().manual_seed(0)
    data = [
        dict(inputs=x, targets=torch.zeros(classes))
        for x in torch.randn(8, 2, generator=gen)
    ]
    return Runner(
        model=ToyModel(classes),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=data,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='default_collate'),
            batch_size=2),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        default_hooks=dict(
            checkpoint=dict(
                type='AtomicCheckpointHook',
                interval=2,
                by_epoch=False,
                max_keep_ckpts=1)),
        default_scope='mmocr',
        experiment_name=f'toy-{work_dir.name}-{max_iters}-{time.time()}',
        **kwargs)


def test_hook_removes_the_outdated_checkpoint_only_after_saving(
        tmp_path, monkeypatch):
    toy_runner(tmp_path, 2).train()
    saved = (tmp_path / 'iter_2.pth').read_bytes()
    put = AtomicLocalBackend.put

    def torn_put(backend, obj, filepath):
        if filepath.endswith('iter_4.pth'):
            with atomic_write(filepath) as f:
                f.write(obj[:len(obj) // 2])
                raise OSError('no space left on device')
        put(backend, obj, filepath)

    monkeypatch.setattr(AtomicLocalBackend, 'put', torn_put)
    with pytest.raises(OSError, match='no space left'):
        toy_runner(tmp_path, 4, resume=True).train()
    # MMEngine's CheckpointHook would have removed iter_2.pth already
    assert (tmp_path / 'iter_2.pth').read_bytes() == saved
    assert (tmp_path / 'last_checkpoint').read_text() == str(
        tmp_path / 'iter_2.pth')
    assert sorted(p.name for p in tmp_path.glob('*.pth')) == ['iter_2.pth']

    monkeypatch.setattr(AtomicLocalBackend, 'put', put)
    toy_runner(tmp_path, 4, resume=True).train()
    assert sorted(p.name for p in tmp_path.glob('*.pth')) == ['iter_4.pth']
    assert torch.load(tmp_path / 'iter_4.pth')['meta']['iter'] == 4


def test_load_from_is_strict_unless_the_config_excludes_keys(tmp_path):
    other_head = tmp_path / 'other_head.pth'
    donor = ToyModel(classes=5)
    torch.save({'state_dict': donor.state_dict()}, other_head)
    with pytest.raises(CheckpointMismatchError,
                       match=f'{other_head} does not fit ToyModel.*\n'
                       r'.*\n    head\.weight: expected \(1, 3\), found '
                       r'\(5, 3\)'):
        toy_runner(tmp_path / 'strict', 2, load_from=str(other_head)).train()

    runner = toy_runner(
        tmp_path / 'partial',
        1,
        load_from=str(other_head),
        cfg=dict(load_from_exclude_keys=['head.*']))
    initial_head = runner.model.head.weight.detach().clone()
    runner.load_or_resume()
    assert torch.equal(runner.model.body.weight, donor.body.weight)
    assert torch.equal(runner.model.head.weight, initial_head)
    assert any(isinstance(h, AtomicCheckpointHook) for h in runner.hooks)


# --- a real training run killed while it writes a checkpoint ---------------
# Runs tools/train.py, but stops the process just before the checkpoint
# named by $PAUSE_AT is renamed into place, with its temporary file cut to
# half (as a kill in the middle of writing leaves it), and says so in
# $PAUSE_MARKER; the test then kills it with SIGKILL.
PAUSING_TRAIN = '''
import os, runpy, sys, time
real_replace = os.replace
def replace(src, dst, *args, **kwargs):
    if os.path.basename(str(dst)) == os.environ['PAUSE_AT']:
        with open(src, 'r+b') as f:
            f.truncate(os.path.getsize(src) // 2)
        open(os.environ['PAUSE_MARKER'], 'w').close()
        time.sleep(600)
    return real_replace(src, dst, *args, **kwargs)
os.replace = replace
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
'''


def test_sigkill_while_saving_then_resume(tiny_data, tmp_path):
    work = tmp_path / 'work'
    marker = tmp_path / 'paused'
    env = dict(os.environ, PYTHONPATH=str(REPO), PAUSE_AT='iter_2.pth',
               PAUSE_MARKER=str(marker))
    options = ['--cfg-options', *tiny_options(tiny_data, max_iters=2)]
    proc = subprocess.Popen(
        [sys.executable, '-c', PAUSING_TRAIN, 'tools/train.py', str(CRNN),
         '--work-dir', str(work), *options],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 300
        while not marker.exists():
            assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
            assert time.time() < deadline, 'training never reached iter 2'
            time.sleep(0.2)
        before = (work / 'iter_1.pth').read_bytes()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # The kill left a torn temporary file; everything else is as it was.
    assert len(glob.glob(str(work / '.iter_2.pth.*.tmp'))) == 1
    assert not (work / 'iter_2.pth').exists()
    assert (work / 'iter_1.pth').read_bytes() == before
    assert (work / 'last_checkpoint').read_text() == str(work / 'iter_1.pth')
    assert torch.load(work / 'iter_1.pth')['meta']['iter'] == 1

    # `--resume` without a value, right before the config
    env.pop('PAUSE_AT')
    resumed = subprocess.run(
        [sys.executable, 'tools/train.py', '--resume', str(CRNN),
         '--work-dir', str(work), *options],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    log = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, log[-3000:]
    assert f'Auto resumed from the latest checkpoint {work}/iter_1.pth' in log
    assert 'Iter(train) [2/2]' in log and 'Iter(train) [1/2]' not in log
    assert torch.load(work / 'iter_2.pth')['meta']['iter'] == 2
    assert not (work / 'iter_1.pth').exists()


# --- inference outputs -----------------------------------------------------
def test_inference_outputs_get_unique_names(tmp_path):
    paths = ['x/a.jpg', 'x/a.png', 'x/a_2.png', 'y/a.jpg', 'x/b.jpg']
    results = [
        InferenceResult(path, dict(text=path), None, None) for path in paths
    ]
    results[4] = InferenceResult('x/b.jpg', None, None, 'unreadable')
    assert list(save_results(results, str(tmp_path))) == results
    written = {
        p.stem: json.loads(p.read_text())['text']
        for p in (tmp_path / 'preds').iterdir()
    }
    assert written == {
        'a': 'x/a.jpg',
        'a_2': 'x/a.png',
        'a_2_2': 'x/a_2.png',
        'a_3': 'y/a.jpg'
    }
