# LMIM pretraining as in the paper: ViT-Small on Union14M-U, teacher =
# MAERec's MAE checkpoint (vit_small_checkpoint-19.pth, MAE format
# {'model': ...}; read as is, or converted once with
# tools/model_converters/lmim_to_mmocr.py). Same recipe as the MLT19 config.
#   python tools/train.py configs/lmim/lmim_vit-small_8xb64-10e_union14m-u.py \
#       --amp --cfg-options model.teacher_checkpoint=PATH
_base_ = [
    '_base_/pretrain_runtime.py',
    '_base_/schedule_adamw_cos_pretrain.py',
    '_base_/lmim_pretrain_pipeline.py',
    '_base_/vit-small.py',
    '_base_/datasets/union14m-u.py',
]

model = dict(
    type='LMIMPretrainer',
    encoder=_base_.vit_small,
    teacher_checkpoint='checkpoints/vit_small_checkpoint-19.pth',
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
        datasets=_base_.union14m_u_train,
        pipeline=_base_.lmim_train_pipeline))
