import io
import logging
import os
import os.path as osp
import pickle
from typing import Callable, Dict, List, Optional, Tuple, Union

import lmdb
import numpy as np
import torch
from mmengine.logging import print_log
from PIL import Image

from mmocr.datasets import RecogLMDBDataset
from mmocr.registry import DATASETS
from .labels import label_length_limit
from .lmdb_writer import IMAGE_KEY, LABEL_KEY, NUM_SAMPLES_KEY


def decode_rgb(img_bytes: Optional[bytes]) -> Optional[np.ndarray]:
    """Decode encoded image bytes as the original did (PIL, ``convert('RGB')``,
    no EXIF rotation).

    Returns:
        np.ndarray | None: ``[H, W, 3]`` uint8 RGB, or None when the bytes are
        missing, empty or cannot be decoded.
    """
    if not img_bytes:
        return None
    try:
        with Image.open(io.BytesIO(img_bytes)) as image:
            img = np.array(image.convert('RGB'))
    # PIL reports broken data with many exception types (OSError,
    # ValueError, SyntaxError, DecompressionBombError, ...).
    except Exception:
        return None
    return img if img.size else None


@DATASETS.register_module()
class LangLMDBDataset(RecogLMDBDataset):
    """One CLL-STR LMDB folder whose samples all belong to one language.

    Same keys and ``data_info`` layout as :class:`RecogLMDBDataset`
    (``num-samples``, ``image-%09d``, ``label-%09d``, 1-based), plus what the
    original CLL-STR reader did and MMOCR's does not:

    - the length filter (:func:`~cllstr_mm.datasets.labels.label_length_limit`:
      more than 25 code points, or 49 for Arabic/Devanagari/Bengali labels,
      is dropped), then a cap ``max_samples`` keeping the first N labels left;
    - every ``data_info`` carries ``lang`` and an ``img_path`` of the form
      ``<lmdb folder>/image-000000001``;
    - images decode with PIL like the original (MMOCR uses cv2); the array
      is BGR by default, the order MMOCR's file loaders and inferencers give,
      so one data preprocessor (``bgr_to_rgb=True``) serves training and
      inference and the model sees RGB as in the original.

    Unreadable images (missing key, undecodable bytes) are skipped and
    counted, never replaced by a blank image as the original did. With
    ``verify_images`` every kept image is decoded once at load time and the
    unreadable ones are dropped (0.1-0.3 ms per word crop here: seconds for
    an evaluation set, minutes for a full SynthMLT set). Without it
    images are only decoded when loaded: an unreadable one makes
    :meth:`prepare_data` return None, so MMEngine's ``BaseDataset`` loads
    another random index of this folder instead, and a warning is logged the
    first time each one is met. The flags live in shared memory, so counts
    found in DataLoader workers show in :meth:`statistics` of the main
    process. In test mode an unreadable image cannot be skipped (the
    evaluation order is fixed), which is why ``verify_images`` defaults to
    ``test_mode``.

    Args:
        ann_file: Path of the LMDB folder (joined to ``data_root`` if
            relative).
        lang: Language code stored in every ``data_info`` (e.g. ``'KOR'``).
        max_samples: Keep only the first N samples left after the length
            filter; None keeps all.
        verify_images: Decode every kept image at load time and drop the
            unreadable ones. None means ``test_mode``.
        channel_order: ``'bgr'`` or ``'rgb'``: channel order of
            ``data_info['img']``.
        data_root, pipeline, test_mode, serialize_data, lazy_init,
            max_refetch, metainfo: As in :class:`mmengine.dataset.BaseDataset`.
    """

    def __init__(self,
                 ann_file: str,
                 lang: str,
                 max_samples: Optional[int] = None,
                 verify_images: Optional[bool] = None,
                 channel_order: str = 'bgr',
                 metainfo: Optional[dict] = None,
                 data_root: Optional[str] = '',
                 pipeline: List[Union[dict, Callable]] = [],
                 test_mode: bool = False,
                 serialize_data: bool = True,
                 lazy_init: bool = False,
                 max_refetch: int = 1000) -> None:
        self.lang = lang
        self.max_samples = max_samples
        self.verify_images = test_mode if verify_images is None \
            else verify_images
        if channel_order not in ('bgr', 'rgb'):
            raise ValueError(
                f"channel_order={channel_order!r}; use 'bgr' or 'rgb'")
        self.channel_order = channel_order
        self._counts: Dict[str, int] = {}
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            pipeline=pipeline,
            test_mode=test_mode,
            serialize_data=serialize_data,
            lazy_init=lazy_init,
            max_refetch=max_refetch)

    def _make_env(self) -> None:
        """Open the LMDB read-only, once per process: an environment must not
        be used across ``fork`` (DataLoader workers)."""
        if getattr(self, '_env_pid', None) == os.getpid() and \
                hasattr(self, 'env'):
            return
        path = self.ann_file
        if not osp.isdir(path) or not osp.isfile(osp.join(path, 'data.mdb')):
            raise FileNotFoundError(
                f'{path} is not an LMDB: it has no data.mdb (empty or wrong '
                'folder); build one with tools/dataset_converters/'
                'gt_to_lmdb.py')
        try:
            self.env = lmdb.open(
                path, readonly=True, lock=False, readahead=False,
                meminit=False)
        except lmdb.Error as e:
            raise ValueError(f'{path} is not a readable LMDB: {e}') from e
        self._env_pid = os.getpid()

    def close(self) -> None:
        super().close()
        self.__dict__.pop('_env_pid', None)

    def __getstate__(self) -> dict:
        # Spawned workers and deep copies reopen the LMDB themselves.
        state = self.__dict__.copy()
        state.pop('env', None)
        state.pop('_env_pid', None)
        return state

    def load_data_list(self) -> List[dict]:
        """Read every label; images stay in the LMDB.

        Returns:
            list[dict]: ``img_key`` and ``instances=[dict(text=label)]`` per
            sample, in LMDB order.
        """
        self._make_env()
        path = self.ann_file
        with self.env.begin(write=False) as txn:
            raw = txn.get(NUM_SAMPLES_KEY.encode())
            if raw is None:
                raise KeyError(f'{path}: the LMDB has no {NUM_SAMPLES_KEY!r} '
                               'key; it was not written in the CLL-STR / '
                               'MMOCR recognition layout')
            try:
                num_samples = int(raw.decode('ascii'))
            except (UnicodeDecodeError, ValueError):
                raise ValueError(f'{path}: key {NUM_SAMPLES_KEY!r} holds '
                                 f'{raw[:32]!r}, not an integer') from None
            if num_samples <= 0:
                raise ValueError(f'{path}: {NUM_SAMPLES_KEY!r} is '
                                 f'{num_samples}; the LMDB holds no samples')
            data_list = []
            for idx in range(1, num_samples + 1):
                label = txn.get((LABEL_KEY % idx).encode())
                if label is None:
                    raise KeyError(
                        f'{path}: key {LABEL_KEY % idx!r} is missing but '
                        f'{NUM_SAMPLES_KEY!r} says {num_samples}')
                data_list.append(
                    self.parse_data_info(
                        (IMAGE_KEY % idx, label.decode('utf-8'))))
        # Indexed by LMDB sample number; shared so that flags set in
        # DataLoader workers are seen by the main process.
        self._unreadable = torch.zeros(
            num_samples + 1, dtype=torch.bool).share_memory_()
        self._counts = dict(num_samples=num_samples)
        return data_list

    def filter_data(self) -> List[dict]:
        """Length filter, then the ``max_samples`` cap, then (with
        ``verify_images``) drop unreadable images; each step is counted."""
        kept = [
            info for info in self.data_list
            if len(info['instances'][0]['text']) <= label_length_limit(
                info['instances'][0]['text'])
        ]
        self._counts['too_long'] = len(self.data_list) - len(kept)
        capped = 0
        if self.max_samples is not None and len(kept) > self.max_samples:
            capped = len(kept) - self.max_samples
            kept = kept[:self.max_samples]
        self._counts['capped'] = capped
        if self.verify_images:
            readable, dropped = [], []
            for info in kept:
                ok = self._read_image(info['img_key'], warn=False) is not None
                (readable if ok else dropped).append(info)
            if dropped:
                keys = ', '.join(info['img_key'] for info in dropped[:5])
                more = f' (+{len(dropped) - 5} more)' \
                    if len(dropped) > 5 else ''
                print_log(
                    f'{self.ann_file}: dropped {len(dropped)} missing or '
                    f'undecodable images: {keys}{more}',
                    logger='current',
                    level=logging.WARNING)
            kept = readable
        return kept

    def _serialize_data(self) -> Tuple[np.ndarray, np.ndarray]:
        """MMEngine's serialisation without its ``gc.collect()`` (about 0.5 s
        a call once torch is loaded, paid once per LMDB folder here) and
        without its failure on an empty list (a cap of 0, or every label too
        long)."""
        chunks = [
            np.frombuffer(pickle.dumps(info, protocol=4), dtype=np.uint8)
            for info in self.data_list
        ]
        address = np.cumsum([len(c) for c in chunks], dtype=np.int64)
        data_bytes = np.concatenate(chunks) if chunks else np.zeros(
            0, dtype=np.uint8)
        self.data_list.clear()
        return data_bytes, address

    def full_init(self) -> None:
        if self._fully_initialized:
            return
        super().full_init()
        # Forked DataLoader workers then open their own environment.
        self.close()

    def get_data_info(self, idx: int) -> dict:
        """``data_info`` of sample ``idx`` with ``lang`` and ``img_path``
        added (kept out of the serialised list to save memory)."""
        data_info = super().get_data_info(idx)
        data_info['lang'] = self.lang
        data_info['img_path'] = osp.join(self.ann_file, data_info['img_key'])
        return data_info

    def _read_image(self, img_key: str, warn: bool = True
                    ) -> Optional[np.ndarray]:
        """``[H, W, 3]`` uint8 image of ``img_key`` in ``channel_order``,
        or None (flagged and counted) when it is missing or undecodable."""
        number = int(img_key.rsplit('-', 1)[1])
        if self._unreadable[number]:
            return None
        self._make_env()
        with self.env.begin(write=False) as txn:
            img = decode_rgb(txn.get(img_key.encode()))
        if img is None:
            self._unreadable[number] = True
            if warn:
                print_log(
                    f'{self.ann_file}: {img_key} is missing or cannot be '
                    'decoded; skipped (unreadable in this folder so far: '
                    f'{int(self._unreadable.sum())})',
                    logger='current',
                    level=logging.WARNING)
        elif self.channel_order == 'bgr':
            img = np.ascontiguousarray(img[..., ::-1])
        return img

    def prepare_data(self, idx: int) -> Optional[dict]:
        """Decode sample ``idx`` into ``data_info['img']`` and run the
        pipeline; None (so another index is loaded) if the image is
        unreadable."""
        data_info = self.get_data_info(idx)
        img = self._read_image(data_info['img_key'])
        if img is None:
            if self.test_mode:
                raise RuntimeError(
                    f'{data_info["img_path"]} cannot be decoded and a test '
                    'set cannot skip samples; set verify_images=True to drop '
                    'unreadable images when the dataset is loaded')
            return None
        data_info['img'] = img
        return self.pipeline(data_info)

    def statistics(self) -> Dict[str, Union[str, int]]:
        """Sample counts of this folder.

        Returns:
            dict: ``lang``; ``num_samples`` (in the LMDB); ``too_long``
            (dropped by the length filter); ``capped`` (beyond
            ``max_samples``); ``unreadable`` (found so far: all of them with
            ``verify_images``, else those met while loading); ``kept`` (the
            rest, the samples that can be loaded).
        """
        self.full_init()
        counts = self._counts
        unreadable = int(self._unreadable.sum())
        return dict(
            lang=self.lang,
            num_samples=counts['num_samples'],
            too_long=counts['too_long'],
            capped=counts['capped'],
            unreadable=unreadable,
            kept=counts['num_samples'] - counts['too_long'] -
            counts['capped'] - unreadable)
