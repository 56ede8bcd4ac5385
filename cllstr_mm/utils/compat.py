"""Make the OpenMMLab 2.x stack (mmengine 0.10, mmcv 2.0, mmdet 3.1, mmocr 1.0)
work on PyTorch >= 2.6 without compiled mmcv ops.

This is the project's only compatibility layer; :func:`apply` runs on
``import cllstr_mm`` and is idempotent. It closes four gaps:

1. **torchvision without loadable C ops.** The only torchvision wheel for
   torch 2.13 is a CUDA build; on a CPU-only machine its ``_C`` library fails
   to load and ``import torchvision`` then dies registering fake kernels for
   ``torchvision::nms``. mmocr imports torchvision at module level. When (and
   only when) the library cannot be loaded, the two op schemas torchvision
   needs are declared so it imports; its transforms work, its compiled ops
   raise PyTorch's usual "no kernel" error.
2. **mmcv-lite has no ``mmcv._ext``** but mmdet imports ``mmcv.ops`` at import
   time. A finder placed *last* on ``sys.meta_path`` (so a real ``_ext`` always
   wins) supplies a stub whose every op raises :class:`MissingMMCVOpError`
   naming the op and how to get full mmcv.
3. **``torch.load(weights_only=True)`` is the default** since torch 2.6 and
   mmengine 0.10 calls ``torch.load`` without the argument, so loading its
   checkpoints fails on the non-tensor objects they hold. The types mmengine's
   own checkpoints contain (message hub buffers, the OneCycle scheduler's
   annealing function, numpy arrays and scalars) are allow-listed; ``weights_only`` stays on, so a checkpoint from outside still
   cannot run code when it is loaded.
4. **rich's progress bar starts its refresh thread even when disabled.**
   mmocr 1.0's inferencers wrap every call in ``rich.progress.track(...,
   disable=not progress_bar)``, which costs about 2 ms per call with the
   bar off: a third of reading one word crop in ONNX Runtime. There,
   ``track`` returns the sequence itself when ``disable`` is set, and is
   rich's otherwise.
"""
import glob
import importlib.abc
import importlib.machinery
import importlib.util
import os
import pickle
import sys
import types

import torch

__all__ = ['apply', 'MissingMMCVOpError', 'mmcv_ops_available']

_APPLIED = False

FULL_MMCV_HINT = ('install full mmcv with compiled ops: '
                  '`bash tools/install.sh --full-mmcv` (about 7 minutes)')


class MissingMMCVOpError(RuntimeError):
    """A compiled mmcv op was called but only mmcv-lite is installed."""


# --- 1. torchvision -------------------------------------------------------
_TORCHVISION_SCHEMAS = (
    'nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor',
    'qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor',
)
_torchvision_lib = None  # keeps the op definitions alive


def _torchvision_c_ops_load() -> bool:
    """Whether torchvision's compiled library loads (True if none exists)."""
    spec = importlib.util.find_spec('torchvision')
    if spec is None or not spec.submodule_search_locations:
        return True
    libs = []
    for folder in spec.submodule_search_locations:
        libs += glob.glob(os.path.join(folder, '_C*.so'))
    for lib in libs:
        try:
            torch.ops.load_library(lib)
        except OSError:
            return False
    return True


def _patch_torchvision() -> None:
    global _torchvision_lib
    if 'torchvision' in sys.modules or _torchvision_c_ops_load():
        return
    if hasattr(torch.ops.torchvision, 'nms'):
        return
    _torchvision_lib = torch.library.Library('torchvision', 'DEF')
    for schema in _TORCHVISION_SCHEMAS:
        _torchvision_lib.define(schema)


