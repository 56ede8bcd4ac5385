"""Pack several same-size views of an image into one tensor."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import BaseDataElement
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackMultiViewInputs(BaseTransform):
    """Stack the images under ``keys`` as ``inputs`` ``[V, 3, H, W]``.

    The pretrainers' packing step (LMIM: ``('img', 'guidance_img')``; MAE:
    ``('img',)``). The views stay ``uint8`` and BGR;
    ``MultiViewDataPreprocessor`` converts and normalises them on the
    device. ``data_samples`` is a :class:`BaseDataElement` carrying
    ``meta_keys`` as metainfo (there are no labels).

    Args:
        keys (sequence of str): Result keys of the views, in the order the
            model expects them. Defaults to ``('img', 'guidance_img')``.
        meta_keys (sequence of str): Keys copied to the metainfo when
            present. Defaults to ``('img_path', 'ori_shape', 'img_shape')``.
    """

    def __init__(self,
                 keys: Sequence[str] = ('img', 'guidance_img'),
                 meta_keys: Sequence[str] = ('img_path', 'ori_shape',
                                             'img_shape')) -> None:
        if not keys:
            raise ValueError('PackMultiViewInputs needs at least one key')
        self.keys = tuple(keys)
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        views = []
        for key in self.keys:
            if key not in results:
                raise KeyError(
                    f'PackMultiViewInputs: no "{key}" in the results (keys: '
                    f'{sorted(results)}); add the transform that makes it '
                    '(e.g. GuidanceView for "guidance_img") before packing')
            img = results[key]
            if img.ndim == 2:
                img = img[..., None]
            views.append(img)
        shapes = [view.shape for view in views]
        if len(set(shapes)) != 1:
            raise ValueError(
                f'PackMultiViewInputs: views {self.keys} have shapes '
                f'{shapes}; resize them to one size first')
        stacked = np.ascontiguousarray(np.stack(views).transpose(0, 3, 1, 2))
        data_sample = BaseDataElement(metainfo={
            key: results[key]
            for key in self.meta_keys if key in results
        })
        return dict(
            inputs=torch.from_numpy(stacked), data_samples=data_sample)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(keys={self.keys}, '
                f'meta_keys={self.meta_keys})')
