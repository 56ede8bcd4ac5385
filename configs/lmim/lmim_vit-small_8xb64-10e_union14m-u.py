# LMIM pretraining as in the paper: ViT-Small on Union14M-U, teacher =
# MAERec's MAE checkpoint (vit_small_checkpoint-19.pth, MAE format
# {'model': ...}; read as is, or converted once with
# tools/model_converters/lmim_to_mmocr.py). Paper settings (see
# _base_/lmim-pretrain_vit-small.py); AMP with --amp.
#   python tools/train.py configs/lmim/lmim_vit-small_8xb64-10e_union14m-u.py \
#       --amp --cfg-options model.teacher_checkpoint=PATH
_base_ = [
    '_base_/lmim-pretrain_vit-small.py',
    '_base_/datasets/union14m-u.py',
]

model = dict(teacher_checkpoint='checkpoints/vit_small_checkpoint-19.pth')
train_dataloader = dict(dataset=dict(datasets=_base_.union14m_u_train))
