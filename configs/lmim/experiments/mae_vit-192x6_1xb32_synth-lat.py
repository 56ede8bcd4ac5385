# LMIM experiment, stage 1 (tools/experiments/run_lmim.py): MAE pretraining of
# the CPU-sized ViT (_base_vit-192x6_synth-lat.py) on the unlabelled pool. Its
# encoder is the "MAE" encoder of the comparison and LMIM's frozen teacher.
# MAERec's recipe at half size (mask ratio 0.75, normalised pixel targets),
# batch 32 at the paper's lr per 256 images (see pretrain_auto_scale_lr in the
# base), 2,000 iterations (the runner sets the length of its scale). Alone,
# after writing the pool (run_lmim.py --dry-run prints the command):
#   python tools/train.py \
#       configs/lmim/experiments/mae_vit-192x6_1xb32_synth-lat.py
_base_ = [
    '../mae_vit-small_8xb64-20e_mlt19.py', '_base_vit-192x6_synth-lat.py'
]

model = dict(encoder=_base_.vit_cpu, **_base_.mae_decoder_cpu)

train_dataloader = _base_.pretrain_dataloader
train_cfg = _base_.pretrain_loop
auto_scale_lr = _base_.pretrain_auto_scale_lr
param_scheduler = _base_.mae_schedule
default_hooks = _base_.pretrain_hooks
log_processor = dict(by_epoch=False)
