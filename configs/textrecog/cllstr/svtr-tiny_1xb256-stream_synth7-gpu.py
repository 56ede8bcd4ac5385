# The first release's recipe on one GPU for about 10 minutes
# (CONFIG=... tools/gpu/train_release.sh), from its committed fp16 weights
# (_base_schedule_gpu-stream.py).
_base_ = ['svtr-tiny_1xb64-stream_synth7.py', '_base_schedule_gpu-stream.py']
load_from = 'checkpoints/svtr-tiny_1xb64-stream_synth7_fp16.pth'
train_dataloader = _base_.gpu_dataloader
optim_wrapper = _base_.gpu_optim_wrapper
param_scheduler = _base_.gpu_param_scheduler
train_cfg = _base_.gpu_train_cfg
default_hooks = _base_.gpu_hooks
