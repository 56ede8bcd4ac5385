# LMIM experiment, fine-tuning with the CTC read-out (ctc_model of
# _base_vit-192x6_synth-lat.py) from the LMIM student
# (lmim_vit-192x6_1xb32_synth-lat.py; the runner sets its own run's
# checkpoint) with the paper's layer-wise lr decay. Otherwise as
# lmim-nrtr_vit-192x6_1xb32_synth-lat-lmim.py.
_base_ = ['lmim-nrtr_vit-192x6_1xb32_synth-lat-lmim.py']

model = _base_.ctc_model
val_evaluator = dict(dictionary=dict(_base_.ctc_dictionary, _delete_=True))
test_evaluator = val_evaluator
