"""Release tooling: fp16 publishing with a checksum file, and the learning
curve record that survives across sessions."""
import hashlib
import json
import os.path as osp
import runpy
import sys

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _tool(*parts):
    return runpy.run_path(osp.join(ROOT, 'tools', *parts))


def test_publish_keeps_weights_only_in_fp16_and_records_sha(tmp_path,
                                                            monkeypatch):
    ckpt = dict(
        meta=dict(iter=250, epoch=0),
        state_dict={'w': torch.tensor([1.0, 2.5]),
                    'n': torch.tensor([3], dtype=torch.long)},
        ema_state_dict={'module.w': torch.tensor([0.0, 0.0])},
        optimizer={'state': {}})
    src = tmp_path / 'iter_250.pth'
    torch.save(ckpt, src)
    out = tmp_path / 'rel' / 'model_fp16.pth'
    (tmp_path / 'rel').mkdir()
    (tmp_path / 'rel' / 'SHA256SUMS').write_text(
        'ab' * 32 + '  model_fp16.pth\n' + 'cd' * 32 + '  other.pth\n')
    tool = _tool('model_converters', 'publish_model.py')
    monkeypatch.setattr(sys, 'argv', ['publish_model.py', str(src), str(out)])
    tool['main']()
    saved = torch.load(out, weights_only=True)
    assert set(saved) == {'meta', 'state_dict'}
    assert saved['meta'] == dict(iter=250, ema=True, dtype='float16')
    assert saved['state_dict']['w'].dtype == torch.float16
    assert saved['state_dict']['w'].tolist() == [1.0, 2.5]
    assert saved['state_dict']['n'].dtype == torch.long
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert (tmp_path / 'rel' / 'SHA256SUMS').read_text().splitlines() == [
        f'{digest}  model_fp16.pth', 'cd' * 32 + '  other.pth']
    with pytest.raises(KeyError, match='has no state_dict'):
        tool['release_state']({'model': {}})


def test_publish_averages_several_checkpoints_of_one_model(tmp_path,
                                                           monkeypatch):
    """Several checkpoints publish the mean of their weights (hand-computed:
    (1 + 2 + 4.5) / 3 = 2.5), integer buffers from the last, each source
    in the meta; one that does not fit the first is an error naming it."""
    sources = []
    for number, (w, n) in enumerate(((1.0, 3), (2.0, 4), (4.5, 5))):
        path = tmp_path / f'run{number}' / 'iter_500.pth'
        path.parent.mkdir()
        torch.save(dict(meta=dict(iter=500 * (number + 1)),
                        state_dict={'w': torch.tensor([w, -w]),
                                    'n': torch.tensor([n])},
                        ema_state_dict={}), path)
        sources.append(str(path))
    out = tmp_path / 'mean_fp16.pth'
    tool = _tool('model_converters', 'publish_model.py')
    monkeypatch.setattr(sys, 'argv',
                        ['publish_model.py', *sources, str(out)])
    tool['main']()
    saved = torch.load(out, weights_only=True)
    assert saved['state_dict']['w'].dtype == torch.float16
    assert saved['state_dict']['w'].tolist() == [2.5, -2.5]
    assert saved['state_dict']['n'].tolist() == [5]
    assert saved['meta']['averaged'] == [
        dict(file=f'run{k}/iter_500.pth', iter=500 * (k + 1))
        for k in range(3)]
    assert saved['meta']['ema'] is True
    # a release given again averages as it is
    monkeypatch.setattr(sys, 'argv', ['publish_model.py', str(out),
                                      sources[0], str(tmp_path / 'b.pth')])
    tool['main']()
    assert torch.load(tmp_path / 'b.pth', weights_only=True)[
        'state_dict']['w'].tolist() == [1.75, -1.75]
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'w': torch.zeros(3),
                                'n': torch.tensor([1])}), other)
    monkeypatch.setattr(sys, 'argv', ['publish_model.py', sources[0],
                                      str(other), str(tmp_path / 'c.pth')])
    with pytest.raises(SystemExit, match='other.pth does not fit'):
        tool['main']()
    assert not (tmp_path / 'c.pth').exists()
    # averaged in float32, cast once: float16's step above 1 is 2**-10, so
    # 1 + 0.6 step, 1 + 0.6 step and 1 average to 1 + 0.4 step -> 1.0,
    # where casting first (1 + step twice, 1) would give 1 + step
    step = 2.0**-10
    for number, w in enumerate((1 + 0.6 * step, 1 + 0.6 * step, 1.0)):
        torch.save(dict(state_dict={'w': torch.tensor([w]),
                                    'n': torch.tensor([1])}), sources[number])
    monkeypatch.setattr(sys, 'argv',
                        ['publish_model.py', *sources, str(out)])
    tool['main']()
    assert torch.load(out, weights_only=True)['state_dict']['w'].tolist() == [
        1.0]


