# Finding 2's similar source: HIN alone (Brahmic like BEN, no shared
# dictionary token), trained half as long as the runs from scratch.
_base_ = ['svtr-tiny_1xb32_synth-lang-B.py']

train_dataloader = dict(dataset=dict(select_data='lang_H'))
val_dataloader = dict(dataset=dict(select_data='lang_H'))
train_cfg = dict(max_iters=800, dynamic_intervals=[(3, 80)])
default_hooks = dict(checkpoint=dict(interval=80))
