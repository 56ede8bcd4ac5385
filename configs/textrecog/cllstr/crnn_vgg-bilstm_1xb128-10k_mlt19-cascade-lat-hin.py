# Cascade learning LAT -> HIN (paper Table 3): start from the best LAT model
# and train 10,000 iterations on HIN with a fresh schedule. Train
# crnn_vgg-bilstm_1xb128-100k_mlt19-lang-L.py first, or pass
# --cfg-options load_from=PATH; tools/train.py expands the pattern below.
_base_ = ['crnn_vgg-bilstm_1xb128-100k_mlt19-lang-L.py']
load_from = 'work_dirs/crnn_vgg-bilstm_1xb128-100k_mlt19-lang-L/best_recog_1-NED_iter_*.pth'
train_dataloader = dict(dataset=dict(select_data='lang_H'))
val_dataloader = dict(dataset=dict(select_data='lang_H'))
# tools/train.py fits OneCycleLR's total_steps to this.
train_cfg = dict(max_iters=10000)
