# Pilot: neighbours in 1 crop of 2 instead of 1 of 4 (release2's since
# 13,600), resumed from the stage's iteration 6,000 (15,100 in all) for 500
# iterations on the same stream, so that the stage's own 6,500 is the
# other arm (docs/model_zoo.md).
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
train_dataloader = dict(
    dataset=dict(
        seed=7,
        style=dict(
            _delete_=True,
            font_set='release2', clean=0.15, photo_bg=0.3, two_tone=0.1,
            outline=0.15, shadow=0.15, uneven_light=0.2, motion_blur=0.1,
            tight_crop=0.15, loose_crop=0.15, bold=0.25, heavy=0.1,
            neighbours=0.5)))
train_cfg = dict(max_iters=6500)
optim_wrapper = dict(type='CPUBF16OptimWrapper')
