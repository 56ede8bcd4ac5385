import logging
import os.path as osp
import pickle
from collections import Counter
from typing import Callable, Dict, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import print_log

from mmocr.datasets import RecogLMDBDataset
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import DATASETS
from cllstr_mm.models.common.dictionary import build_dictionary
from .image_decoder import CHANNEL_ORDERS, ImageReadError
from .labels import count_unknown, label_length_limit
from .lmdb_reader import LMDBReader
from .lmdb_writer import IMAGE_KEY

#: What an unreadable image of a test set is replaced by, so that the
#: evaluation keeps its order; the sample is packed with ``unreadable=True``
#: and left out of the scores by ``MultilingualRecogMetric``.
_PLACEHOLDER_SHAPE = (32, 100, 3)


@DATASETS.register_module()
class LangLMDBDataset(RecogLMDBDataset):
    """One CLL-STR LMDB folder whose samples all belong to one language.

    Same keys and ``data_info`` layout as :class:`RecogLMDBDataset`
    (``num-samples``, ``image-%09d``, ``label-%09d``, 1-based, read by
    :class:`~.lmdb_reader.LMDBReader`), plus what the original CLL-STR
    reader did and MMOCR's does not:

    - the length filter (:func:`~cllstr_mm.datasets.labels.label_length_limit`:
      more than 25 code points, or 49 for Arabic/Devanagari/Bengali labels,
      is dropped), then a cap ``max_samples`` keeping the first N labels left;
    - every ``data_info`` carries ``lang`` and an ``img_path`` of the form
      ``<lmdb folder>/image-000000001``;
    - images decode with PIL like the original
      (:func:`~.image_decoder.decode_image`, the decoder of the inference
      tools too; MMOCR uses cv2); the array is BGR by default, the order
      MMOCR's file loaders and inferencers give, so one data preprocessor
      (``bgr_to_rgb=True``) serves training and inference and the model sees
      RGB as in the original.

    Labels holding a token outside ``dictionary`` are kept (the token trains
    as ``[UNK]``, as in the original) and counted.

    Unreadable images (missing key, undecodable bytes) are skipped and
    counted, never replaced by a blank training sample as the original did.
    With ``verify_images`` every kept image is decoded once at load time and
    the unreadable ones are dropped (0.1-0.3 ms per word crop here: seconds
    for an evaluation set, minutes for a full SynthMLT set). Without it
    images are decoded when loaded, except that loading decodes the first
    images until one is readable, so a folder none of whose images can be
    read fails before training starts. Later, in training, an unreadable
    image makes :meth:`prepare_data` return None, so MMEngine's
    ``BaseDataset`` loads another random index of this folder instead; in
    test mode (whose order is fixed) the sample is packed with
    ``unreadable=True`` on a placeholder image, and
    ``MultilingualRecogMetric`` leaves it out of the scores and counts it.
    A warning is logged the first time each one is met. The flags live in
    shared memory, so counts found in DataLoader workers show in
    :meth:`statistics` of the main process.

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
        dictionary: The recogniser's dictionary (or its config), against
            which labels are checked for unknown tokens. None: the MLT19
            ``MultilingualDictionary``.
        data_root, pipeline, test_mode, serialize_data, lazy_init,
            max_refetch, metainfo: As in :class:`mmengine.dataset.BaseDataset`.
    """

    def __init__(self,
                 ann_file: str,
                 lang: str,
                 max_samples: Optional[int] = None,
                 verify_images: Optional[bool] = None,
                 channel_order: str = 'bgr',
                 dictionary: Union[Dict, Dictionary, None] = None,
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
        if channel_order not in CHANNEL_ORDERS:
            raise ValueError(
                f"channel_order={channel_order!r}; use 'bgr' or 'rgb'")
        self.channel_order = channel_order
        self.dictionary = build_dictionary(dictionary, type(self).__name__)
        self._counts: Dict[str, int] = {}
        self.unknown_tokens: Counter = Counter()
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
        """The LMDB is read through :attr:`reader` (opened per process)."""
        if not hasattr(self, 'reader'):
            self.reader = LMDBReader(self.ann_file)

    def close(self) -> None:
        if hasattr(self, 'reader'):
            self.reader.close()

    def load_data_list(self) -> List[dict]:
        """Read every label; images stay in the LMDB.

        Returns:
            list[dict]: ``img_key`` and ``instances=[dict(text=label)]`` per
            sample, in LMDB order.
        """
        self._make_env()
        data_list = [
            self.parse_data_info((IMAGE_KEY % idx, label))
            for idx, label in self.reader.labels()
        ]
        num_samples = self.reader.num_samples()
        # Indexed by LMDB sample number; shared so that flags set in
        # DataLoader workers are seen by the main process.
        self._unreadable = torch.zeros(
            num_samples + 1, dtype=torch.bool).share_memory_()
        self._counts = dict(num_samples=num_samples)
        return data_list

    def filter_data(self) -> List[dict]:
        """Length filter, then the ``max_samples`` cap, then (with
        ``verify_images``) drop unreadable images; each step is counted, as
        are the labels left that hold unknown tokens.

        Raises:
            RuntimeError: Samples are left but none of their images can be
                decoded.
        """
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
        num_used = len(kept)
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
            any_readable = bool(readable) or not kept
            kept = readable
        else:
            # Decode until one image reads: cheap for a sound folder, and a
            # folder of broken images fails here instead of mid-training.
            any_readable = not kept or any(
                self._read_image(info['img_key'], warn=False) is not None
                for info in kept)
        if not any_readable:
            raise RuntimeError(
                f'{self.ann_file}: none of the {num_used} images it would use '
                'can be read (missing or not an image); rebuild the folder '
                'with tools/dataset_converters/gt_to_lmdb.py or leave it out '
                'of select_data')
        self._count_unknown_tokens(kept)
        return kept

    def _count_unknown_tokens(self, data_list: List[dict]) -> None:
        self._counts['with_unknown'], self.unknown_tokens = count_unknown(
            (info['instances'][0]['text'] for info in data_list),
            self.dictionary)

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
        try:
            return self.reader.image(number, self.channel_order)
        except ImageReadError as error:
            self._unreadable[number] = True
            if warn:
                print_log(
                    f'{self.ann_file}: {img_key} cannot be read ({error}); '
                    'skipped (unreadable in this folder so far: '
                    f'{int(self._unreadable.sum())})',
                    logger='current',
                    level=logging.WARNING)
            return None

    def prepare_data(self, idx: int) -> Optional[dict]:
        """Decode sample ``idx`` into ``data_info['img']`` and run the
        pipeline. An unreadable image gives None in training (another index
        is loaded) and, in test mode, a placeholder sample packed with
        ``unreadable=True``.

        Raises:
            RuntimeError: In test mode, the pipeline did not pack
                ``unreadable``, so the metric would score the placeholder.
        """
        data_info = self.get_data_info(idx)
        img = self._read_image(data_info['img_key'])
        if img is not None:
            data_info['img'] = img
            return self.pipeline(data_info)
        if not self.test_mode:
            return None
        data_info.update(
            img=np.full(_PLACEHOLDER_SHAPE, 255, dtype=np.uint8),
            unreadable=True)
        packed = self.pipeline(data_info)
        sample = packed.get('data_samples') if isinstance(packed,
                                                          dict) else None
        if sample is None or not sample.metainfo.get('unreadable'):
            raise RuntimeError(
                f'{data_info["img_path"]} cannot be decoded, and the test '
                'pipeline does not pack "unreadable" for the metric to leave '
                'it out: end the pipeline with PackMultilingualTextRecogInputs'
                ' (which packs it), or set verify_images=True to drop '
                'unreadable images when the dataset is loaded')
        return packed

    def statistics(self) -> Dict[str, Union[str, int]]:
        """Sample counts of this folder.

        Returns:
            dict: ``lang``; ``num_samples`` (in the LMDB); ``too_long``
            (dropped by the length filter); ``capped`` (beyond
            ``max_samples``); ``unreadable`` (found so far: all of them with
            ``verify_images``, else those met while loading); ``kept`` (the
            rest, the samples that can be loaded); ``with_unknown`` (labels
            left after the filter and cap, and with ``verify_images`` after
            the check, that hold a token outside the dictionary; which
            tokens: :attr:`unknown_tokens`).
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
            counts['capped'] - unreadable,
            with_unknown=counts['with_unknown'])
