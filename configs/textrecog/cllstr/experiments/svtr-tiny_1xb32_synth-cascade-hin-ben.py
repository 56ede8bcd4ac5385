# Finding 2: cascade learning HIN -> BEN (as the cascade recipe, Table 3):
# start from the best HIN model, train half as long on BEN with a fresh
# schedule. Train crnn_vgg-bilstm_1xb32_synth-lang-H.py first, or pass
# --cfg-options load_from=PATH; tools/train.py expands the pattern below.
_base_ = ['crnn_vgg-bilstm_1xb32_synth-lang-B.py']

load_from = 'work_dirs/crnn_vgg-bilstm_1xb32_synth-lang-H/best_recog_1-NED_iter_*.pth'
train_cfg = dict(max_iters=200, dynamic_intervals=[(3, 50)])
default_hooks = dict(checkpoint=dict(interval=200))
