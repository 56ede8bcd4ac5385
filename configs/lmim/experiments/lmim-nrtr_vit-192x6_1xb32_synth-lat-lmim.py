# LMIM experiment, fine-tuning from the LMIM student
# (lmim_vit-192x6_1xb32_synth-lat.py; the runner sets its own run's
# checkpoint) with the paper's layer-wise lr decay. Otherwise as the
# "none" leaf.
_base_ = ['lmim-nrtr_vit-192x6_1xb32_synth-lat-none.py']

model = dict(
    encoder=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/lmim_vit-192x6_1xb32_synth-lat/'
            'iter_2000.pth')))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.75))
