# Data and schedule of the CPU-scale cross-lingual experiments
# (tools/experiments/run_findings.py): synthetic BEN (low-resource target),
# HIN (a similar script), LAT (a dissimilar one) and SynthMLT KOR (more data
# of another script), written by the runner with tools/data/synth_text.py.
# The leaves choose languages with the recipes' select_data/data_usage/
# load_from; the runner's --scale gpu lengthens runs with --cfg-options.
_base_ = [
    '../_base_mlt19.py', '../_base_runtime.py',
    '../_base_schedule_adamw-onecycle_100k.py'
]

data_root = 'work_dirs/experiments/cpu_seed0/data'

# 2 CPU cores: one loader worker keeps the other core for the model.
train_dataloader = dict(
    batch_size=32, num_workers=1, dataset=dict(data_root=data_root))
val_dataloader = dict(
    batch_size=128,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root))
# Every run is scored on all four experiment scripts, trained or not, so
# the tables show what a run forgets as well as what it learns.
test_dataloader = dict(
    batch_size=128,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, select_data='lang_BHLK'))

# The original's OneCycle shape with a higher peak and a shorter warm-up,
# so that a run leaves CTC's all-blank phase within a few hundred steps.
# Without total_steps it spans train_cfg.max_iters (cllstr_mm/engine/
# schedules.py), also in the shorter cascade runs.
lr = 2e-3
optim_wrapper = dict(optimizer=dict(lr=lr))
param_scheduler = [
    dict(_base_.param_scheduler[0], pct_start=0.15)
]
train_cfg = dict(max_iters=400, dynamic_intervals=[(3, 100)])
default_hooks = dict(logger=dict(interval=25), checkpoint=dict(interval=400))
