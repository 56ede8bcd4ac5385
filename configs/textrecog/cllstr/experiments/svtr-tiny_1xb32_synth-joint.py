# Finding 1: BEN trained jointly with the high-resource HIN and LAT (as the
# joint recipe, Table 2).
_base_ = ['../_base_crnn.py', '_base_synth-findings.py']

train_dataloader = dict(dataset=dict(select_data='lang_BHL'))
val_dataloader = dict(dataset=dict(select_data='lang_BHL'))