def test_learning_curve_merges_sessions_and_keeps_the_record(tmp_path):
    tool = _tool('analysis_tools', 'learning_curve.py')
    for stamp, steps in (('20261201_090000', (250, 500)),
                         ('20261202_090000', (500, 750))):
        vis = tmp_path / 'run' / stamp / 'vis_data'
        vis.mkdir(parents=True)
        lines = [json.dumps({'loss': 3.0, 'step': 10})]
        for s in steps:
            lines.append(json.dumps({'loss': 2.0, 'step': s}))
            # the first session logged validation at epoch 0, the second
            # at its iteration
            lines.append(json.dumps({
                'recog/1-NED': s / 10, 'recog/ARA/1-NED': s / 20,
                'step': s if stamp.startswith('20261202') else 0}))
        (vis / 'scalars.json').write_text('\n'.join(lines) + '\n')
    records = tool['read_validations'](str(tmp_path / 'run'))
    assert [r['step'] for r in records] == [250, 500, 500, 750]
    old = [dict(iter=100, samples=6400, total=1.0)]
    points = tool['merge'](old, records, batch_size=64)
    assert [p['iter'] for p in points] == [100, 250, 500, 750]
    assert points[2] == dict(iter=500, samples=32000, total=50.0, ARA=25.0)
    out = tmp_path / 'curve.png'
    tool['draw']({'recog': points}, str(out), 'test')
    assert out.stat().st_size > 1000
    # a stage started with load_from counts from 0: its offset moves it
    shifted = tool['merge']([], records[:1], batch_size=64,
                            iter_offset=600)
    assert shifted == [dict(iter=850, samples=54400, total=25.0, ARA=12.5)]


def test_gpu_release_script_runs_end_to_end_on_cpu(tmp_path):
    """tools/gpu/train_release.sh --smoke: eval sets, 2 training iterations
    of release 2's recipe from the committed weights, an fp16 release, its
    scores on our split and on crops from elsewhere, and the demo."""
    import subprocess
    work = tmp_path / 'work'
    done = subprocess.run(
        ['bash', osp.join(ROOT, 'tools', 'gpu', 'train_release.sh'),
         '--smoke'],
        env={**__import__('os').environ, 'WORK_DIR': str(work)},
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    saved = torch.load(work / 'release_fp16.pth', weights_only=True)
    assert saved['meta']['iter'] == 2 and saved['meta']['ema']
    scores = json.loads((work / 'test_synth_eval.json').read_text())
    assert 'recog/1-NED' in json.dumps(scores)
    spaced = json.dumps(json.loads(
        (work / 'test_synth_eval_spaced.json').read_text()))
    assert 'recog/LAT/1-NED' in spaced and 'recog/ARA/1-NED' not in spaced
    lines = (work / 'demo.txt').read_text(encoding='utf-8').splitlines()
    assert len(lines) == 7
    # release 2's recipe, scored on crops from outside our generator
    peers = json.loads((work / 'peers.json').read_text())['figures']
    scores = peers['demo']['ours']['scores']
    assert scores['num_samples'] == 7 and 'KOR/1-NED' in scores
