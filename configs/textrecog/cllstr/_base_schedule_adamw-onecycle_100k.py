# The original's optimisation: AdamW (lr 1e-3, weight decay 0.01), gradient
# clipping at norm 5, OneCycle (start lr/20, peak at 30 %, end lr/20/1000,
# cosine, momentum not cycled), 100k iterations of batch 128, validation after
# iteration 1 and then every 2,000 iterations.
# Schedule lengths follow the train loop (cllstr_mm/engine/schedules.py):
# OneCycle leaves out end and total_steps, so it spans train_cfg.max_iters,
# also when a leaf or --cfg-options changes that; its eta_max is None, so it
# peaks at optim_wrapper.optimizer.lr, as the original's --lr set both.
max_iters = 100000

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.01),
    clip_grad=dict(max_norm=5))

param_scheduler = [
    dict(
        type='OneCycleLR',
        eta_max=None,  # the optimizer's lr (tools/train.py fills it in)
        pct_start=0.3,
        div_factor=20,
        final_div_factor=1000,
        anneal_strategy='cos',
        by_epoch=False)
]

# val_interval=1 until iteration 2, then every 2,000 (MMEngine switches
# intervals one iteration early, hence 3): validates after the
# first iteration as the original did.
train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=1,
    dynamic_intervals=[(3, 2000)])
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
