# What the GPU leaves of the stream recipes share (tools/gpu/
# train_release.sh): they continue from published weights with a short
# warm-up and a cosine decay to the end, batch 256 with AMP, rendering on 15
# DataLoader workers (rendering, ~200 crops/s per core, is what bounds the
# speed there); 6,000 iterations are 1.54M samples. Variables only: each
# leaf puts them into the recipe it inherits from.
gpu_dataloader = dict(
    batch_size=256, num_workers=15, persistent_workers=True,
    prefetch_factor=4)
gpu_lr = 1e-3
gpu_optim_wrapper = dict(optimizer=dict(lr=gpu_lr))
gpu_param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=False, begin=0,
         end=200),
    # tools/train.py fits T_max to the loop (cllstr_mm/engine/schedules.py)
    dict(type='CosineAnnealingLR', eta_min=gpu_lr / 100, by_epoch=False,
         begin=200)
]
gpu_train_cfg = dict(max_iters=6000, val_interval=1000)
gpu_hooks = dict(logger=dict(interval=100), checkpoint=dict(interval=1000))
