"""The LMIM chain on the bundled data, timed: MAE teacher -> LMIM
pretraining -> fine-tuning, each stage a few hundred iterations.

    python tools/gpu/lmim_smoke.py [--cpu] [--iters N] [--batch-size N]
        [--workers N] [--work-dir DIR] [--out results.json]

Each stage is the repository's MLT19 leaf config
(``mae_vit-small_8xb64-20e_mlt19.py``, ``lmim_vit-small_8xb64-10e_mlt19.py``,
``lmim-nrtr_vit-small_8xb64-10e_mlt19.py``) trained through MMEngine's
Runner on ``data/cllstr_mini`` (the 7 training LMDBs stand in for the 14
image sets of pretraining), for enough whole epochs to reach ``--iters``
iterations; each stage starts from the previous one's last checkpoint (the
MAE encoder is LMIM's frozen teacher, the LMIM student the encoder that is
fine-tuned). The fine-tuned model is validated once, at the end.

- GPU (default; needs CUDA): ViT-Small at the paper's sizes, batch 64 on one
  GPU, AMP (``AmpOptimWrapper``, dynamic loss scale), 300 iterations per
  stage.
- ``--cpu``: the tiny models of the tests (2 blocks of 32 dims), batch 8, 4
  images per script, 2 epochs per stage (6 iterations), no AMP: a check
  that the chain still runs, not a measurement.

Per stage it prints the iterations, samples/s over the timed iterations
(the first ``--warmup`` and the first of each epoch, which includes loader
start-up, validation and checkpointing before it, are left out; data loading
is included) and the peak memory: ``torch.cuda.max_memory_allocated`` on
GPU, the process's peak RSS so far on CPU. The figures also go to
``--out`` (default ``<work-dir>/lmim_smoke.json``).
"""
import argparse
import json
import math
import os
import os.path as osp
import resource
import time
from typing import Dict, List, Optional

import cllstr_mm  # noqa: F401  (compat layer + registration)
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from cllstr_mm.engine.schedules import fit_param_schedulers

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO, 'configs', 'lmim')
LANGS = ('ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT')
#: Training images per script in data/cllstr_mini.
BUNDLED_PER_SCRIPT = 600

#: The tests' tiny sizes for --cpu.
TINY_ENCODER = dict(embed_dims=32, depth=2, num_heads=2)
TINY_MAE = dict(decoder_dims=32, decoder_depth=1, decoder_heads=2)
TINY_LMIM = dict(decoder_dims=32, decoder_heads=2, decoder_ffn_dims=64)
TINY_DECODER = dict(n_layers=1, d_embedding=32, n_head=2, d_k=16, d_v=16,
                    d_model=32, d_inner=32)


class StageMeter(Hook):
    """Times training iterations and records peak memory for one stage.

    An interval runs from the end of one iteration to the end of the next
    in the same epoch (so data loading counts, validation and checkpoints
    between epochs do not); the first ``warmup`` iterations are not timed.
    """

    priority = 'VERY_LOW'

    def __init__(self, batch_size: int, warmup: int) -> None:
        self.batch_size = batch_size
        self.warmup = warmup
        self.iters = 0
        self.timed = 0
        self.seconds = 0.
        self.val_metrics: Dict[str, float] = {}
        self._last: Optional[float] = None

    @staticmethod
    def _now() -> float:
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        return time.perf_counter()

    def before_train(self, runner) -> None:
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()

    def before_train_epoch(self, runner) -> None:
        self._last = None

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        now = self._now()
        self.iters += 1
        if self._last is not None and self.iters > self.warmup:
            self.seconds += now - self._last
            self.timed += 1
        self._last = now

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.val_metrics = dict(metrics or {})

    def summary(self) -> Dict[str, float]:
        if torch.cuda.is_available():
            peak = torch.cuda.max_memory_allocated() / 2**30
            memory = 'peak GPU memory allocated'
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
            memory = 'peak RSS of the process so far'
        return dict(
            iterations=self.iters,
            timed_iterations=self.timed,
            batch_size=self.batch_size,
            samples_per_s=(self.timed * self.batch_size /
                           self.seconds) if self.seconds else float('nan'),
            peak_memory_gib=peak,
            memory=memory,
            val_metrics=self.val_metrics)


def loader(cfg: Config, batch_size: int, workers: int) -> None:
    """Batch size and workers of ``cfg.train_dataloader``, in place."""
    cfg.train_dataloader.update(
        batch_size=batch_size,
        num_workers=workers,
        persistent_workers=workers > 0)


def bundled_images(data_root: str, per_script: Optional[int]) -> List[dict]:
    """The bundled training LMDBs as unlabelled image sets."""
    return [
        dict(
            type='UnlabeledLMDBDataset',
            data_root=osp.join(data_root, 'training'),
            ann_file=lang,
            indices=per_script) for lang in LANGS
    ]


