# Stage 3 (seven scripts): fine-tune the LMIM-pretrained ViT-Small (stage 2,
# lmim_vit-small_8xb64-10e_mlt19.py) with an NRTR decoder on the CLL-STR
# data over the joint MLT19 dictionary (4,676 tokens + PAD, UNK, space,
# BOS/EOS = 4,680 classes). Same recipe as the English config, but CLL-STR's
# length protocol (its dataset drops labels of more than 25 tokens, so no
# DropLongWords; 27 decoding steps: BOS + up to 25 tokens + EOS) and its
# per-language 1-NED and word accuracy.
#   python tools/train.py \
#       configs/lmim/lmim-nrtr_vit-small_8xb64-10e_mlt19.py --amp
_base_ = [
    '_base_/finetune_runtime.py',
    '_base_/schedule_adamw_cos_finetune.py',
    '_base_/finetune_pipeline.py',
    '_base_/lmim-nrtr_vit-small.py',
    '../textrecog/cllstr/_base_mlt19.py',
]

mlt19_dictionary = dict(
    type='MultilingualDictionary',
    with_start=True,
    with_end=True,
    same_start_end=True)

model = dict(
    encoder=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/lmim_vit-small_8xb64-10e_mlt19/'
            'epoch_10.pth')),
    decoder=dict(
        dictionary=dict(mlt19_dictionary, _delete_=True),
        # BOS + up to 25 tokens + EOS
        max_seq_len=27))

# The metric groups samples by their language (`lang`, packed when given).
pack_inputs = dict(
    type='PackMultilingualTextRecogInputs',
    meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
train_pipeline = [
    t for t in _base_.finetune_train_pipeline[:-1]
    if t['type'] != 'DropLongWords'
] + [pack_inputs]
test_pipeline = _base_.finetune_test_pipeline[:-1] + [pack_inputs]

# CLL-STR's loaders, with this recipe's pipelines and batch sizes.
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    drop_last=True,
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

val_evaluator = dict(
    _delete_=True,
    type='MultilingualRecogMetric',
    dictionary=mlt19_dictionary,
    prefix='recog')
test_evaluator = val_evaluator
default_hooks = dict(
    checkpoint=dict(save_best='recog/1-NED', rule='greater'))
