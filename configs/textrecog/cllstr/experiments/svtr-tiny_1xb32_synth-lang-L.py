# Finding 2's dissimilar source: LAT alone, capped to HIN's size so that the
# two sources differ in script only.
_base_ = ['svtr-tiny_1xb32_synth-lang-H.py']

train_dataloader = dict(
    dataset=dict(select_data='lang_L', data_usage=dict(LAT=250)))
val_dataloader = dict(dataset=dict(select_data='lang_L'))
