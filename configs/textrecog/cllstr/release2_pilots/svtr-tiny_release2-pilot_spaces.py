# Pilot: multi-word crops joined by spaces in 3 of 10 word samples instead
# of 1 (the photo dev set's lines lose 5-7 % of their words to readings that
# run two words together, e.g. 'ALLYEAR', while a fifth of the LAT, CHI,
# JPN and KOR samples draw their letters apart with no space in the label).
_base_ = ['_base_pilot_from9100.py']
train_dataloader = dict(dataset=dict(space_prob=0.3))
