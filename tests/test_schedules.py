"""Run-length-dependent parameter schedules fitted to the train loop
(cllstr_mm/engine/schedules.py) and tools/train.py applying them."""
import importlib.util
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmocr.registry import PARAM_SCHEDULERS

from cllstr_mm.engine import fit_param_schedulers, train_loop_length

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def lr_curve(schedulers, steps, epoch_length=None):
    """The lr before each iteration when MMEngine builds ``schedulers`` as
    the Runner does (epoch schedulers converted with ``epoch_length``)."""
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=1.0)
    built = [
        PARAM_SCHEDULERS.build(
            dict(cfg),
            default_args=dict(optimizer=optimizer,
                              epoch_length=epoch_length))
        for cfg in schedulers
    ]
    curve = []
    for _ in range(steps):
        curve.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        for scheduler in built:
            scheduler.step()
    return curve


def one_cycle_cfg(max_iters):
    return Config(
        dict(
            train_cfg=dict(type='IterBasedTrainLoop', max_iters=max_iters),
            param_scheduler=[
                dict(
                    type='OneCycleLR',
                    eta_max=1.0,
                    pct_start=0.3,
                    div_factor=20,
                    final_div_factor=1000,
                    anneal_strategy='cos',
                    by_epoch=False)
            ]))


def test_train_loop_length():
    assert train_loop_length(dict(max_iters=7)) == (7, False)
    assert train_loop_length(
        dict(type='EpochBasedTrainLoop', max_epochs=3)) == (3, True)
    assert train_loop_length(dict(type='MyLoop')) is None
    assert train_loop_length(None) is None


@pytest.mark.parametrize('max_iters', [40, 100])
def test_one_cycle_spans_the_iteration_loop(max_iters):
    cfg = one_cycle_cfg(max_iters)
    fit_param_schedulers(cfg)
    scheduler = cfg.param_scheduler[0]
    assert scheduler.end == max_iters and scheduler.total_steps == max_iters
    curve = lr_curve(cfg.param_scheduler, max_iters)
    # starts at lr / 20, peaks after 30 % of the run, ends near lr / 20000
    assert curve[0] == pytest.approx(1 / 20)
    assert max(range(max_iters), key=curve.__getitem__) == \
        round(0.3 * max_iters) - 1
    assert curve[-1] < 1e-3


def test_a_length_left_in_an_open_schedule_follows_the_loop():
    """Configs written before the convention state total_steps=max_iters;
    a longer run must not stop mid-cycle (OneCycle raises past it)."""
    cfg = one_cycle_cfg(60)
    cfg.param_scheduler[0].total_steps = 40
    fit_param_schedulers(cfg)
    assert cfg.param_scheduler[0].total_steps == 60
    assert lr_curve(cfg.param_scheduler, 60)[-1] < 1e-3
    # with its own end, a different length is the config's choice
    cfg = one_cycle_cfg(60)
    cfg.param_scheduler[0].update(end=40, total_steps=40)
    fit_param_schedulers(cfg)
    assert cfg.param_scheduler[0].total_steps == 40


def test_warmup_cosine_follows_max_epochs():
    """The LMIM pretraining schedule: 1 warm-up epoch, cosine to 0 at the
    last iteration of whatever max_epochs is."""
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/lmim/_base_/schedule_adamw_cos_pretrain.py'))
    cfg.merge_from_dict({'train_cfg.max_epochs': 3})
    fit_param_schedulers(cfg)
    warmup, cosine = cfg.param_scheduler
    assert (warmup.begin, warmup.end) == (0, 1)
    assert 'T_max' not in warmup and 'total_steps' not in warmup
    assert (cosine.begin, cosine.end, cosine.T_max) == (1, 3, 2)

    epoch_length = 4
    curve = lr_curve(cfg.param_scheduler, 3 * epoch_length, epoch_length)
    assert curve[0] == pytest.approx(1e-4)
    assert curve[epoch_length] == pytest.approx(1.0)
    for it in range(epoch_length, 3 * epoch_length):
        expected = 0.5 * (1 + math.cos(math.pi * (it - epoch_length) /
                                       (2 * epoch_length)))
        assert curve[it] == pytest.approx(expected, abs=1e-6), it


