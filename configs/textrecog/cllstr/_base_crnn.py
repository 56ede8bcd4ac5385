# CRNN of CLL-STR: RGB VGG (3x32x100 -> 512x1x24) + 2 BiLSTMs (256) + linear,
# CTC over the joint 7-script dictionary (4,680 classes, blank = padding = 0).
# 9.65M parameters.
custom_imports = dict(imports=['cllstr_mm'], allow_failed_imports=False)

dictionary = dict(type='MultilingualDictionary')

model = dict(
    # MMOCR's CRNN; a checkpoint that does not fit it is an error
    type='CLLCRNN',
    # Images are loaded BGR (cv2); the original read them RGB with PIL, so
    # flip to RGB here. (x - 127.5) / 127.5 equals the original's
    # (x / 255 - 0.5) / 0.5.
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True),
    init_cfg=dict(type='CLLSTRInit'),
    backbone=dict(type='CLLVGG', in_channels=3, out_channels=512),
    decoder=dict(
        type='CLLCTCDecoder',
        in_channels=512,
        num_bilstm=2,
        rnn_hidden=256,
        max_seq_len=24,
        dictionary=dictionary,
        # MMOCR's CTC loss, but a target longer than the output is left out
        # of the loss (the original's effect) instead of cut
        module_loss=dict(
            type='CLLCTCModuleLoss', letter_case='unchanged',
            zero_infinity=True),
        postprocessor=dict(type='CTCPostProcessor')))
