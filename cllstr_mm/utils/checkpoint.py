"""Checkpoints of this project: the one check that a state dict fits a model,
the mixin that applies it to every load into our models, and the one
atomic write every checkpoint goes through."""
import contextlib
import fnmatch
import os
import os.path as osp
import tempfile
from typing import (IO, Iterator, List, Mapping, Optional, Sequence, Tuple,
                    Union)

import torch
import torch.nn as nn

__all__ = [
    'CheckpointMismatchError', 'check_state_dict', 'key_matches',
    'CheckpointFitMixin',
    'atomic_write', 'save_atomic'
]

_MAX_LISTED = 20

#: Key prefixes (after ``module.``) of checkpoints saved by the original
#: code bases, and the converter that makes them loadable.
_ORIGINAL_FORMATS = (
    (('FeatureExtraction.', 'SequenceModeling.', 'Prediction.'),
     'an original CLL-STR checkpoint',
     'tools/model_converters/cllstr_to_mmocr.py'),
    (('model_maeenc.', 'model_maeenc_momentum.', 'linear_norm.'),
     'an original LMIM/MAE checkpoint',
     'tools/model_converters/lmim_to_mmocr.py'),
)


class CheckpointMismatchError(ValueError):
    """A state dict does not fit a model (keys or shapes differ)."""


def _shape(value) -> str:
    if isinstance(value, torch.Tensor):
        return str(tuple(value.shape))
    return f'<{type(value).__name__}>'


def _listing(title: str, lines: List[str]) -> List[str]:
    if not lines:
        return []
    shown = lines[:_MAX_LISTED]
    if len(lines) > _MAX_LISTED:
        shown.append(f'... and {len(lines) - _MAX_LISTED} more')
    return [f'  {title} ({len(lines)}):'] + [f'    {line}' for line in shown]


def _original_format(
        state_dict: Mapping[str, object]) -> Optional[Tuple[str, str]]:
    """(what it is, converter) when ``state_dict`` is an original code
    base's: most keys have its prefixes, or (MAE, MAERec, LMIM) the weights
    are under ``'model'``."""
    if isinstance(state_dict.get('model'), Mapping):
        return _ORIGINAL_FORMATS[1][1:]
    stripped = [k[len('module.'):] if k.startswith('module.') else k
                for k in state_dict]
    for prefixes, what, converter in _ORIGINAL_FORMATS:
        if stripped and sum(k.startswith(prefixes)
                            for k in stripped) * 2 > len(stripped):
            return what, converter
    return None


def key_matches(key: str, patterns: Sequence[str]) -> bool:
    """Whether ``key`` matches one of the ``fnmatch`` ``patterns``."""
    return any(fnmatch.fnmatchcase(key, p) for p in patterns)


def check_state_dict(state_dict: Mapping[str, torch.Tensor],
                     model: Union[nn.Module, Mapping[str, torch.Tensor]],
                     source: str = 'the checkpoint',
                     exclude: Sequence[str] = (),
                     target: Optional[str] = None) -> None:
    """Check that ``state_dict`` fits ``model`` exactly: the same keys, each
    with the same shape. Every checkpoint-vs-model check of the project is
    this one.

    Args:
        state_dict (Mapping[str, Tensor]): The weights to load, in the
            model's key names.
        model (nn.Module or Mapping[str, Tensor]): The model, or its
            ``state_dict()``.
        source (str): Name of the weights (a file), for the message.
        exclude (Sequence[str]): ``fnmatch`` patterns of keys left out of the
            check on either side (a deliberate partial load, e.g.
            ``'decoder.*'``).
        target (str, optional): What the model is, for the message.
            Defaults to its class name.

    Raises:
        CheckpointMismatchError: Lists the keys with other shapes (expected
            vs found), the keys the checkpoint lacks and the keys the model
            lacks; for a checkpoint of an original code base, names the
            converter to run first.
    """
    expected = model.state_dict() if isinstance(model, nn.Module) else model
    if target is None:
        target = type(model).__name__ if isinstance(model,
                                                    nn.Module) else 'model'

    def checked(key):
        return not key_matches(key, exclude)

    mismatched = [
        f'{key}: expected {_shape(value)}, found {_shape(state_dict[key])}'
        for key, value in expected.items() if checked(key)
        and key in state_dict and _shape(state_dict[key]) != _shape(value)
    ]
    missing = [
        f'{key} {_shape(value)}' for key, value in expected.items()
        if checked(key) and key not in state_dict
    ]
    unexpected = [
        f'{key} {_shape(value)}' for key, value in state_dict.items()
        if checked(key) and key not in expected
    ]
    if not (mismatched or missing or unexpected):
        return
    original = _original_format(state_dict)
    if original is not None:
        what, converter = original
        raise CheckpointMismatchError(
            f'{source} is {what} (keys such as '
            f'{sorted(state_dict)[0]!r}), not one of this project: convert '
            f'it first with `python {converter} SRC DST` and load DST.')
    lines = [
        f'{source} does not fit {target} (another model, size or class '
        'count?):'
    ]
    lines += _listing('shape mismatches', mismatched)
    lines += _listing('missing from the checkpoint', missing)
    lines += _listing('not in the model', unexpected)
    raise CheckpointMismatchError('\n'.join(lines))


class CheckpointFitMixin:
    """Makes every load into a model strict, however it is loaded.

    MMEngine loads checkpoints non-strictly (``load_from``, ``resume``,
    ``load_checkpoint`` and the inferencers' ``weights`` all merely warn on a
    misfit, so a wrong or unconverted checkpoint runs with random weights).
    Both MMEngine's and PyTorch's loaders pass the whole state dict to the
    model's own ``_load_from_state_dict``; here it is checked with
    :func:`check_state_dict` first. Put it before the model class:
    ``class CLLSVTR(CheckpointFitMixin, SVTR)``.
    """

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        own = {
            key[len(prefix):]: value
            for key, value in state_dict.items() if key.startswith(prefix)
        }
        check_state_dict(own, self)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: str, mode: str = 'wb') -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on success it is
    flushed to disk and renamed to ``path``, so ``path`` is the old file or
    the complete new one, never a part, even if the process is killed.

    The temporary file is ``.NAME.XXXX.tmp`` in the same folder (removed if
    the block raises; left behind only by a killed process).
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=folder)
    try:
        # mkstemp creates the file 0600; give it a new file's permissions
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    # the rename itself is on disk once the folder is
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save_atomic(obj: object, path: str) -> None:
    """``torch.save(obj, path)`` through :func:`atomic_write`."""
    with atomic_write(path) as f:
        torch.save(obj, f)
