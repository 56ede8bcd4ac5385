# Base (paper Table 4): all seven languages with LAT capped at its first
# 2,000 samples (--data_usage_LAT 2000).
_base_ = [
    '_base_svtr-tiny.py', '_base_mlt19.py', '_base_runtime.py',
    '_base_schedule_adamw-onecycle_100k.py'
]

train_dataloader = dict(
    dataset=dict(select_data='lang_CBHJAKL', data_usage=dict(LAT=2000)))
val_dataloader = dict(dataset=dict(select_data='lang_CBHJAKL'))
