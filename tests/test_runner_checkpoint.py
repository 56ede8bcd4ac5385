"""MMEngine's Runner saves and resumes checkpoints on torch >= 2.6 with
``weights_only`` loading kept on (compat gap 3)."""
import torch
from toy_runner import ToyModel, toy_runner


def _dataset(n=8):
    gen = torch.Generator().manual_seed(0)
    xs = torch.randn(n, 2, generator=gen)
    return [dict(inputs=x, targets=x.sum(0, keepdim=True)) for x in xs]


def _runner(work_dir, max_iters, resume=False):
    # OneCycle pickles its annealing function: resume must load it.
    return toy_runner(
        work_dir, _dataset(), max_iters, resume,
        param_scheduler=dict(
            type='OneCycleLR', eta_max=0.1, total_steps=4, by_epoch=False),
        default_scope='mmengine')


def test_runner_saves_and_resumes(tmp_path):
    runner = _runner(tmp_path, max_iters=2)
    runner.train()
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.exists()
    saved = torch.load(ckpt, weights_only=True)
    assert saved['meta']['iter'] == 2
    assert 'train/loss' in saved['message_hub']['log_scalars']

    ToyModel.loss_calls = 0
    resumed = _runner(tmp_path, max_iters=4, resume=True)
    resumed.train()
    assert resumed.iter == 4
    assert ToyModel.loss_calls == 2, 'resume restarted from iteration 0'
    assert (tmp_path / 'iter_4.pth').exists()
    w2 = saved['state_dict']['linear.weight']
    w4 = torch.load(tmp_path / 'iter_4.pth')['state_dict']['linear.weight']
    assert not torch.equal(w2, w4)
