# Base + the first 2,000 SynthMLT Korean samples (paper Table 4;
# --select_data lang_CBHJAKL-SynthMLT_K --data_usage_SynthMLT 2000).
_base_ = ['crnn_vgg-bilstm_1xb128-100k_mlt19-base.py']
train_dataloader = dict(
    dataset=dict(
        select_data='lang_CBHJAKL-SynthMLT_K',
        data_usage=dict(LAT=2000, SynthMLT=2000)))
