# Finding 2: cascade learning LAT -> BEN, the dissimilar source.
_base_ = ['crnn_vgg-bilstm_1xb32_synth-cascade-hin-ben.py']

load_from = 'work_dirs/crnn_vgg-bilstm_1xb32_synth-lang-L/best_recog_1-NED_iter_*.pth'
