# MAE/LMIM pretraining schedule: AdamW, betas (0.9, 0.95), weight decay 0.05
# except on biases and norms (1-D weights), lr 1.5e-4 per 256 images (scaled
# to the real batch by auto_scale_lr), one linear warm-up epoch from 0, then
# cosine to 0, all per iteration.
# Schedule lengths follow the train loop (cllstr_mm/engine/schedules.py):
# the cosine leaves out end and T_max, so it runs to train_cfg.max_epochs
# and a leaf changes the run length with train_cfg alone.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1.5e-4, betas=(0.9, 0.95), weight_decay=0.05),
    constructor='LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=1.0))

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.,
        by_epoch=True,
        begin=1,
        convert_to_iter_based=True),
]

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10)
val_cfg = None
test_cfg = None

auto_scale_lr = dict(enable=True, base_batch_size=256)
