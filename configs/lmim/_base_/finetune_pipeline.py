# Fine-tuning pipelines for LMDB datasets (images come decoded in
# results['img']). Training uses MMOCR's ABINet-style augmentations (as
# MMOCR's SVTR and MAERec recipes: geometry, deterioration, colour), each
# with probability 0.4, then a 32x128 resize ignoring the aspect ratio (PIL
# bicubic, as the pretraining views).
finetune_train_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='RandomApply',
        prob=0.4,
        transforms=[dict(type='TextRecogGeneralAug')]),
    dict(type='RandomApply', prob=0.4, transforms=[dict(type='CropHeight')]),
    dict(
        type='ConditionApply',
        condition='min(results["img_shape"])>10',
        true_transforms=dict(
            type='RandomApply',
            prob=0.4,
            transforms=[
                dict(
                    type='TorchVisionWrapper',
                    op='GaussianBlur',
                    kernel_size=5,
                    sigma=1)
            ])),
    dict(
        type='RandomApply',
        prob=0.4,
        transforms=[
            dict(
                type='TorchVisionWrapper',
                op='ColorJitter',
                brightness=0.5,
                saturation=0.5,
                contrast=0.5,
                hue=0.1)
        ]),
    dict(
        type='RandomApply',
        prob=0.4,
        transforms=[dict(type='ImageContentJitter')]),
    dict(
        type='RandomApply',
        prob=0.4,
        transforms=[
            dict(
                type='ImgAugWrapper',
                args=[dict(cls='AdditiveGaussianNoise', scale=0.1**0.5)])
        ]),
    dict(
        type='Resize',
        scale=(128, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    # after the resize: it returns float images, which PIL cannot resize,
    # and inverting commutes with resizing
    dict(
        type='RandomApply', prob=0.4,
        transforms=[dict(type='ReversePixels')]),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

finetune_test_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(
        type='Resize',
        scale=(128, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]
