# LMIM experiment, stage 2 (tools/experiments/run_lmim.py): LMIM pretraining of
# the CPU-sized ViT (_base_vit-192x6_synth-lat.py) on the same unlabelled
# images and budget as the MAE stage, against that MAE encoder as the frozen
# teacher. The paper's settings at half size (mask ratio 0.8, guidance view,
# 2-block decoder), batch 32 at the paper's lr per 256 images (see
# pretrain_auto_scale_lr in the base), 2,000 iterations (the runner sets the
# length and the teacher of its scale and seed). Alone, after the MAE leaf:
#   python tools/train.py \
#       configs/lmim/experiments/lmim_vit-192x6_1xb32_synth-lat.py
_base_ = [
    '../lmim_vit-small_8xb64-10e_mlt19.py', '_base_vit-192x6_synth-lat.py'
]

model = dict(
    encoder=_base_.vit_cpu,
    teacher_checkpoint='work_dirs/mae_vit-192x6_1xb32_synth-lat/'
    'iter_2000.pth',
    **_base_.lmim_decoder_cpu)

train_dataloader = _base_.pretrain_dataloader
train_cfg = _base_.pretrain_loop
auto_scale_lr = _base_.pretrain_auto_scale_lr
param_scheduler = _base_.lmim_schedule
default_hooks = _base_.pretrain_hooks
log_processor = dict(by_epoch=False)
