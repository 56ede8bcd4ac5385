# Fine-tuning pipelines for LMDB datasets (images come decoded in
# results['img']). Training uses the original's ABINet-style augmentation
# (--use_abi_aug: lmim_finetune/transforms.py as dataset_lmdb.py applies
# it), with its probabilities and distributions:
# - geometry p 0.5: rotation (beta(4,4) over +-45 degrees), affine (same
#   rotation, shear (45, 15), scale 0.5-2, no translation) or perspective
#   (corners moved by beta(1,4) x 25 % of the height/width), one of the
#   three per sample (1/3 each); the canvas grows to fit and repeats the
#   border, so no character is cut off;
# - deterioration p 0.25: Gaussian noise, motion blur and pyramid rescale
#   together, in random order;
# - colour jitter p 0.25 (brightness/contrast/saturation 0.5, hue 0.1).
# See docs/lmim.md (contact sheet docs/lmim_augmentation.png). The crop is
# augmented at its own size, then resized to 32x128 ignoring the aspect
# ratio (PIL bicubic, as the original's Resize and the pretraining views).
lmim_augmentation = [
    dict(
        type='ABINetGeometry',
        degrees=45,
        scale=(0.5, 2.),
        shear=(45, 15),
        distortion=0.5,
        prob=0.5),
    dict(type='ABINetDeterioration', var=20, degrees=6, factor=4, prob=0.25),
    dict(
        type='ABINetColorJitter',
        brightness=0.5,
        contrast=0.5,
        saturation=0.5,
        hue=0.1,
        prob=0.25),
]

# The original skips words of 24 or more characters (its max_len 25 holds
# up to 23 characters + EOS) in training and evaluation instead of
# truncating them; evaluation leaves them out in LMIMWordMetric. max_chars
# None keeps every word (the loss then truncates labels at max_seq_len).
drop_long_words = dict(type='DropLongWords', max_chars=23)

finetune_resize = dict(
    type='Resize',
    scale=(128, 32),
    keep_ratio=False,
    backend='pillow',
    interpolation='bicubic')

finetune_train_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(type='LoadOCRAnnotations', with_text=True),
    drop_long_words,
] + lmim_augmentation + [
    finetune_resize,
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

finetune_test_pipeline = [
    dict(type='LoadImageFromNDArray', imdecode_backend='pillow'),
    finetune_resize,
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]
