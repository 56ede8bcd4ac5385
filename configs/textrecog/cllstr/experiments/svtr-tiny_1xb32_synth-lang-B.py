# Monolingual: the low-resource target BEN alone (as the lang-L recipe;
# finding 1's baseline, Table 2).
_base_ = ['_base_synth-findings.py']

train_dataloader = dict(dataset=dict(select_data='lang_B'))
val_dataloader = dict(dataset=dict(select_data='lang_B'))
