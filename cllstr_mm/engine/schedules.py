"""Fit run-length-dependent parameter schedules to the train loop.

Convention of the schedule configs (``param_scheduler``): ``begin`` and
``end`` count the train loop's unit (epochs for ``by_epoch=True``,
iterations otherwise), as in MMEngine, and

- a scheduler that lasts until training stops leaves out ``end`` and its
  length argument (``T_max`` of the cosine schedulers, ``total_steps`` of
  OneCycle), which are then the loop length and ``end - begin``;
- a ``begin``/``end`` written as a float in [0, 1] is that fraction of the
  run (e.g. a warm-up over the first 5 %: ``end=0.05`` and ``begin=0.05``
  on the scheduler that follows);
- a OneCycle schedule that leaves out ``eta_max`` (or sets it to None)
  peaks at the optimizer's lr, ``optim_wrapper.optimizer.lr``, so setting
  the lr alone moves the peak, as the original's ``--lr`` did (MMEngine's
  default peak is 0). A number is a peak chosen on purpose and is kept.
  ``auto_scale_lr`` does not move such a peak: MMEngine scales the lr after
  the config is fitted.

:func:`fit_param_schedulers` writes the resulting numbers into the config
(``tools/train.py`` calls it after ``--cfg-options``), so changing only
``train_cfg.max_iters`` / ``max_epochs`` stretches or shrinks the whole
schedule. Without fractions and with OneCycle's ``eta_max`` given,
MMEngine's Runner derives the same numbers itself (``end`` defaults to the
loop length, ``T_max``/``total_steps`` to ``end - begin``), so such configs
also run with MMOCR's own tools.
"""
import inspect
import logging
from typing import Iterator, Optional, Tuple, Union

from mmengine.config import Config
from mmengine.logging import print_log
from mmocr.registry import PARAM_SCHEDULERS

#: Length arguments MMEngine derives as ``end - begin`` when not given.
LENGTH_ARGS = ('T_max', 'total_steps')
#: Schedulers whose peak ``eta_max`` is the optimizer's lr unless given.
PEAK_FOLLOWS_LR = ('OneCycleLR', 'OneCycleParamScheduler')


def train_loop_length(train_cfg: Optional[dict]) -> Optional[Tuple[int, bool]]:
    """``(length, by_epoch)`` of a train loop config, or None if it states
    neither ``max_iters`` nor ``max_epochs`` (a custom loop)."""
    train_cfg = train_cfg or {}
    if train_cfg.get('max_iters') is not None:
        return int(train_cfg['max_iters']), False
    if train_cfg.get('max_epochs') is not None:
        return int(train_cfg['max_epochs']), True
    return None


def _iter_schedulers(
        param_scheduler) -> Iterator[Tuple[str, dict, Optional[str]]]:
    """``(name, config, optimiser key)`` of every scheduler: a dict, a list
    of them, or a dict of those per optimiser (MMEngine's multi-optimiser
    form, whose key names the optimiser; None otherwise)."""
    if param_scheduler is None:
        return
    if isinstance(param_scheduler, dict) and 'type' not in param_scheduler:
        for key, value in param_scheduler.items():
            for name, cfg, _ in _iter_schedulers(value):
                yield f'{key}.{name}', cfg, key
        return
    if isinstance(param_scheduler, dict):
        param_scheduler = [param_scheduler]
    for i, cfg in enumerate(param_scheduler):
        yield f'[{i}]', cfg, None


def _length_args(scheduler_type) -> Tuple[str, ...]:
    """Which of :data:`LENGTH_ARGS` the scheduler class takes.

    MMEngine's ``*LR`` classes take ``*args`` in a mixin, so every
    ``__init__`` of the class hierarchy is looked at.
    """
    cls = scheduler_type if inspect.isclass(scheduler_type) else \
        PARAM_SCHEDULERS.get(scheduler_type)
    if cls is None:
        return ()
    params = set()
    for klass in cls.__mro__:
        if '__init__' in vars(klass):
            params.update(inspect.signature(klass.__init__).parameters)
    return tuple(arg for arg in LENGTH_ARGS if arg in params)


def _resolve(value: Union[int, float], length: int, integral: bool,
             where: str) -> Union[int, float]:
    """A ``begin``/``end`` in loop units; floats are fractions of the run.

    ``integral``: the result must be a whole number (epoch schedulers that
    are not converted to iterations); otherwise iteration counts are rounded
    and fractional epochs are kept for MMEngine to convert.
    """
    if not isinstance(value, float):
        return value
    if not 0. <= value <= 1.:
        raise ValueError(
            f'{where}={value}: a float begin/end is a fraction of the run and '
            'must be in [0, 1]; write an int for an absolute epoch/iteration')
    resolved = value * length
    if abs(resolved - round(resolved)) < 1e-9:
        return int(round(resolved))
    if integral:
        raise ValueError(
            f'{where}={value} of {length} epochs is {resolved:g} epochs; an '
            'epoch-based scheduler needs whole epochs: set '
            'convert_to_iter_based=True or pick another fraction')
    return resolved


