# Finding 1: BEN trained jointly with HIN (as small) and LAT (10x as large),
# as the joint recipe (Table 2), for as many iterations as BEN alone.
_base_ = ['_base_synth-findings.py']

train_dataloader = dict(dataset=dict(select_data='lang_BHL'))
val_dataloader = dict(dataset=dict(select_data='lang_BHL'))
