# The pilots from the published iteration 9,100 (docs/model_zoo.md, "Pilots
# from 9,100"): 500 iterations in bfloat16 with the stream seed of the stage
# that continues 9,100 (~/cllstr_runs/release2-from9100), so that the
# stage's own validations at the same iterations are the other arm.
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7-release2_fp16.pth'
train_dataloader = dict(dataset=dict(seed=7))
train_cfg = dict(max_iters=500, val_interval=250)
optim_wrapper = dict(type='CPUBF16OptimWrapper')