def stage_config(stage: str, args: argparse.Namespace,
                 previous: Optional[str]) -> Config:
    """The leaf config of ``stage`` set up for the bundled data."""
    name = dict(
        mae='mae_vit-small_8xb64-20e_mlt19.py',
        lmim='lmim_vit-small_8xb64-10e_mlt19.py',
        finetune='lmim-nrtr_vit-small_8xb64-10e_mlt19.py')[stage]
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    cfg.work_dir = osp.join(args.work_dir, stage)
    per_script = 4 if args.cpu else None
    images = (per_script or BUNDLED_PER_SCRIPT) * len(LANGS)
    cfg.train_cfg.max_epochs = max(
        2, math.ceil(args.iters / (images // args.batch_size)))
    cfg.default_hooks.logger.interval = 1 if args.cpu else 50
    loader(cfg, args.batch_size, args.workers)
    if args.cpu:
        cfg.model.encoder.update(TINY_ENCODER)
    if stage == 'mae':
        cfg.train_dataloader.dataset.datasets = bundled_images(
            args.data_root, per_script)
        if args.cpu:
            cfg.model.update(TINY_MAE)
    elif stage == 'lmim':
        cfg.train_dataloader.dataset.datasets = bundled_images(
            args.data_root, per_script)
        cfg.model.teacher_checkpoint = previous
        if args.cpu:
            cfg.model.update(TINY_LMIM)
    else:
        cfg.model.encoder.init_cfg.checkpoint = previous
        if args.cpu:
            cfg.model.encoder.out_dims = 32
            cfg.model.decoder.update(TINY_DECODER)
        for split in ('train', 'val', 'test'):
            dataloader = cfg[f'{split}_dataloader']
            dataloader.dataset.data_root = args.data_root
            if split != 'train':
                dataloader.update(batch_size=args.batch_size,
                                  num_workers=args.workers,
                                  persistent_workers=args.workers > 0)
        if args.cpu:
            cfg.train_dataloader.dataset.data_usage = {
                lang: per_script
                for lang in LANGS
            }
            cfg.val_dataloader.dataset.data_usage = {
                lang: 2
                for lang in LANGS
            }
        # one validation, at the end
        cfg.train_cfg.val_interval = cfg.train_cfg.max_epochs
    if torch.cuda.is_available() and not args.cpu:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    fit_param_schedulers(cfg)
    return cfg


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='MAE -> LMIM -> fine-tuning on data/cllstr_mini, timed')
    parser.add_argument(
        '--cpu',
        action='store_true',
        help='tiny models, a few iterations, on CPU (the CI check)')
    parser.add_argument(
        '--iters', type=int, help='iterations per stage (GPU 300, CPU 6)')
    parser.add_argument(
        '--batch-size', type=int, help='per stage (GPU 64, CPU 8)')
    parser.add_argument(
        '--warmup',
        type=int,
        help='iterations left out of the timing (GPU 20, CPU 1)')
    parser.add_argument(
        '--workers', type=int, help='dataloader workers (GPU 8, CPU 0)')
    parser.add_argument(
        '--data-root',
        default=osp.join(REPO, 'data', 'cllstr_mini'),
        help='the bundled data (default: data/cllstr_mini)')
    parser.add_argument(
        '--work-dir',
        default=osp.join('work_dirs', 'lmim_smoke'),
        help='one folder per stage under it')
    parser.add_argument(
        '--out', help='JSON file (default: <work-dir>/lmim_smoke.json)')
    args = parser.parse_args(argv)
    defaults = dict(iters=6, batch_size=8, warmup=1, workers=0) if \
        args.cpu else dict(iters=300, batch_size=64, warmup=20, workers=8)
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if not args.cpu and not torch.cuda.is_available():
        parser.error('no CUDA device: run on a GPU, or pass --cpu for the '
                     'tiny CPU check')
    return args


def main(argv: Optional[List[str]] = None) -> Dict[str, dict]:
    args = parse_args(argv)
    if args.cpu:
        # one thread: a second one only waits for a core on a shared machine
        torch.set_num_threads(1)
    device = 'cpu' if args.cpu else torch.cuda.get_device_name()
    results = dict(device=device, amp=not args.cpu)
    previous = None
    for stage in ('mae', 'lmim', 'finetune'):
        cfg = stage_config(stage, args, previous)
        runner = Runner.from_cfg(cfg)
        meter = StageMeter(args.batch_size, args.warmup)
        runner.register_hook(meter)
        runner.train()
        results[stage] = meter.summary()
        previous = osp.join(cfg.work_dir,
                            f'epoch_{cfg.train_cfg.max_epochs}.pth')
        if not osp.isfile(previous):
            raise FileNotFoundError(
                f'{stage} left no {previous}; see its log in {cfg.work_dir}')
        del runner
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    print(f'\nLMIM smoke on {device} (AMP: {results["amp"]})')
    for stage in ('mae', 'lmim', 'finetune'):
        row = results[stage]
        print(f'{stage:>8}: {row["iterations"]:4d} iterations of batch '
              f'{row["batch_size"]}, {row["samples_per_s"]:8.1f} samples/s '
              f'({row["timed_iterations"]} timed), '
              f'{row["peak_memory_gib"]:.2f} GiB {row["memory"]}')
    print(f'fine-tuned, validation 1-NED: '
          f'{results["finetune"]["val_metrics"].get("recog/1-NED")}')
    out = args.out or osp.join(args.work_dir, 'lmim_smoke.json')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(results, f, indent=2)
    print(f'figures written to {out}')
    return results


if __name__ == '__main__':
    main()
