# Base + all SynthMLT Korean samples (paper Table 4). Another script's
# SynthMLT: --cfg-options train_dataloader.dataset.select_data=lang_CBHJAKL-SynthMLT_A
_base_ = ['crnn_vgg-bilstm_1xb128-100k_mlt19-base.py']
train_dataloader = dict(dataset=dict(select_data='lang_CBHJAKL-SynthMLT_K'))
