# Pilot: STRAug operations on 4 crops in 5 instead of 1 in 2. The real photo
# crops have stood near the same 1-NED since about 200,000 samples while
# screen text and the second renderer still rise (docs/model_zoo.md), so
# the photographic side of the data is the suspect.
_base_ = ['_base_pilot_from9100.py']
train_pipeline = _base_.cll_pipeline[:3] + [
    dict(type='STRAugment', prob=0.8, seed=0)
] + _base_.cll_pipeline[3:]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
