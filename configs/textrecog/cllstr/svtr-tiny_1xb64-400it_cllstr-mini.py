# The quick start: SVTR-Tiny on the bundled synthetic 7-script set
# (data/cllstr_mini, 600 training words per script) on CPU in minutes.
# Same model, data pipeline and OneCycle shape as the recipes, shorter.
_base_ = [
    '_base_svtr-tiny.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]
data_root = 'data/cllstr_mini'
train_dataloader = dict(
    batch_size=64, num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(
    batch_size=140, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root))
test_dataloader = dict(
    batch_size=140, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root))
# tools/train.py fits OneCycleLR's total_steps to this.
train_cfg = dict(max_iters=400, dynamic_intervals=[(3, 200)])
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=200))
