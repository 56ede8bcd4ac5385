# The CLL-STR data (MLT19 + SynthMLT LMDBs) laid out as in the original:
# data/{training,validation,evaluation}/{ARA,...,LAT[,SynthMLT_*]}.
# Recipes choose languages with `select_data` (the original's grammar) and
# caps with `data_usage`; set both on train and val so validation covers the
# trained languages. Evaluation always covers all seven.
data_root = 'data'

# Decoded with PIL as the original; bicubic resize ignoring aspect ratio.
# Images reach the model as BGR, like MMOCR's file loaders give them, and the
# data preprocessor (bgr_to_rgb) turns them back into the original's RGB.
# MMOCR's inferencers run this pipeline too (without the annotations); their
# loader builds its file decoder from this step's arguments, hence PIL for
# images given by path.
cll_pipeline = [
    dict(type='LoadImageFromNDArray', imdecode_backend='pillow'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='Resize',
        scale=(100, 32),
        keep_ratio=False,
        backend='pillow',
        interpolation='bicubic'),
    # packs `lang` (the folder's language, for the per-language metric)
    # when the sample has one, so MMOCR's inferencers run this pipeline too
    dict(
        type='PackMultilingualTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='MultilingualLMDBDataset',
        data_root=data_root,
        split='training',
        select_data='lang_CBHJAKL',
        data_usage=dict(),  # no cap; e.g. dict(LAT=2000, SynthMLT=2000)
        pipeline=cll_pipeline))
val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='MultilingualLMDBDataset',
        data_root=data_root,
        split='validation',
        select_data='lang_CBHJAKL',
        pipeline=cll_pipeline,
        test_mode=True))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], split='evaluation'))
