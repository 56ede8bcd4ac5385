# SVTR jointly trained on all seven languages (README: lang_CBHJAKL, Table 2).
_base_ = [
    '_base_svtr-tiny.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]

train_dataloader = dict(dataset=dict(select_data='lang_CBHJAKL'))
val_dataloader = dict(dataset=dict(select_data='lang_CBHJAKL'))
