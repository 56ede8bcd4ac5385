# Pilot: the release dictionary and text (numbers, punctuation, spaces,
# rare classes) in release 1's looks.
_base_ = ['_base_pilot.py']
train_dataloader = dict(
    dataset=dict(style=None, pipeline=_base_.cll_pipeline))
