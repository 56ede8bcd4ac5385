# Pilot: the release dictionary and text in the release-2 looks (clean
# born-digital words, photo backgrounds, two-tone, outlines, shadows, uneven
# light, tight and loose crops, more font families) and STRAug operations on
# one crop in two.
_base_ = ['_base_pilot.py']
train_pipeline = _base_.cll_pipeline[:3] + [
    dict(type='STRAugment', prob=0.5, seed=0)
] + _base_.cll_pipeline[3:]
train_dataloader = dict(
    dataset=dict(style='release2', pipeline=train_pipeline))
