# Finding 3, Base (as the base recipe, Table 4): BEN, HIN and LAT with LAT
# capped to the low-resource size (the paper caps LAT at 2K), so no script
# is high-resource.
_base_ = ['_base_synth-findings.py']

train_dataloader = dict(
    dataset=dict(select_data='lang_BHL', data_usage=dict(LAT=250)))
val_dataloader = dict(dataset=dict(select_data='lang_BHL'))
