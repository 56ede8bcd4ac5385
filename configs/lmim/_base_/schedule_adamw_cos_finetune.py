# LMIM/MAERec fine-tuning schedule: AdamW, betas (0.9, 0.999), weight decay
# 0.05 (none on 1-D weights and cls_token; the sin-cos positions are a
# buffer, not a parameter), lr 1e-4 per 256 images
# (auto_scale_lr), layer-wise lr decay 0.75 over the ViT blocks, one linear
# warm-up epoch from 0, cosine to lr / 200 (the original's min_lr 1e-6 at
# its lr 2e-4 = 1e-4 x 512 / 256; a ratio, as the original's floor scales
# with each layer's lr too), all per iteration.
# Schedule lengths follow the train loop (cllstr_mm/engine/schedules.py):
# the cosine leaves out end and T_max, so it runs to train_cfg.max_epochs
# and a leaf changes the run length with train_cfg alone.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05),
    constructor='LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=0.75, no_decay_keys=('cls_token', )))

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
        eta_min_ratio=0.005,
        by_epoch=True,
        begin=1,
        convert_to_iter_based=True),
]

train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=10, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

auto_scale_lr = dict(enable=True, base_batch_size=256)