def test_a_run_shorter_than_the_warmup_is_refused():
    """1 epoch of a schedule with a 1-epoch warm-up leaves the cosine no
    length: a clear error instead of MMEngine's 'end should be larger than
    begin'."""
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/lmim/_base_/schedule_adamw_cos_pretrain.py'))
    cfg.merge_from_dict({'train_cfg.max_epochs': 1})
    with pytest.raises(ValueError, match=r'param_scheduler\[1\] '
                       r'\(CosineAnnealingLR\) would run from 1 to 1 '
                       r'epochs.*Train longer'):
        fit_param_schedulers(cfg)


def test_fractions_of_the_run():
    warmup_cosine = [
        dict(type='LinearLR', start_factor=0.1, by_epoch=False, end=0.05),
        dict(type='CosineAnnealingLR', by_epoch=False, begin=0.05),
    ]
    cfg = Config(
        dict(train_cfg=dict(max_iters=1000), param_scheduler=warmup_cosine))
    fit_param_schedulers(cfg)
    warmup, cosine = cfg.param_scheduler
    assert warmup.end == 50
    assert (cosine.begin, cosine.end, cosine.T_max) == (50, 1000, 950)

    # fractional epochs stay for MMEngine to turn into iterations
    converted = [dict(s, by_epoch=True, convert_to_iter_based=True)
                 for s in warmup_cosine]
    converted[0]['end'] = converted[1]['begin'] = 0.25
    cfg = Config(
        dict(train_cfg=dict(max_epochs=10), param_scheduler=converted))
    fit_param_schedulers(cfg)
    warmup, cosine = cfg.param_scheduler
    assert warmup.end == cosine.begin == 2.5
    assert cosine.end == 10 and cosine.get('T_max') is None
    curve = lr_curve(cfg.param_scheduler, 40, epoch_length=4)
    # warm-up over iterations 0-9 (MMEngine reaches the lr at end - 1)
    assert curve[8] < 1.0 and curve[9] == curve[10] == pytest.approx(1.0)
    assert curve[39] == pytest.approx(
        0.5 * (1 + math.cos(math.pi * 29 / 30)))

    whole = [dict(s, convert_to_iter_based=False) for s in converted]
    with pytest.raises(ValueError, match='whole epochs'):
        fit_param_schedulers(
            Config(dict(train_cfg=dict(max_epochs=10),
                        param_scheduler=whole)))
    with pytest.raises(ValueError, match=r'must be in \[0, 1\]'):
        fit_param_schedulers(
            Config(dict(train_cfg=dict(max_iters=10), param_scheduler=[
                dict(type='LinearLR', by_epoch=False, end=2.0)])))


def test_explicit_numbers_are_kept_and_units_checked():
    cfg = Config(
        dict(
            train_cfg=dict(max_iters=100),
            param_scheduler=dict(
                type='CosineAnnealingLR', by_epoch=False, end=60, T_max=30)))
    fit_param_schedulers(cfg)
    assert cfg.param_scheduler.end == 60 and cfg.param_scheduler.T_max == 30

    # one list per optimiser (MMEngine's multi-optimiser form)
    cfg = Config(
        dict(
            train_cfg=dict(max_epochs=4),
            param_scheduler=dict(
                generator=[dict(type='CosineAnnealingLR', begin=1)],
                critic=dict(type='OneCycleLR', eta_max=1.))))
    fit_param_schedulers(cfg)
    assert cfg.param_scheduler.generator[0].T_max == 3
    assert cfg.param_scheduler.critic.total_steps == 4

    # an iteration schedule in an epoch loop is left to MMEngine ...
    cfg = Config(
        dict(
            train_cfg=dict(max_epochs=4),
            param_scheduler=[dict(type='CosineAnnealingLR', by_epoch=False)]))
    fit_param_schedulers(cfg)
    assert 'end' not in cfg.param_scheduler[0]
    # ... an epoch schedule in an iteration loop has nothing to fit to
    with pytest.raises(ValueError, match='counts epochs but train_cfg '
                       'counts iterations'):
        fit_param_schedulers(
            Config(dict(train_cfg=dict(max_iters=100), param_scheduler=[
                dict(type='CosineAnnealingLR')])))


