# Pilot: half the learning rate (2.5e-4) after the warm-up. At the constant
# 5e-4 the EMA weights move by 1-3 points on the real photo crops between
# validations 250 iterations apart.
_base_ = ['_base_pilot_from9100.py']
optim_wrapper = dict(optimizer=dict(lr=2.5e-4))
