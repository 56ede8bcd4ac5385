"""Training speed and peak memory of LMIM pretraining and fine-tuning.

    python benchmarks/lmim_speed.py [--device cpu|cuda] [--batch-size N]
        [--iters N] [--warmup N] [--amp | --no-amp] [--stages ...]
        [--out results.json]

ViT-Small at the paper's settings (LMIM: mask ratio 0.8, 2-block 512-d
decoder, frozen teacher; fine-tuning: NRTR decoder, 97 classes, layer-wise
lr decay 0.75), on synthetic 32x128 inputs already packed as the pipelines
pack them. Each model is trained twice, each time in a fresh process:

- ``runner``: MMEngine's Runner (DataLoader, data preprocessor, optimiser
  wrapper built by the config's constructor, hooks), ``IterBasedTrainLoop``;
- ``bare``: a plain PyTorch loop doing the same work (move the uint8 batch
  to the device, normalise, forward, backward, AdamW step with the same
  parameter groups; ``torch.autocast`` + ``GradScaler`` with AMP).

Samples/s are measured over ``--iters`` iterations after ``--warmup``; the
Runner's overhead is ``bare / runner - 1``. Peak memory is the process's
max RSS (CPU) or ``torch.cuda.max_memory_allocated`` (GPU). The CPU-side
data pipeline of LMIM (guidance view + resize + pack, one worker) is timed
too, to size ``num_workers``. Defaults: CPU batch 2, 3 + 1 iterations;
GPU batch 64 (the paper's per-GPU batch), 20 + 5 iterations, AMP.
"""
import argparse
import json
import os.path as osp
import resource
import tempfile
import time
from typing import Dict, List

import cllstr_mm  # noqa: F401  (compat layer + registration)
import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.structures import BaseDataElement, LabelData
from mmocr.registry import MODELS, TRANSFORMS
from mmocr.structures import TextRecogDataSample

import cllstr_mm.datasets.transforms.guidance_view  # noqa: F401,E402
import cllstr_mm.datasets.transforms.lmim_pack_inputs  # noqa: F401,E402
import cllstr_mm.engine  # noqa: F401,E402
import cllstr_mm.models.decoders.lmim_ce_module_loss  # noqa: F401,E402
import cllstr_mm.models.encoders.vit_encoder  # noqa: F401,E402
import cllstr_mm.models.pretrainers  # noqa: F401,E402
from _speed_common import build_optimizer, in_fresh_process  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    pretrain=osp.join(REPO, 'configs/lmim/lmim_vit-small_8xb64-10e_mlt19.py'),
    finetune=osp.join(
        REPO, 'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_union14m-l.py'))
WORDS = ['LMIM', 'text', 'Union14M', 'ViT', 'recognition', 'a1b2', 'OK!']


class SyntheticSamples(torch.utils.data.Dataset):
    """``length`` packed samples cycling over a few random ones."""

    metainfo: dict = {}

    def __init__(self, stage: str, length: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.length = length
        self.items = []
        for i in range(8):
            if stage == 'pretrain':
                inputs = rng.integers(0, 256, (2, 3, 32, 128), np.uint8)
                sample = BaseDataElement()
            else:
                inputs = rng.integers(0, 256, (3, 32, 128), np.uint8)
                sample = TextRecogDataSample(
                    metainfo=dict(valid_ratio=1.0, img_shape=(32, 128)))
                sample.gt_text = LabelData(item=WORDS[i % len(WORDS)])
            self.items.append(
                dict(inputs=torch.from_numpy(inputs), data_samples=sample))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, idx: int) -> dict:
        return self.items[idx % len(self.items)]


class IterTimes(Hook):
    """Record the time at the end of every training iteration."""

    def __init__(self) -> None:
        self.times: List[float] = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        self.times.append(time.perf_counter())


def model_and_optim_cfg(stage: str):
    cfg = Config.fromfile(CONFIGS[stage])
    model = cfg.model
    if stage == 'pretrain':
        # the teacher's weights do not change the cost
        model.teacher_checkpoint = None
    else:
        model.encoder.init_cfg = None
    return model, cfg.optim_wrapper


def throughput(times: List[float], warmup: int, batch: int) -> float:
    timed = times[warmup:]
    return (len(timed) - 1) * batch / (timed[-1] - timed[0])


def peak_memory_mib(device: str) -> float:
    if device == 'cuda':
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_runner(stage: str, opts: dict) -> Dict[str, float]:
    model_cfg, optim_cfg = model_and_optim_cfg(stage)
    if opts['amp']:
        optim_cfg.type = 'AmpOptimWrapper'
        optim_cfg.loss_scale = 'dynamic'
    total = opts['warmup'] + opts['iters'] + 1
    timer = IterTimes()
    with tempfile.TemporaryDirectory() as work_dir:
        runner = Runner(
            model=model_cfg,
            work_dir=work_dir,
            train_dataloader=dict(
                batch_size=opts['batch_size'],
                num_workers=0,
                sampler=dict(type='DefaultSampler', shuffle=False),
                dataset=SyntheticSamples(stage, total * opts['batch_size'])),
            train_cfg=dict(type='IterBasedTrainLoop', max_iters=total),
            optim_wrapper=optim_cfg,
            default_hooks=dict(
                logger=dict(type='LoggerHook', interval=10**6),
                checkpoint=None),
            custom_hooks=[timer],
            env_cfg=dict(
                cudnn_benchmark=True,
                mp_cfg=dict(mp_start_method='spawn')),
            default_scope='mmocr',
            log_level='WARNING')
        runner.train()
    return dict(
        samples_per_s=throughput(timer.times, opts['warmup'],
                                 opts['batch_size']),
        peak_mib=peak_memory_mib(opts['device']))


