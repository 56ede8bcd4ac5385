# CRNN jointly trained on all languages but LAT, the high-resource one
# (README demo: SVTR_joint_All_but_LAT).
_base_ = [
    '_base_crnn.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]

train_dataloader = dict(dataset=dict(select_data='lang_CBHJAK'))
val_dataloader = dict(dataset=dict(select_data='lang_CBHJAK'))
