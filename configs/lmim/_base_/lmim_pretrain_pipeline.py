# Two views per image: the guidance view is made from the full-size image,
# then the image is resized into the clean view (aspect ignored, PIL bicubic
# as the original's torchvision Resize). Normalisation (0.5/0.5) happens in
# MultiViewDataPreprocessor.
lmim_train_pipeline = [
    dict(type='GuidanceView', scale=(128, 32)),
    dict(
        type='Resize',
        scale=(128, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='PackMultiViewInputs', keys=('img', 'guidance_img')),
]

mae_train_pipeline = [
    dict(
        type='Resize',
        scale=(128, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    dict(type='PackMultiViewInputs', keys=('img', )),
]
