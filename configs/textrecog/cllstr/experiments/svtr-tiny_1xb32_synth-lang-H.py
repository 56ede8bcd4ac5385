# One language: HIN, the similar (Brahmic) source of the cascade.
_base_ = ['crnn_vgg-bilstm_1xb32_synth-lang-B.py']

train_dataloader = dict(dataset=dict(select_data='lang_H'))
val_dataloader = dict(dataset=dict(select_data='lang_H'))
