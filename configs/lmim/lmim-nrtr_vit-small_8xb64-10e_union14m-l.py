# Stage 3 (English): fine-tune the LMIM-pretrained ViT-Small with an NRTR
# decoder on Union14M-L; 97 classes, 35.8M parameters.
# The original's recipe: batch 8 x 64, AdamW lr 1e-4 x batch / 256, weight
# decay 0.05, layer-wise lr decay 0.75, 1 warm-up epoch, cosine to lr / 200,
# 10 epochs, ABINet-style augmentation, no label smoothing, all encoder
# layers trained (model.encoder.fixed_layers=N freezes the patch embedding
# and N-1 blocks), the best validation checkpoint kept.
# Length and evaluation protocol of the original: words of 24+ characters
# are dropped (not truncated) in training (DropLongWords) and evaluation
# (LMIMWordMetric), 25 greedy decoding steps (BOS + up to 23 characters +
# EOS), UNK predictions dropped, and the reported accuracy keeps ASCII
# letters and digits, lower-cased (recog/word_acc_lmim). MMOCR's WordMetric
# and CharMetric score every word as well.
#   python tools/train.py \
#       configs/lmim/lmim-nrtr_vit-small_8xb64-10e_union14m-l.py --amp \
#       --cfg-options model.encoder.init_cfg.checkpoint=PRETRAIN.pth
_base_ = [
    '_base_/finetune_runtime.py',
    '_base_/schedule_adamw_cos_finetune.py',
    '_base_/finetune_pipeline.py',
    '_base_/lmim-nrtr_vit-small.py',
    '_base_/datasets/union14m-l.py',
]

model = dict(
    encoder=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/lmim_vit-small_8xb64-10e_union14m-u/'
            'epoch_10.pth')))

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=_base_.union14m_l_train,
        pipeline=_base_.finetune_train_pipeline))

val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=_base_.union14m_l_val,
        pipeline=_base_.finetune_test_pipeline))
recog_metrics = [
    dict(type='LMIMWordMetric', max_chars=23),
    dict(type='WordMetric', mode=['exact', 'ignore_case',
                                  'ignore_case_symbol']),
    dict(type='CharMetric')
]
val_evaluator = dict(
    type='MultiDatasetsEvaluator',
    metrics=recog_metrics,
    dataset_prefixes=['Union14M-L-val'])
# the original keeps checkpoint-best by validation accuracy
default_hooks = dict(
    checkpoint=dict(
        save_best='Union14M-L-val/recog/word_acc_lmim', rule='greater'))

test_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=_base_.common_benchmark_test + _base_.union14m_benchmark_test,
        pipeline=_base_.finetune_test_pipeline))
test_evaluator = dict(
    type='MultiDatasetsEvaluator',
    metrics=recog_metrics,
    dataset_prefixes=_base_.common_benchmark_names +
    _base_.union14m_benchmark_names)
