"""MMEngine's local file backend with atomic writes."""
import contextlib
from pathlib import Path
from typing import Iterator, List, Optional, Union

from mmengine.fileio import LocalBackend, register_backend

from cllstr_mm.utils.checkpoint import atomic_write


@register_backend('cllstr_atomic_local')
class AtomicLocalBackend(LocalBackend):
    """``LocalBackend`` whose ``put``/``put_text`` write through
    :func:`~cllstr_mm.utils.checkpoint.atomic_write` (a file is the old one
    or the complete new one, even if the process is killed), and whose
    removals can be held back until a save has completed
    (:meth:`hold_removals`).

    MMEngine's ``Runner.save_checkpoint`` writes through the backend that
    ``backend_args=dict(backend='cllstr_atomic_local')`` names;
    :class:`~cllstr_mm.engine.hooks.AtomicCheckpointHook` sets it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._held: Optional[List[Union[str, Path]]] = None

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        with atomic_write(str(filepath)) as f:
            f.write(obj)

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        self.put(obj.encode(encoding), filepath)

    def remove(self, filepath: Union[str, Path]) -> None:
        if self._held is not None:
            self._held.append(filepath)
        else:
            super().remove(filepath)

    @contextlib.contextmanager
    def hold_removals(self) -> Iterator[None]:
        """Removals asked for inside the block happen when it completes,
        not at all if it raises (nested blocks join the outermost)."""
        if self._held is not None:
            yield
            return
        self._held = []
        try:
            yield
            held, self._held = self._held, None
            for path in held:
                if self.isfile(path):
                    super().remove(path)
        finally:
            self._held = None
