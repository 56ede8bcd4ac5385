"""The compatibility layer: the stack imports and checkpoints round-trip on
modern PyTorch without compiled mmcv ops."""
import pickle

import numpy as np
import pytest
import torch

from cllstr_mm.utils import compat


def test_mmocr_apis_import_and_register():
    import mmocr.apis  # noqa: F401
    import mmocr.models  # noqa: F401
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules
    register_all_modules()
    assert MODELS.get('CRNN') is not None


def test_torchvision_imports_and_transforms_work():
    import torchvision.transforms as T
    img = torch.rand(3, 8, 8)
    out = T.Resize((4, 4), antialias=True)(img)
    assert out.shape == (3, 4, 4)


def test_missing_mmcv_op_names_op_and_remedy():
    import mmcv._ext as ext
    if compat.mmcv_ops_available():
        pytest.fail('this test expects mmcv-lite; full mmcv is installed')
    with pytest.raises(compat.MissingMMCVOpError) as err:
        ext.nms(torch.zeros(1, 4), torch.zeros(1), 0.5)
    assert '`nms`' in str(err.value)
    assert 'tools/install.sh --full-mmcv' in str(err.value)


def test_apply_is_idempotent():
    import sys
    finders = sum(isinstance(f, compat._MissingOpsFinder) for f in sys.meta_path)
    compat.apply()
    compat.apply()
    assert sum(isinstance(f, compat._MissingOpsFinder)
               for f in sys.meta_path) == finders == 1


def _message_hub_checkpoint(tmp_path):
    from mmengine.logging import MessageHub
    hub = MessageHub.get_instance('compat-test')
    hub.update_scalar('train/loss', 1.5)
    hub.update_scalar('train/loss', np.float64(0.5))
    path = tmp_path / 'ckpt.pth'
    torch.save({'message_hub': hub.state_dict(),
                'meta': {'seed': np.int64(21), 'arr': np.arange(3.0)},
                'state_dict': {'w': torch.ones(2)}}, path)
    return path


def test_mmengine_checkpoint_loads_with_weights_only(tmp_path):
    from mmengine.runner import load_checkpoint
    path = _message_hub_checkpoint(tmp_path)
    ckpt = torch.load(path, weights_only=True)
    buf = ckpt['message_hub']['log_scalars']['train/loss']
    assert buf.mean() == pytest.approx(1.0)
    assert ckpt['meta']['seed'] == 21
    model = torch.nn.Module()
    model.w = torch.nn.Parameter(torch.zeros(2))
    load_checkpoint(model, str(path))
    assert torch.equal(model.w.data, torch.ones(2))


def test_weights_only_still_refuses_code(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ('pwned',))

    path = tmp_path / 'evil.pth'
    torch.save({'x': Evil()}, path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)


def test_restricted_getattr_refuses_other_objects():
    from mmengine.logging.history_buffer import HistoryBuffer
    assert compat._restricted_getattr(HistoryBuffer, 'mean') \
        is HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError):
        compat._restricted_getattr(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError):
        compat._restricted_getattr(np, 'load')


class _GetattrPayload:
    """Pickles as ``getattr(obj, name)``, as a crafted checkpoint would."""

    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __reduce__(self):
        return (getattr, (self.obj, self.name))


def test_crafted_getattr_payloads_are_refused(tmp_path):
    from mmengine.logging.history_buffer import HistoryBuffer
    from mmengine.optim.scheduler.param_scheduler import \
        OneCycleParamScheduler
    methods = dict(HistoryBuffer._statistics_methods)
    # What real checkpoints hold loads ...
    allowed = tmp_path / 'allowed.pth'
    torch.save({'m': _GetattrPayload(HistoryBuffer, 'mean'),
                'a': _GetattrPayload(OneCycleParamScheduler,
                                     '_annealing_cos')}, allowed)
    loaded = torch.load(allowed, weights_only=True)
    assert loaded['m'] is HistoryBuffer.mean
    assert loaded['a'] is OneCycleParamScheduler._annealing_cos
    # ... anything else reached through builtins.getattr does not.
    for obj, name in [(HistoryBuffer, 'register_statistics'),
                      (HistoryBuffer.mean, '__globals__'),
                      (HistoryBuffer, '__init__'),
                      (np.ndarray, 'tofile')]:
        path = tmp_path / f'{name}.pth'
        torch.save({'x': _GetattrPayload(obj, name)}, path)
        with pytest.raises(pickle.UnpicklingError,
                           match=f'refusing getattr.*{name!r}'):
            torch.load(path, weights_only=True)
    assert HistoryBuffer._statistics_methods == methods


def test_a_disabled_progress_bar_starts_no_thread():
    """mmocr's inferencers call ``track(..., disable=not progress_bar)``:
    disabled, the sequence itself comes back (rich would start its refresh
    thread, about 2 ms a call); enabled, rich's bar still counts."""
    import threading
    from mmocr.apis.inferencers import base_mmocr_inferencer
    items = [1, 2, 3]
    before = threading.active_count()
    assert base_mmocr_inferencer.track(items, description='x',
                                       disable=True) is items
    assert threading.active_count() == before
    assert list(base_mmocr_inferencer.track(items, description='x')) == items
