# Stage 2: LMIM pretraining of ViT-Small on the MLT19/SynthMLT images
# (labels ignored), with the stage-1 MAE encoder as the frozen teacher.
# Paper settings: mask ratio 0.8 (51 of 256 patches kept), 2-block 512-d
# decoder (16 heads, FFN 2048, dropout 0.1), AdamW betas (0.9, 0.95),
# lr 1.5e-4 x batch / 256, weight decay 0.05, 1 warm-up epoch, 10 epochs,
# batch 8 x 64, AMP (--amp).
#   python tools/train.py configs/lmim/lmim_vit-small_8xb64-10e_mlt19.py --amp
_base_ = [
    '_base_/pretrain_runtime.py',
    '_base_/schedule_adamw_cos_pretrain.py',
    '_base_/lmim_pretrain_pipeline.py',
    '_base_/vit-small.py',
    '_base_/datasets/mlt19_images.py',
]

model = dict(
    type='LMIMPretrainer',
    encoder=_base_.vit_small,
    teacher_checkpoint='work_dirs/mae_vit-small_8xb64-20e_mlt19/epoch_20.pth',
    teacher_momentum=None,
    mask_ratio=0.8,
    decoder_dims=512,
    decoder_depth=2,
    decoder_heads=16,
    decoder_ffn_dims=2048,
    decoder_dropout=0.1,
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
        pipeline=_base_.lmim_train_pipeline))
