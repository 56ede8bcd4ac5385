# Release 2's recipe on one GPU (tools/gpu/train_release.sh), from the
# published release-2 fp16 weights (_base_schedule_gpu-stream.py), in a
# stream of its own (seed 100), so no crop of the CPU stages repeats.
_base_ = [
    'svtr-tiny_1xb64-stream_synth7-release2.py', '_base_schedule_gpu-stream.py'
]
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7-release2_fp16.pth'
train_dataloader = dict(**_base_.gpu_dataloader, dataset=dict(seed=100))
optim_wrapper = _base_.gpu_optim_wrapper
param_scheduler = _base_.gpu_param_scheduler
train_cfg = _base_.gpu_train_cfg
default_hooks = _base_.gpu_hooks
