# Fine-tuning pipelines for LMDB datasets (images come decoded in
# results['img']). Training uses ABINet's augmentation, as the original's
# --use_abi_aug, in MMOCR's port (textrecog/abinet/_base_abinet-vision.py):
# geometry (rotation, affine or perspective) with probability 0.5,
# deterioration (pyramid rescale, Gaussian noise, motion blur) 0.25 and
# colour jitter 0.25. Noise and motion blur come from imgaug instead of
# albumentations, which is not installed (same sigma sqrt(20) and kernel
# 3-7). As in the original, the crop is augmented at its own size, then
# resized to 32x128 ignoring the aspect ratio (PIL bicubic, as the
# pretraining views).
finetune_train_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='RandomApply',
        prob=0.5,
        transforms=[
            dict(
                type='RandomChoice',
                transforms=[
                    dict(type='RandomRotate', max_angle=15),
                    dict(
                        type='TorchVisionWrapper',
                        op='RandomAffine',
                        degrees=15,
                        translate=(0.3, 0.3),
                        scale=(0.5, 2.),
                        shear=(-45, 45)),
                    dict(
                        type='TorchVisionWrapper',
                        op='RandomPerspective',
                        distortion_scale=0.5,
                        p=1),
                ])
        ]),
    dict(
        type='RandomApply',
        prob=0.25,
        transforms=[
            dict(type='PyramidRescale'),
            dict(
                type='RandomApply',
                prob=0.5,
                transforms=[
                    dict(
                        type='ImgAugWrapper',
                        args=[
                            dict(cls='AdditiveGaussianNoise', scale=20**0.5)
                        ])
                ]),
            dict(
                type='RandomApply',
                prob=0.5,
                transforms=[
                    dict(
                        type='ImgAugWrapper',
                        args=[dict(cls='MotionBlur', k=(3, 7))])
                ]),
        ]),
    dict(
        type='RandomApply',
        prob=0.25,
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
        type='Resize',
        scale=(128, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

finetune_test_pipeline = [
    dict(type='LoadImageFromNDArray', imdecode_backend='pillow'),
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
