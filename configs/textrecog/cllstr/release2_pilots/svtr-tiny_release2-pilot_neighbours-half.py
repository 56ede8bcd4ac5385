# Pilot: neighbours in 1 crop of 2 instead of 1 of 4 (release2's since
# 13,600), resumed from the stage's iteration 6,000 (15,100 in all) for 500
# iterations on the same stream, so that the stage's own 6,500 is the
# other arm (docs/model_zoo.md).
_base_ = ['svtr-tiny_release2-pilot_neighbours.py']
train_dataloader = dict(dataset=dict(style=dict(neighbours=0.5)))
train_cfg = dict(max_iters=6500)
