# Finding 2: cascade HIN -> BEN (as the cascade recipe, Table 3): start from
# the best HIN model and train a quarter as long on BEN with a fresh
# schedule. Train svtr-tiny_1xb32_synth-lang-H.py first, or pass
# --cfg-options load_from=PATH; tools/train.py expands the pattern below.
_base_ = ['svtr-tiny_1xb32_synth-lang-B.py']

load_from = 'work_dirs/svtr-tiny_1xb32_synth-lang-H/best_recog_1-NED_iter_*.pth'
train_cfg = dict(max_iters=400, dynamic_intervals=[(3, 40)])
default_hooks = dict(checkpoint=dict(interval=40))