def _load_train_tool():
    spec = importlib.util.spec_from_file_location(
        'tool_train', osp.join(REPO, 'tools', 'train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('config,options,expected', [
    ('configs/lmim/mae_vit-small_8xb64-20e_mlt19.py', {}, (20, 19)),
    ('configs/lmim/lmim_vit-small_8xb64-10e_mlt19.py', {}, (10, 9)),
    ('configs/lmim/lmim-nrtr_vit-small_8xb64-10e_union14m-l.py',
     {'train_cfg.max_epochs': 3}, (3, 2)),
    ('configs/textrecog/cllstr/svtr-tiny_1xb32-900it_cllstr-mini.py',
     {'train_cfg.max_iters': 50}, (50, 50)),
])
def test_train_tool_fits_leaf_configs(tmp_path, config, options, expected):
    ns = type('Args', (), dict(
        config=osp.join(REPO, config), launcher='none',
        work_dir=str(tmp_path), amp=False, resume=None, auto_scale_lr=False,
        cfg_options=options or None))
    cfg = _load_train_tool().setup_cfg(ns)
    last = cfg.param_scheduler[-1]
    assert (last.end, last.get('T_max', last.get('total_steps'))) == expected


def test_one_cycle_peak_follows_the_optimizer_lr():
    """The recipes' OneCycle leaves eta_max to the optimizer's lr, so
    setting the lr alone (the original's --lr) moves the peak; a number is
    kept."""
    base = osp.join(
        REPO, 'configs/textrecog/cllstr/_base_schedule_adamw-onecycle_100k.py')
    cfg = Config.fromfile(base)
    cfg.merge_from_dict({'optim_wrapper.optimizer.lr': 5e-4,
                         'train_cfg.max_iters': 100})
    fit_param_schedulers(cfg)
    assert cfg.param_scheduler[0].eta_max == 5e-4
    curve = lr_curve(cfg.param_scheduler, 100)
    assert max(curve) == pytest.approx(5e-4)
    assert curve[0] == pytest.approx(5e-4 / 20)

    cfg = Config.fromfile(base)
    cfg.merge_from_dict({'optim_wrapper.optimizer.lr': 5e-4,
                         'param_scheduler': [dict(cfg.param_scheduler[0],
                                                  eta_max=2e-3)]})
    fit_param_schedulers(cfg)
    assert cfg.param_scheduler[0].eta_max == 2e-3

    # per optimiser in MMEngine's multi-optimiser form; no lr is an error
    cfg = Config(dict(
        optim_wrapper=dict(gen=dict(optimizer=dict(type='SGD', lr=0.3)),
                           critic=dict(optimizer=dict(type='SGD'))),
        param_scheduler=dict(gen=dict(type='OneCycleLR'),
                             critic=dict(type='OneCycleLR', eta_max=None))))
    with pytest.raises(ValueError, match=r'param_scheduler'
                       r'critic.\[0\] \(OneCycleLR\) has no eta_max, so it '
                       r'peaks at optim_wrapper.critic.optimizer.lr, which '
                       'is not set'):
        fit_param_schedulers(cfg)
    assert cfg.param_scheduler.gen.eta_max == 0.3


@pytest.mark.parametrize('config,lr', [
    ('configs/textrecog/cllstr/svtr-tiny_1xb128-100k_mlt19-joint.py', 1e-3),
    ('configs/textrecog/cllstr/svtr-tiny_1xb32-900it_cllstr-mini.py', 3e-4),
    ('configs/textrecog/cllstr/experiments/'
     'svtr-tiny_1xb32_synth-joint.py', 3e-4),
])
def test_recipes_keep_their_peak(config, lr):
    """The peaks the recipes had when they set eta_max themselves."""
    cfg = Config.fromfile(osp.join(REPO, config))
    fit_param_schedulers(cfg)
    assert cfg.optim_wrapper.optimizer.lr == lr
    assert cfg.param_scheduler[0].eta_max == lr
