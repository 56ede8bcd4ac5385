# Finding 3, Base (as the base recipe, Table 4): BEN, HIN and LAT with the
# high-resource scripts capped to the low-resource size, so no script is
# high-resource (the paper caps LAT at 2K).
_base_ = ['../_base_crnn.py', '_base_synth-findings.py']

train_dataloader = dict(
    dataset=dict(select_data='lang_BHL', data_usage=dict(HIN=200, LAT=200)))
val_dataloader = dict(dataset=dict(select_data='lang_BHL'))
