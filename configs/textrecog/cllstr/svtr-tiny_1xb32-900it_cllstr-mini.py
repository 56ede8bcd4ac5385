# The quick start: SVTR-Tiny on the bundled synthetic 7-script set
# (data/cllstr_mini, 600 training words per script) on CPU in about 9
# minutes. Same model, data pipeline and OneCycle shape as the recipes,
# shorter, with the original's lr scaled to the batch (1e-3 at 128 ->
# 2.5e-4 at 32): at 1e-3 or more a batch of 32 stays in CTC's all-blank
# phase far longer.
_base_ = [
    '_base_svtr-tiny.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]
data_root = 'data/cllstr_mini'
train_dataloader = dict(
    batch_size=32, num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(
    batch_size=140, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root))
# merged into the base's test loader, which keeps the evaluation split
test_dataloader = val_dataloader
lr = 2.5e-4
optim_wrapper = dict(optimizer=dict(lr=lr))
param_scheduler = [dict(_base_.param_scheduler[0], eta_max=lr)]
# tools/train.py fits OneCycleLR's total_steps to max_iters.
train_cfg = dict(max_iters=900, val_interval=450, dynamic_intervals=None)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=450))
