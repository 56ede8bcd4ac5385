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
        style=dict(_delete_=True, base='release2', neighbours=0.25)))
train_cfg = dict(max_iters=4500)
optim_wrapper = dict(type='CPUBF16OptimWrapper')
