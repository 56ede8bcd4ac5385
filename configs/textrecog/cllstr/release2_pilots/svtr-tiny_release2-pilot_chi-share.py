# Pilot: Chinese in 2 of every 8 samples instead of 1 of 7 (its real photo
# crops lag most, and it has the most classes). From the dictionary-grown
# iteration 3,600 with the release-2-dict3 stage's stream seed, so that the
# stage's own validations at the same iterations are the other arm
# (docs/model_zoo.md).
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
load_from = 'work_dirs/release2/svtr-tiny_grown_dict3.pth'
train_dataloader = dict(dataset=dict(seed=3, lang_shares=dict(CHI=2)))
train_cfg = dict(max_iters=500, val_interval=250)
