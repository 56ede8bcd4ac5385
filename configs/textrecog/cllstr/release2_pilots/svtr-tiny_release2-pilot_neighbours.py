# Pilot: the cut end of a neighbouring word, or a frame's bar, beside the
# word in 1 crop in 4 (Style.neighbours). Real photo crops take these in
# and the release reads them as letters (EXIT -> EXITI, House -> iHouse,
# INDIA -> TINDIA: 13 of 103 real-photo LAT crops). Resumed from the stage's
# iteration 4,000 (13,100 in all) for 500 iterations on the same stream, so
# that the stage's own 4,500 is the other arm (docs/model_zoo.md gives the
# command).
_base_ = ['../svtr-tiny_1xb64-stream_synth7-release2.py']
train_dataloader = dict(
    dataset=dict(
        seed=7,
        style=dict(
            _delete_=True,
            font_set='release2', clean=0.15, photo_bg=0.3, two_tone=0.1,
            outline=0.15, shadow=0.15, uneven_light=0.2, motion_blur=0.1,
            tight_crop=0.15, loose_crop=0.15, bold=0.25, heavy=0.1,
            neighbours=0.25)))
train_cfg = dict(max_iters=4500)
optim_wrapper = dict(type='CPUBF16OptimWrapper')
