# LMIM experiment, fine-tuning with the CTC read-out instead of the NRTR
# decoder (_base_vit-192x6_synth-lat.py: ctc_model): a random encoder.
# Otherwise as lmim-nrtr_vit-192x6_1xb32_synth-lat-none.py.
_base_ = ['lmim-nrtr_vit-192x6_1xb32_synth-lat-none.py']

model = _base_.ctc_model
val_evaluator = dict(dictionary=dict(_base_.ctc_dictionary, _delete_=True))
test_evaluator = val_evaluator
