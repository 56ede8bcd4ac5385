# Runtime of the self-supervised stages (MAE teacher, LMIM): epoch-based, no
# validation (there are no labels), a checkpoint every 5 epochs and after the
# last one, as the original's main_pretrain.py saves
# (default_hooks.checkpoint.interval=1 for one per epoch).
default_scope = 'mmocr'
custom_imports = dict(imports=['cllstr_mm'], allow_failed_imports=False)

env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
randomness = dict(seed=0)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # MMEngine's CheckpointHook, safe against a kill while saving
    checkpoint=dict(type='AtomicCheckpointHook', interval=5, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

load_from = None
resume = False
