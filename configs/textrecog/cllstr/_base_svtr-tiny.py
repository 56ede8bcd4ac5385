# SVTR-Tiny of CLL-STR: no STN, 3x32x100 RGB input, CTC over the joint
# 7-script dictionary (4,680 classes, blank = padding = 0). 8.02M parameters.
custom_imports = dict(imports=['cllstr_mm'], allow_failed_imports=False)

dictionary = dict(type='MultilingualDictionary')

model = dict(
    # MMOCR's SVTR; a checkpoint that does not fit it is an error
    type='CLLSVTR',
    # Images are loaded BGR (cv2); the original read them RGB with PIL, so
    # flip to RGB here. (x - 127.5) / 127.5 equals the original's
    # (x / 255 - 0.5) / 0.5.
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True),
    init_cfg=dict(type='CLLSTRInit'),
    encoder=dict(
        type='CLLSVTREncoder',
        img_size=(32, 100),
        in_channels=3,
        embed_dims=(64, 128, 256),
        depth=(3, 6, 3),
        num_heads=(2, 4, 8),
        mixer_types=('Local', ) * 6 + ('Global', ) * 6,
        window_size=((7, 11), (7, 11), (7, 11)),
        mlp_ratio=4,
        qkv_bias=True,
        drop_path_rate=0.1,
        out_channels=512),
    decoder=dict(
        type='CLLCTCDecoder',
        in_channels=512,
        num_bilstm=0,
        max_seq_len=25,
        dictionary=dictionary,
        # MMOCR's CTC loss, but a target longer than the output is left out
        # of the loss (the original's effect) instead of cut
        module_loss=dict(
            type='CLLCTCModuleLoss', letter_case='unchanged',
            zero_infinity=True),
        postprocessor=dict(type='CTCPostProcessor')))
