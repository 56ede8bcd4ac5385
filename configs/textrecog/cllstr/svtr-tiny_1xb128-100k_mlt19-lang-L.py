# SVTR trained on one language (README: --select_data lang_L). Any other
# language: --cfg-options train_dataloader.dataset.select_data=lang_K
# val_dataloader.dataset.select_data=lang_K
_base_ = [
    '_base_svtr-tiny.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]

train_dataloader = dict(dataset=dict(select_data='lang_L'))
val_dataloader = dict(dataset=dict(select_data='lang_L'))
