# Release 2's recipe on one GPU (tools/gpu/train_release.sh): it continues
# from the published release-2 fp16 weights with a short warm-up and a
# cosine decay to the end, batch 256 with AMP, rendering on 15 DataLoader
# workers (rendering, ~200 crops/s per core, bounds the speed there);
# 6,000 iterations are 1.54M samples, the release's target.
_base_ = ['svtr-tiny_1xb64-stream_synth7-release2.py']
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7-release2_fp16.pth'
train_dataloader = dict(
    batch_size=256, num_workers=15, persistent_workers=True,
    prefetch_factor=4, dataset=dict(seed=100))
lr = 1e-3
optim_wrapper = dict(optimizer=dict(lr=lr))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=False, begin=0,
         end=200),
    # tools/train.py fits T_max to the loop (cllstr_mm/engine/schedules.py)
    dict(type='CosineAnnealingLR', eta_min=lr / 100, by_epoch=False,
         begin=200)
]
train_cfg = dict(max_iters=6000, val_interval=1000)
default_hooks = dict(
    logger=dict(interval=100), checkpoint=dict(interval=1000))
