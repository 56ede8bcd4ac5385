"""Read recognition LMDBs in the CLL-STR / MMOCR layout.

The one reader of the project: the labelled and unlabelled datasets and the
charset builder all open their LMDBs through :class:`LMDBReader`, so every
one of them checks the same things and names the LMDB and the key when the
data is bad. Keys (1-based), as :mod:`.lmdb_writer` writes them:
``num-samples`` (ASCII int), ``image-%09d`` (encoded image bytes),
``label-%09d`` (UTF-8 label).
"""
import os
import os.path as osp
from typing import Iterator, Optional, Tuple

import lmdb
import numpy as np

from .image_decoder import ImageReadError, decode_image
from .lmdb_writer import IMAGE_KEY, LABEL_KEY, NUM_SAMPLES_KEY


class LMDBReader:
    """Read-only access to one LMDB folder.

    The environment is opened on first use in each process, since an LMDB
    handle must not cross a ``fork`` (DataLoader workers), and it is left
    out of pickles (spawned workers, deep copies).

    Args:
        path: Folder holding ``data.mdb``.

    Raises (on first use):
        FileNotFoundError: ``path`` holds no ``data.mdb``.
        ValueError: ``data.mdb`` is not an LMDB.
    """

    def __init__(self, path: str) -> None:
        self.path = str(path)
        self._env: Optional[lmdb.Environment] = None
        self._env_pid: Optional[int] = None
        self._num_samples: Optional[int] = None

    def _txn(self) -> lmdb.Transaction:
        if self._env is None or self._env_pid != os.getpid():
            if not osp.isfile(osp.join(self.path, 'data.mdb')):
                raise FileNotFoundError(
                    f'{self.path} is not an LMDB: it has no data.mdb (empty '
                    'or wrong folder); build one with '
                    'tools/dataset_converters/gt_to_lmdb.py')
            try:
                self._env = lmdb.open(
                    self.path,
                    readonly=True,
                    lock=False,
                    readahead=False,
                    meminit=False)
            except lmdb.Error as e:
                raise ValueError(
                    f'{self.path} is not a readable LMDB: {e}') from e
            self._env_pid = os.getpid()
        return self._env.begin(write=False)

    def num_samples(self) -> int:
        """The ``num-samples`` count, checked to be a positive integer."""
        if self._num_samples is None:
            with self._txn() as txn:
                raw = txn.get(NUM_SAMPLES_KEY.encode())
            if raw is None:
                raise KeyError(
                    f'{self.path}: the LMDB has no {NUM_SAMPLES_KEY!r} key; '
                    'it was not written in the CLL-STR / MMOCR recognition '
                    'layout (keys num-samples, image-%09d, label-%09d)')
            try:
                num = int(raw.decode('ascii'))
            except (UnicodeDecodeError, ValueError):
                raise ValueError(
                    f'{self.path}: key {NUM_SAMPLES_KEY!r} holds '
                    f'{raw[:32]!r}, not an integer; rewrite the LMDB with '
                    'tools/dataset_converters/gt_to_lmdb.py') from None
            if num <= 0:
                raise ValueError(f'{self.path}: {NUM_SAMPLES_KEY!r} is '
                                 f'{num}; the LMDB holds no samples')
            self._num_samples = num
        return self._num_samples

    def labels(self) -> Iterator[Tuple[int, str]]:
        """``(index, label)`` of every sample, 1-based, in one read
        transaction.

        Raises:
            KeyError: A ``label-%09d`` key below ``num-samples`` is missing.
            ValueError: A label is not UTF-8.
        """
        num = self.num_samples()
        with self._txn() as txn:
            for index in range(1, num + 1):
                key = LABEL_KEY % index
                raw = txn.get(key.encode())
                if raw is None:
                    raise KeyError(f'{self.path}: key {key!r} is missing but '
                                   f'{NUM_SAMPLES_KEY!r} says {num}')
                try:
                    label = raw.decode('utf-8')
                except UnicodeDecodeError as e:
                    raise ValueError(
                        f'{self.path}: key {key!r} is not UTF-8 text '
                        f'({e.reason} at byte {e.start} of {raw[:32]!r}); '
                        'labels must be stored as UTF-8') from None
                yield index, label

    def image(self, index: int, channel_order: str = 'bgr') -> np.ndarray:
        """Image ``index`` (1-based) decoded by
        :func:`~.image_decoder.decode_image`: ``[H, W, 3]`` uint8.

        Raises:
            ImageReadError: The key is missing or its bytes do not decode.
        """
        key = IMAGE_KEY % index
        with self._txn() as txn:
            img_bytes = txn.get(key.encode())
        if img_bytes is None:
            raise ImageReadError(f'key {key!r} is missing')
        return decode_image(img_bytes, channel_order)

    def close(self) -> None:
        """Close this process's environment; the next read reopens it."""
        if self._env is not None and self._env_pid == os.getpid():
            self._env.close()
        self._env = self._env_pid = None

    def __enter__(self) -> 'LMDBReader':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state['_env'] = state['_env_pid'] = None
        return state