def follow_optimizer_lr(cfg: Config) -> None:
    """Give every OneCycle schedule without ``eta_max`` (or with None) the
    lr of its optimizer as its peak, in place.

    Raises:
        ValueError: Its optimizer config states no lr.
    """
    for name, scheduler, key in _iter_schedulers(cfg.get('param_scheduler')):
        scheduler_type = scheduler.get('type')
        scheduler_type = scheduler_type.split('.')[-1] if isinstance(
            scheduler_type, str) else getattr(scheduler_type, '__name__', '')
        if scheduler_type not in PEAK_FOLLOWS_LR or \
                scheduler.get('eta_max') is not None:
            continue
        option = 'optim_wrapper' + (f'.{key}' if key else '') + \
            '.optimizer.lr'
        wrapper = cfg.get('optim_wrapper') or {}
        if key:
            wrapper = wrapper.get(key) or {}
        lr = (wrapper.get('optimizer') or {}).get('lr')
        if lr is None:
            raise ValueError(
                f'param_scheduler{name} ({scheduler_type}) has no eta_max, '
                f'so it peaks at {option}, which is not set: set the one or '
                'the other')
        scheduler['eta_max'] = lr
        print_log(
            f'param_scheduler{name} ({scheduler_type}): eta_max = {option} '
            f'= {lr:g}',
            logger='current')


def fit_param_schedulers(cfg: Config) -> None:
    """Fit every ``param_scheduler`` of ``cfg`` to its train loop, in place.

    See the module docstring for the convention. Per scheduler whose unit
    (``by_epoch``) matches the loop's: fractional ``begin``/``end`` become
    loop units, a missing ``end`` becomes the loop length and a missing
    ``T_max``/``total_steps`` becomes ``end - begin``. A scheduler without
    ``end`` spans the run, so a ``T_max``/``total_steps`` that says
    otherwise is replaced (with a warning). Other explicit numbers are kept;
    an ``end`` after the loop's is reported, since the rest of that
    schedule would never run.

    A OneCycle schedule without ``eta_max`` gets the optimizer's lr
    (:func:`follow_optimizer_lr`), whatever the loop.

    Raises:
        ValueError: a fraction outside [0, 1] or not a whole number of
            epochs; a scheduler left with no length (it begins where the
            run ends); an epoch scheduler with an open end in an iteration
            loop; a fraction on a scheduler whose unit is not the loop's
            (iterations per epoch are not known before the dataloader is
            built); a OneCycle peak that follows an lr not set.
    """
    follow_optimizer_lr(cfg)
    loop = train_loop_length(cfg.get('train_cfg'))
    if loop is None:
        return
    length, loop_by_epoch = loop
    loop_key = 'max_epochs' if loop_by_epoch else 'max_iters'
    unit = 'epochs' if loop_by_epoch else 'iterations'
    for name, scheduler, _ in _iter_schedulers(cfg.get('param_scheduler')):
        where = f'param_scheduler{name} ({scheduler.get("type")})'
        fractions = [
            key for key in ('begin', 'end')
            if isinstance(scheduler.get(key), float)
        ]
        open_end = scheduler.get('end') is None
        by_epoch = scheduler.get('by_epoch', True)
        if by_epoch != loop_by_epoch:
            # An iteration scheduler in an epoch loop with an open end is
            # left to MMEngine, which knows the iterations per epoch.
            if fractions or (open_end and by_epoch):
                raise ValueError(
                    f'{where} counts {"epochs" if by_epoch else "iterations"}'
                    f' but train_cfg counts {unit} ({loop_key}={length}), '
                    'so its length cannot be fitted: use the loop\'s unit '
                    '(epoch schedulers may set convert_to_iter_based=True)')
            continue
        integral = loop_by_epoch and not scheduler.get(
            'convert_to_iter_based', False)
        before = dict(scheduler)
        for key in fractions:
            scheduler[key] = _resolve(scheduler[key], length, integral,
                                      f'{where}.{key}')
        if open_end:
            scheduler['end'] = length
        begin, end = scheduler.get('begin', 0), scheduler['end']
        if end > length:
            print_log(
                f'{where} ends at {end} {unit} but training stops at '
                f'{length} ({loop_key}); the rest of it never runs. Leave '
                '"end" out to fit it to the run.',
                logger='current',
                level=logging.WARNING)
        span = end - begin
        if span <= 0:
            raise ValueError(
                f'{where} would run from {begin} to {end} {unit}, but '
                f'training stops at {length} ({loop_key}): the schedulers '
                'before it take the whole run. Train longer or shorten '
                'their begin/end')
        if float(span).is_integer():
            for arg in _length_args(scheduler.get('type')):
                given = scheduler.get(arg)
                if open_end and given not in (None, span):
                    # a leftover of a fixed-length config: OneCycle would
                    # raise after total_steps, a cosine would climb again
                    print_log(
                        f'{where}: {arg}={given} replaced by end - begin = '
                        f'{int(span)} since it spans the run; give "end" too '
                        f'to keep another {arg}',
                        logger='current',
                        level=logging.WARNING)
                    given = None
                if given is None:
                    scheduler[arg] = int(span)
        changed = {
            key: value
            for key, value in scheduler.items()
            if before.get(key) != value
        }
        if changed:
            print_log(
                f'{where}: {changed} ({unit}, fitted to {loop_key}='
                f'{length})',
                logger='current')

