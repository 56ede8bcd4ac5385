# Stage 2: LMIM pretraining of ViT-Small on the MLT19/SynthMLT images
# (labels ignored), with the stage-1 MAE encoder
# (mae_vit-small_8xb64-20e_mlt19.py) as the frozen teacher. Paper settings
# (see _base_/lmim-pretrain_vit-small.py); AMP with --amp.
#   python tools/train.py configs/lmim/lmim_vit-small_8xb64-10e_mlt19.py --amp
_base_ = [
    '_base_/lmim-pretrain_vit-small.py',
    '_base_/datasets/mlt19_images.py',
]

model = dict(
    teacher_checkpoint='work_dirs/mae_vit-small_8xb64-20e_mlt19/epoch_20.pth')
train_dataloader = dict(dataset=dict(datasets=_base_.mlt19_images_train))
