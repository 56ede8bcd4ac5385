# LMIM experiment, stage 1 (tools/experiments/run_lmim.py): MAE
# pretraining of the CPU-sized ViT (_base_vit-192x6_synth-lat.py) on the
# unlabelled pool. Its encoder is the "MAE" encoder of the comparison and
# LMIM's frozen teacher. MAERec's recipe at half size (mask ratio 0.75,
# normalised pixel targets), batch 32 at the paper's lr per 256 images
# (see auto_scale_lr below), 2,000 iterations (the runner sets the length
# of its scale). Alone, after writing the pool (run_lmim.py --dry-run
# prints the command):
#   python tools/train.py \
#       configs/lmim/experiments/mae_vit-192x6_1xb32_synth-lat.py
_base_ = [
    '../mae_vit-small_8xb64-20e_mlt19.py', '_base_vit-192x6_synth-lat.py'
]

model = dict(encoder=_base_.vit_cpu, **_base_.mae_decoder_cpu)

train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(_delete_=True, **_base_.pretrain_sampler),
    dataset=dict(datasets=_base_.pretrain_images))

train_cfg = dict(
    _delete_=True, type='StreamResumeIterBasedTrainLoop', max_iters=2000)
# lr 1.5e-4, the paper's per 256 images, not scaled down to batch 32
# (1.9e-5): these runs are about a hundredth as long as the paper's.
auto_scale_lr = dict(enable=False)
param_scheduler = _base_.mae_schedule
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=200, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
