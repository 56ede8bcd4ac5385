"""Images without labels from an LMDB, for self-supervised pretraining."""
import logging
import os.path as osp
from typing import Any, List, Optional, Sequence, Set, Union

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log
from mmocr.registry import DATASETS

from .image_decoder import ImageReadError
from .lmdb_reader import LMDBReader
from .lmdb_writer import IMAGE_KEY


@DATASETS.register_module()
class UnlabeledLMDBDataset(BaseDataset):
    """Every image of one LMDB, labels (if any) ignored.

    Reads ``num-samples`` and ``image-%09d`` (1-based, with
    :class:`~.lmdb_reader.LMDBReader`), the layout of Union14M-U and of the
    labelled CLL-STR/MMOCR recognition LMDBs, whose ``label-%09d`` keys are
    simply not read. Images decode with PIL like every other image of the
    project (:func:`~.image_decoder.decode_image`), as the original LMIM
    did. Unlike
    :class:`mmocr.datasets.RecogLMDBDataset` it keeps no per-sample list
    (Union14M-U has ~10M images): sample ``i`` is ``image-{i+1:09d}``.

    A missing or undecodable image makes :meth:`prepare_data` return None,
    so in training MMEngine draws another sample (up to ``max_refetch``
    times); each such image is logged once per process (every epoch would
    otherwise repeat it). Combine several LMDBs with ``ConcatDataset``.

    Each item given to the pipeline has ``img`` (BGR ``uint8``),
    ``img_path`` (``<lmdb>/image-%09d``), ``img_shape``, ``ori_shape`` and
    ``sample_idx``.

    Args:
        ann_file (str): The LMDB folder (holding ``data.mdb``), relative to
            ``data_root`` if that is given.
        data_root (str): Root folder. Defaults to ''.
        indices (int or sequence of int, optional): Keep the first N samples
            (int) or these sample indices. Defaults to None (all).
        pipeline (list): Transforms. Defaults to [].
        test_mode (bool): Defaults to False.
        lazy_init (bool): Open the LMDB only when first used.
            Defaults to False.
        max_refetch (int): Draws allowed to replace an unreadable image.
            Defaults to 1000.
    """

    def __init__(self,
                 ann_file: str,
                 data_root: Optional[str] = '',
                 indices: Optional[Union[int, Sequence[int]]] = None,
                 pipeline: List[Union[dict, Any]] = [],
                 test_mode: bool = False,
                 lazy_init: bool = False,
                 max_refetch: int = 1000) -> None:
        self._sample_ids: Union[range, List[int]] = range(0)
        self._reported: Set[int] = set()
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            indices=indices,
            serialize_data=False,
            pipeline=pipeline,
            test_mode=test_mode,
            lazy_init=lazy_init,
            max_refetch=max_refetch)

    def full_init(self) -> None:
        """Read ``num-samples`` and apply ``indices``; no per-sample list."""
        if self._fully_initialized:
            return
        self.reader = LMDBReader(self.ann_file)
        total = self.reader.num_samples()
        ids: Union[range, List[int]] = range(total)
        if isinstance(self._indices, int):
            ids = range(min(self._indices, total))
        elif self._indices is not None:
            ids = list(self._indices)
            bad = [i for i in ids if not 0 <= i < total]
            if bad:
                raise IndexError(
                    f'UnlabeledLMDBDataset: indices {bad[:5]} out of range '
                    f'for {self.ann_file} ({total} samples)')
        self._sample_ids = ids
        self._fully_initialized = True

    def __len__(self) -> int:
        if not self._fully_initialized:
            self.full_init()
        return len(self._sample_ids)

    def get_data_info(self, idx: int) -> dict:
        """Key and index of the ``idx``-th sample (no image read)."""
        sample_id = self._sample_ids[idx]
        key = IMAGE_KEY % (sample_id + 1)
        return dict(
            img_key=key,
            img_path=osp.join(self.ann_file, key),
            sample_idx=sample_id)

    def prepare_data(self, idx: int) -> Any:
        """Read and decode one image, then run the pipeline.

        Returns:
            The pipeline's output, or None if the image cannot be read.
        """
        info = self.get_data_info(idx)
        try:
            img = self.reader.image(info['sample_idx'] + 1, 'bgr')
        except ImageReadError as error:
            if info['sample_idx'] not in self._reported:
                self._reported.add(info['sample_idx'])
                print_log(
                    f'UnlabeledLMDBDataset: {info["img_path"]} cannot be '
                    f'read ({error}); skipped',
                    logger='current',
                    level=logging.WARNING)
            return None
        info.update(img=img, img_shape=img.shape[:2], ori_shape=img.shape[:2])
        return self.pipeline(info)