def run_bare(stage: str, opts: dict) -> Dict[str, float]:
    init_default_scope('mmocr')
    MMLogger.get_instance('lmim_speed', log_level='WARNING')
    device, batch = opts['device'], opts['batch_size']
    model_cfg, optim_cfg = model_and_optim_cfg(stage)
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.to(device).train()
    optimizer = build_optimizer(model, optim_cfg)
    scaler = torch.amp.GradScaler(device, enabled=opts['amp'])
    data = SyntheticSamples(stage, batch)
    inputs = torch.stack([data[i]['inputs'] for i in range(batch)])
    samples = [data[i]['data_samples'] for i in range(batch)]
    mean = torch.tensor(127.5, device=device)
    rgb = [2, 1, 0]
    times = []
    for _ in range(opts['warmup'] + opts['iters'] + 1):
        x = inputs.to(device, non_blocking=True)
        x = (x[..., rgb, :, :].float() - mean) / mean
        with torch.autocast(device, enabled=opts['amp']):
            if stage == 'pretrain':
                losses = model(x, mode='loss')
            else:
                losses = model(x, samples, mode='loss')
            loss = sum(v.mean() for v in losses.values())
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        if device == 'cuda':
            torch.cuda.synchronize()
        times.append(time.perf_counter())
    return dict(
        samples_per_s=throughput(times, opts['warmup'], batch),
        peak_mib=peak_memory_mib(device))


def measure(job: tuple, opts: dict) -> Dict[str, float]:
    """Run one (stage, loop) measurement; called in a fresh process."""
    stage, loop = job
    torch.manual_seed(0)
    if opts['device'] == 'cuda':
        torch.backends.cudnn.benchmark = True
    return (run_runner if loop == 'runner' else run_bare)(stage, opts)


def pipeline_speed(num: int = 16) -> float:
    """LMIM's CPU data pipeline (one worker), samples/s on 48x160 crops."""
    cfg = Config.fromfile(CONFIGS['pretrain'])
    init_default_scope('mmocr')
    transforms = [TRANSFORMS.build(t) for t in cfg.lmim_train_pipeline]
    rng = np.random.default_rng(0)
    imgs = [rng.integers(0, 256, (48, 160, 3), np.uint8) for _ in range(num)]
    start = time.perf_counter()
    for img in imgs:
        results = dict(img=img, img_shape=img.shape[:2])
        for transform in transforms:
            results = transform(results)
    return num / (time.perf_counter() - start)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--device',
        choices=['cpu', 'cuda'],
        default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch-size', type=int)
    parser.add_argument('--iters', type=int, help='timed iterations')
    parser.add_argument('--warmup', type=int, help='untimed iterations')
    parser.add_argument(
        '--amp',
        action=argparse.BooleanOptionalAction,
        help='mixed precision (default: on for cuda)')
    parser.add_argument(
        '--stages',
        nargs='+',
        choices=['pretrain', 'finetune'],
        default=['pretrain', 'finetune'])
    parser.add_argument('--out', help='also write the results as JSON here')
    args = parser.parse_args()
    gpu = args.device == 'cuda'
    if gpu and not torch.cuda.is_available():
        parser.error('--device cuda: no CUDA device is available')
    if args.amp and not gpu:
        parser.error('--amp needs --device cuda')
    defaults = dict(
        batch_size=64 if gpu else 2,
        iters=20 if gpu else 3,
        warmup=5 if gpu else 1,
        amp=gpu)
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.iters < 2:
        parser.error('--iters must be at least 2')
    return args


def main() -> None:
    args = parse_args()
    opts = dict(
        device=args.device,
        batch_size=args.batch_size,
        iters=args.iters,
        warmup=args.warmup,
        amp=args.amp)
    name = torch.cuda.get_device_name() if args.device == 'cuda' else \
        f'CPU ({torch.get_num_threads()} threads)'
    print(f'device: {name}; batch {args.batch_size}; {args.warmup} warm-up '
          f'+ {args.iters} timed iterations; amp={args.amp}')
    results = dict(device=name, options=opts, stages={})
    for stage in args.stages:
        row = {}
        for loop in ('runner', 'bare'):
            # spawn: a forked process cannot use CUDA
            row[loop] = in_fresh_process(measure, ((stage, loop), opts),
                                         'spawn')
        row['runner_overhead_pct'] = 100 * (
            row['bare']['samples_per_s'] / row['runner']['samples_per_s'] -
            1)
        results['stages'][stage] = row
        print(f'{stage:9s} runner {row["runner"]["samples_per_s"]:8.2f} '
              f'samples/s, peak {row["runner"]["peak_mib"]:8.0f} MiB | bare '
              f'{row["bare"]["samples_per_s"]:8.2f} samples/s, peak '
              f'{row["bare"]["peak_mib"]:8.0f} MiB | Runner overhead '
              f'{row["runner_overhead_pct"]:+.1f}%')
    results['lmim_pipeline_samples_per_s_per_worker'] = pipeline_speed()
    print('LMIM data pipeline (guidance view + resize + pack), one CPU '
          f'worker: {results["lmim_pipeline_samples_per_s_per_worker"]:.1f} '
          'samples/s')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)


if __name__ == '__main__':
    main()
