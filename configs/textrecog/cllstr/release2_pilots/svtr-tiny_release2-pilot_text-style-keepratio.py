# Pilot: the text+looks recipe on 32x128 inputs that keep the crop's aspect
# ratio (scaled to height 32, at most 128 wide, padded by repeating the
# edge) instead of stretching it to 32x100: the letters of long lines keep
# their shape, and CTC gets 32 columns instead of 25. The position
# embedding is interpolated from release 1's (grow_classifier.py
# --img-size 32 128).
_base_ = ['svtr-tiny_release2-pilot_text-style.py']
load, pack = _base_.cll_pipeline[:2], _base_.cll_pipeline[-1]
rescale = dict(type='RescaleToHeight', height=32, min_width=32,
               max_width=128, width_divisor=4, backend='pillow',
               interpolation='bicubic')
pad = dict(type='PadToWidth', width=128,
           pad_cfg=dict(type='Pad', padding_mode='edge'))
keep_ratio = load + [rescale, pad, pack]
model = dict(encoder=dict(img_size=(32, 128)))
train_dataloader = dict(dataset=dict(pipeline=load + [
    rescale, dict(type='STRAugment', prob=0.5, seed=0), pad, pack]))
val_sets = _base_.val_dataloader.dataset.datasets
val_dataloader = dict(
    dataset=dict(datasets=[dict(d, pipeline=keep_ratio) for d in val_sets]))
test_dataloader = dict(dataset=dict(pipeline=keep_ratio))
load_from = 'work_dirs/release2/svtr-tiny_grown_release2_32x128.pth'
