# The end of a release-2 stage on the CPU (docs/model_zoo.md): the
# constant 5e-4 of the stage decayed to 0, a cosine over 950 iterations
# after a 50-iteration warm-up (the optimizer's moments start afresh), from
# the stage's last checkpoint with a stream seed of its own. A constant lr
# leaves the EMA weights a point apart from one validation to the next; the
# decay was to settle them, but run from 8,100 it kept the external figures
# within a point and lowered our split by one (docs/model_zoo.md), likely
# from the restart. Give the checkpoint and seed on the command line:
#   python tools/train.py \
#       configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7-release2-decay.py \
#       --cfg-options load_from=STAGE/iter_N.pth train_dataloader.dataset.seed=S
_base_ = ['svtr-tiny_1xb64-stream_synth7-release2.py']
train_cfg = dict(max_iters=1000)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', T_max=950, eta_min=0., by_epoch=False,
         begin=50, end=1000)
]
