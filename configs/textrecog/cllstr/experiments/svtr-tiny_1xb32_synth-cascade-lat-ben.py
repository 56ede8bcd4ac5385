# Finding 2: cascade LAT -> BEN, from the dissimilar source (trained on as
# many images as HIN's), otherwise as the HIN -> BEN run.
_base_ = ['svtr-tiny_1xb32_synth-cascade-hin-ben.py']

load_from = 'work_dirs/svtr-tiny_1xb32_synth-lang-L/best_recog_1-NED_iter_*.pth'
