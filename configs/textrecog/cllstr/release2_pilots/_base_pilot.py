# The release-2 pilots (docs/model_zoo.md): each option is tried on the same
# budget from release 1's grown weights (load_from of the release-2 config),
# 600 iterations of 64 crops (about an hour on one loaded core),
# validated every 150 on our split, the real-text dev set and the second
# renderer's set. The validated weights are the EMA's (momentum 0.002),
# which still hold 55 % of release 1's at iteration 300 and 30 % at 600:
# compare pilots at equal iterations.
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
train_cfg = dict(max_iters=600, val_interval=150)
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(interval=150))
