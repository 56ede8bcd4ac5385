"""tools/gpu/lmim_smoke.sh in its CPU mode: the MAE -> LMIM -> fine-tuning
chain on the bundled data runs, hands each stage's weights to the next and
reports its figures (the GPU mode is the same script with full sizes)."""
import importlib.util
import json
import os
import os.path as osp
import subprocess

import pytest
import torch
from test_lmim_helpers import REPO


def test_cpu_smoke_runs_the_chain_and_reports(tmp_path):
    work_dir = tmp_path / 'smoke'
    proc = subprocess.run(
        ['bash', 'tools/gpu/lmim_smoke.sh', '--cpu', '--work-dir',
         str(work_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=dict(os.environ, OMP_NUM_THREADS='1'),
        timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((work_dir / 'lmim_smoke.json').read_text())
    assert results['device'] == 'cpu' and results['amp'] is False
    for stage in ('mae', 'lmim', 'finetune'):
        row = results[stage]
        # 4 images of each of the 7 scripts, batch 8: 3 iterations x 2
        assert row['iterations'] == 6 and row['timed_iterations'] == 4
        assert row['samples_per_s'] > 0 and row['peak_memory_gib'] > 0
        assert f'{stage:>8}:    6 iterations of batch 8' in proc.stdout
    assert 0 <= results['finetune']['val_metrics']['recog/1-NED'] <= 100
    # the MAE encoder is LMIM's frozen teacher
    mae = torch.load(work_dir / 'mae' / 'epoch_2.pth',
                     map_location='cpu')['state_dict']
    lmim = torch.load(work_dir / 'lmim' / 'epoch_2.pth',
                      map_location='cpu')['state_dict']
    teacher = {k[len('teacher.'):]: v for k, v in lmim.items()
               if k.startswith('teacher.')}
    assert teacher and all(
        torch.equal(v, mae['encoder.' + k]) for k, v in teacher.items())
    assert osp.isfile(work_dir / 'finetune' / 'epoch_2.pth')


def test_gpu_mode_needs_cuda():
    spec = importlib.util.spec_from_file_location(
        'lmim_smoke', osp.join(REPO, 'tools', 'gpu', 'lmim_smoke.py'))
    smoke = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smoke)
    if torch.cuda.is_available():
        assert smoke.parse_args([]).batch_size == 64
    else:
        with pytest.raises(SystemExit):
            smoke.parse_args([])