# --- 2. mmcv._ext ---------------------------------------------------------
class _MissingOpsModule(types.ModuleType):
    """Stand-in for ``mmcv._ext``: any op attribute raises when called."""

    is_cllstr_stub = True

    def __getattr__(self, name: str):
        if name.startswith('__'):
            raise AttributeError(name)

        def missing_op(*args, **kwargs):
            raise MissingMMCVOpError(
                f'mmcv op `{name}` is not available: only mmcv-lite (no '
                f'compiled ops) is installed. To use it, {FULL_MMCV_HINT}.')

        missing_op.__name__ = name
        return missing_op


class _MissingOpsFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Supplies ``mmcv._ext`` only when no other finder could."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != 'mmcv._ext':
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec):
        return _MissingOpsModule(spec.name)

    def exec_module(self, module):
        pass


def mmcv_ops_available() -> bool:
    """Whether real compiled mmcv ops (full mmcv) are installed."""
    import mmcv._ext as ext  # noqa: F401  (resolved by the finders above)
    return not getattr(ext, 'is_cllstr_stub', False)


def _patch_mmcv() -> None:
    if not any(isinstance(f, _MissingOpsFinder) for f in sys.meta_path):
        sys.meta_path.append(_MissingOpsFinder())


# --- 3. weights_only loading ---------------------------------------------
def _getattr_allowed() -> dict:
    """Attributes that mmengine's checkpoints pickle as ``getattr(cls, name)``:
    a message hub's statistics methods and OneCycle's annealing function.

    A ``HistoryBuffer`` pickles the statistics methods it knows, the four
    that ``HistoryBuffer._set_default_statistics`` registers. Nothing else is
    allowed: ``register_statistics``, say, is a classmethod that changes the
    class for every buffer, and a method's ``__globals__`` would reach any
    module.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    from mmengine.optim.scheduler.param_scheduler import \
        OneCycleParamScheduler
    return {
        HistoryBuffer: {'min', 'max', 'current', 'mean'},
        OneCycleParamScheduler: {'_annealing_cos', '_annealing_linear'},
    }


def _restricted_getattr(obj, name):
    """``getattr`` limited to :func:`_getattr_allowed`.

    Allow-listing the real ``getattr`` would let a crafted checkpoint reach
    any module's globals, so the unpickler gets this narrow version under
    that name instead.
    """
    if name in _getattr_allowed().get(obj, ()):
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'refusing getattr({obj!r}, {name!r}) while loading a checkpoint '
        'with weights_only=True')


def _mmengine_checkpoint_globals() -> list:
    """Non-tensor types that mmengine's own checkpoints pickle."""
    import numpy as np
    from mmengine.logging.history_buffer import HistoryBuffer
    from mmengine.optim.scheduler.param_scheduler import \
        OneCycleParamScheduler
    try:
        multiarray = np._core.multiarray
    except AttributeError:
        multiarray = np.core.multiarray
    dtype_classes = [type(np.dtype(t)) for t in (
        'float64', 'float32', 'float16', 'int64', 'int32', 'int8', 'uint8',
        'bool')]
    return [
        HistoryBuffer, OneCycleParamScheduler, multiarray._reconstruct,
        multiarray.scalar, np.ndarray, np.dtype, *dtype_classes,
        (_restricted_getattr, 'builtins.getattr')
    ]


def _patch_weights_only() -> None:
    add = getattr(torch.serialization, 'add_safe_globals', None)
    if add is not None:
        add(_mmengine_checkpoint_globals())


# --- 4. rich's progress thread -------------------------------------------
def _patch_progress() -> None:
    from mmocr.apis.inferencers import base_mmocr_inferencer
    rich_track = base_mmocr_inferencer.track

    def track(sequence, *args, disable: bool = False, **kwargs):
        if disable:
            return sequence
        return rich_track(sequence, *args, **kwargs)

    base_mmocr_inferencer.track = track


def apply() -> None:
    """Close the four gaps; safe to call more than once."""
    global _APPLIED
    if _APPLIED:
        return
    _patch_torchvision()
    _patch_mmcv()
    _patch_weights_only()
    _patch_progress()
    _APPLIED = True
