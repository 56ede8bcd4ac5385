# Runtime of the fine-tuning stage: MMOCR's recognition runtime, seed 0 as
# the original, the last 3 epoch checkpoints kept.
_base_ = ['mmocr::textrecog/_base_/default_runtime.py']

custom_imports = dict(imports=['cllstr_mm'], allow_failed_imports=False)
randomness = dict(seed=0)
default_hooks = dict(
    # MMEngine's CheckpointHook, safe against a kill while saving
    checkpoint=dict(
        type='AtomicCheckpointHook', interval=1, max_keep_ckpts=3))
# Draws the text of every script (per-script fonts, Arabic shaped right to
# left); MMOCR's matplotlib visualiser shows boxes for most of them.
visualizer = dict(type='MultilingualTextRecogVisualizer')
