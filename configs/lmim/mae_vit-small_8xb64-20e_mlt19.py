# Stage 1: an MAE-pretrained ViT-Small to serve as LMIM's teacher, trained on
# the MLT19/SynthMLT images (labels ignored). This replaces MAERec's
# vit_small_checkpoint-19.pth, which cannot be downloaded here; with that
# file, skip this stage and point the LMIM config's teacher_checkpoint at it.
# MAE recipe of MAERec: mask ratio 0.75, 8-block 512-d decoder, normalised
# pixel targets, 20 epochs, batch 8 x 64.
#   python tools/train.py configs/lmim/mae_vit-small_8xb64-20e_mlt19.py --amp
_base_ = [
    '_base_/pretrain_runtime.py',
    '_base_/schedule_adamw_cos_pretrain.py',
    '_base_/lmim_pretrain_pipeline.py',
    '_base_/vit-small.py',
    '_base_/datasets/mlt19_images.py',
]

train_cfg = dict(max_epochs=20)

model = dict(
    type='MAEPretrainer',
    encoder=_base_.vit_small,
    mask_ratio=0.75,
    decoder_dims=512,
    decoder_depth=8,
    decoder_heads=16,
    norm_pix_loss=True,
    data_preprocessor=_base_.multiview_data_preprocessor)

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=_base_.mlt19_images_train,
        pipeline=_base_.mae_train_pipeline))
