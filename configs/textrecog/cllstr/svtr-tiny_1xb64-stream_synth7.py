# The released 7-script recogniser (docs/model_zoo.md): SVTR-Tiny trained
# jointly on the seven scripts with the joint dictionary (the CLL recipe) on
# word crops rendered on the fly, so no image is seen twice. Training draws
# the "train" words and font families; data/synth_eval (made by
# tools/data/make_synth_eval.py from this config) holds words, and in
# data/synth_eval_fonts also a font family per script, that it never sees.
# CPU-sized and open-ended, since a run spans sessions: batch 64 at the
# original's lr scaled to it, the quick start's zero-initialised residual
# branches, a 500-iteration warm-up then a constant lr, and an EMA of the
# weights (saved as the checkpoint's state_dict) standing in for the
# annealing that a fixed-length OneCycle would do. docs/model_zoo.md.
_base_ = [
    '_base_svtr-tiny.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]
model = dict(init_cfg=dict(zero_residual_branches=True))
# Most frequent usable wordfreq words per script; one in ten is held out.
vocab_size = dict(
    ARA=20000, BEN=20000, CHI=20000, HIN=20000, JPN=20000, KOR=30000,
    LAT=50000)
train_dataloader = dict(
    batch_size=64,
    num_workers=1,
    sampler=dict(_delete_=True, type='StreamSampler'),
    dataset=dict(
        _delete_=True,
        type='SynthWordDataset',
        vocab_size=vocab_size,
        # Signs often space their letters (the CHI and LAT demo photos do);
        # from iteration 1,750 on, one CHI/JPN/KOR/LAT crop in five does.
        spaced_prob=0.2,
        pipeline=_base_.cll_pipeline))
val_dataloader = dict(
    batch_size=128, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='data/synth_eval'))
test_dataloader = val_dataloader
lr = 5e-4
optim_wrapper = dict(optimizer=dict(lr=lr))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.05,
        by_epoch=False,
        begin=0,
        end=500)
]
train_cfg = dict(
    type='StreamResumeIterBasedTrainLoop', max_iters=200000,
    val_interval=250, dynamic_intervals=None)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=250, max_keep_ckpts=2))
# About a 500-iteration horizon; validation and checkpoints use the EMA.
custom_hooks = [
    dict(type='EMAHook', momentum=0.002, update_buffers=True, priority=49)
]
