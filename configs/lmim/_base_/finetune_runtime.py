# Runtime of the fine-tuning stage: MMOCR's recognition runtime, seed 0 as
# the original, a checkpoint every 5 epochs and after the last one (the
# original's save_ckpt_freq 5; the leaves also keep the best validation
# checkpoint), the last 3 kept.
_base_ = ['mmocr::textrecog/_base_/default_runtime.py']

custom_imports = dict(imports=['cllstr_mm'], allow_failed_imports=False)
randomness = dict(seed=0)
default_hooks = dict(
    # MMEngine's CheckpointHook, safe against a kill while saving
    checkpoint=dict(
        type='AtomicCheckpointHook', interval=5, max_keep_ckpts=3))
# Draws the text of every script (per-script fonts, Arabic shaped right to
# left); MMOCR's matplotlib visualiser shows boxes for most of them.
visualizer = dict(type='MultilingualTextRecogVisualizer')
