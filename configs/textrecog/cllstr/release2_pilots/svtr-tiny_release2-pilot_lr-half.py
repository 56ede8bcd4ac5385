# Pilot: half the learning rate (2.5e-4) after the warm-up. At the constant
# 5e-4 the EMA weights move by 1-3 points on the real photo crops between
# validations 250 iterations apart; from the published iteration 9,100
# with the stream seed of the stage that continues it (release2-from9100),
# whose own validations at the same iterations are the other arm
# (docs/model_zoo.md).
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7-release2_fp16.pth'
train_dataloader = dict(dataset=dict(seed=7))
train_cfg = dict(max_iters=500, val_interval=250)
optim_wrapper = dict(type='CPUBF16OptimWrapper', optimizer=dict(lr=2.5e-4))
