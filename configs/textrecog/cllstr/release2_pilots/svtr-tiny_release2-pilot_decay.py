# Pilot: the lr decayed to 0 (cosine over 1,500 iterations after a 50-
# iteration warm-up) from the published iteration 6,100, against the
# constant 5e-4 of the stage, whose validations at 6,350 and 6,600 are the
# other arm (docs/model_zoo.md). A constant lr makes the EMA's checkpoints
# swing about a point between validations; a decay settles them.
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7-release2_fp16.pth'
train_dataloader = dict(dataset=dict(seed=5))
train_cfg = dict(max_iters=1500, val_interval=250)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', T_max=1450, eta_min=0., by_epoch=False,
         begin=50, end=1500)
]
