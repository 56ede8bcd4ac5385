"""cllstr_mm: multilingual scene text recognition on MMOCR 1.x.

Importing the package first makes the dependency stack work on modern
PyTorch (:mod:`cllstr_mm.utils.compat`), then registers every module into
MMOCR's registries, so configs keep ``default_scope = 'mmocr'``.
"""
from .utils import compat

compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from . import apis, visualization  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__']
