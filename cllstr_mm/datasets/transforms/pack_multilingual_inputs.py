# Copyright (c) cllstr_mm contributors. All rights reserved.
from typing import Sequence

from mmocr.datasets.transforms import PackTextRecogInputs
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackMultilingualTextRecogInputs(PackTextRecogInputs):
    """MMOCR's :class:`PackTextRecogInputs` that also packs the meta keys
    only a multilingual data set supplies, when the sample has them.

    Our LMDB samples carry ``lang``, the language of the folder they come
    from, by which ``MultilingualRecogMetric`` groups its scores. An image
    handed to MMOCR's inferencers has no folder, and MMOCR's packer raises
    ``KeyError`` for any missing meta key, so ``lang`` is optional here:
    ``tools/test.py`` and the inferencers run the same pipeline. A test
    sample whose image cannot be read carries ``unreadable=True``
    (``LangLMDBDataset``), packed so that the metric leaves it out, and a
    crop folder's sample its ``subset`` (``CropFolderDataset``), by which
    one of several metrics picks it out of a concatenated validation set.

    Args:
        meta_keys (Sequence[str]): Keys every sample has, as in MMOCR.
        optional_meta_keys (Sequence[str]): Keys packed when present.
            Defaults to ``('lang', 'unreadable', 'subset')``.
    """

    def __init__(self,
                 meta_keys: Sequence[str] = ('img_path', 'ori_shape',
                                             'img_shape', 'pad_shape',
                                             'valid_ratio'),
                 optional_meta_keys: Sequence[str] = ('lang', 'unreadable',
                                                      'subset')
                 ) -> None:
        super().__init__(meta_keys=meta_keys)
        self.optional_meta_keys = tuple(optional_meta_keys)

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        packed['data_samples'].set_metainfo({
            key: results[key]
            for key in self.optional_meta_keys if key in results
        })
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(meta_keys={self.meta_keys}, '
                f'optional_meta_keys={self.optional_meta_keys})')
