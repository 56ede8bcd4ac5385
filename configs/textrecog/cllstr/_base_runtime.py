# Runtime shared by the CLL-STR recipes: MMOCR's runtime with iteration-based
# logging, the per-language metric, and the best pooled 1-NED kept (as the
# original kept best_score.pth).
_base_ = ['mmocr::textrecog/_base_/default_runtime.py']

randomness = dict(seed=21)

default_hooks = dict(
    # validation figures logged at their iteration (MMEngine's default logs
    # them at epoch 0 in iteration-based runs)
    logger=dict(type='LoggerHook', interval=100, log_metric_by_epoch=False),
    checkpoint=dict(
        # MMEngine's CheckpointHook, safe against a kill while saving
        type='AtomicCheckpointHook',
        by_epoch=False,
        interval=2000,
        max_keep_ckpts=1,
        save_best='recog/1-NED',
        rule='greater'),
)
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=False)

val_evaluator = dict(
    _delete_=True,
    type='MultilingualRecogMetric',
    dictionary=dict(type='MultilingualDictionary'),
    prefix='recog')
test_evaluator = val_evaluator
# Draws the text of every script (per-script fonts, Arabic shaped right to
# left); MMOCR's matplotlib visualiser shows boxes for most of them.
visualizer = dict(type='MultilingualTextRecogVisualizer')
