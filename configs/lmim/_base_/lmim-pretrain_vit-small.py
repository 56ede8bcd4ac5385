# LMIM pretraining of ViT-Small with the paper's settings: mask ratio 0.8
# (51 of 256 patches kept), 2-block 512-d decoder (16 heads, FFN 2048,
# dropout 0.1), frozen teacher (no EMA), AdamW betas (0.9, 0.95),
# lr 1.5e-4 x batch / 256, weight decay 0.05, 1 warm-up epoch then cosine,
# 10 epochs, batch 8 x 64, two views per image (clean + guidance).
# A leaf sets the teacher (model.teacher_checkpoint) and the unlabelled
# images (train_dataloader.dataset.datasets).
_base_ = [
    'pretrain_runtime.py',
    'schedule_adamw_cos_pretrain.py',
    'lmim_pretrain_pipeline.py',
    'vit-small.py',
]

model = dict(
    type='LMIMPretrainer',
    encoder=_base_.vit_small,
    teacher_checkpoint=None,
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
        datasets=[],
        pipeline=_base_.lmim_train_pipeline))
