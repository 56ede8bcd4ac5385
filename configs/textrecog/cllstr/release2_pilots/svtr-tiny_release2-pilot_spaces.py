# Pilot: multi-word crops joined by spaces in 3 of 10 word samples instead
# of 1 (the photo dev set's lines lose 5-7 % of their words to readings that
# run two words together, e.g. 'ALLYEAR', while a fifth of the LAT, CHI,
# JPN and KOR samples draw their letters apart with no space in the label).
# From the published iteration 9,100 with the stream seed of the stage that
# continues it (release2-from9100), so that the stage's own validations at
# the same iterations are the other arm (docs/model_zoo.md).
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7-release2_fp16.pth'
train_dataloader = dict(dataset=dict(seed=7, space_prob=0.3))
train_cfg = dict(max_iters=500, val_interval=250)
optim_wrapper = dict(type='CPUBF16OptimWrapper')
