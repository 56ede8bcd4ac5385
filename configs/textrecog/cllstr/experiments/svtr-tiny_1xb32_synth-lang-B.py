# One language: the low-resource target BEN (as the lang-L recipe).
_base_ = ['../_base_crnn.py', '_base_synth-findings.py']

train_dataloader = dict(dataset=dict(select_data='lang_B'))
val_dataloader = dict(dataset=dict(select_data='lang_B'))
