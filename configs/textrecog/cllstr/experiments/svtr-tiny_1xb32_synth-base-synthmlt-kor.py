# Finding 3: Base + all SynthMLT Korean samples (as the
# base-synthmlt-kor recipe): more data of a script unlike BEN. Validation
# stays on Base's scripts so both runs pick checkpoints alike.
_base_ = ['crnn_vgg-bilstm_1xb32_synth-base.py']

train_dataloader = dict(dataset=dict(select_data='lang_BHL-SynthMLT_K'))
