# Finding 3: Base + all SynthMLT Korean samples (as the base-synthmlt-kor
# recipe): more data of a script unlike BEN, as much as the LAT that joint
# adds to Base. Validation stays on Base's scripts, so both runs pick their
# checkpoints on the same images (as the paper's, all seven).
_base_ = ['svtr-tiny_1xb32_synth-base.py']

train_dataloader = dict(dataset=dict(select_data='lang_BHL-SynthMLT_K'))
