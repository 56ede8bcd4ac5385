"""Batch several views of each image for the pretrainers."""
from typing import Optional, Sequence, Union

from mmengine.model import ImgDataPreprocessor
from mmocr.registry import MODELS


@MODELS.register_module()
class MultiViewDataPreprocessor(ImgDataPreprocessor):
    """Normalise images that carry several views each.

    :class:`PackMultiViewInputs` packs every sample as one ``uint8`` tensor
    ``[V, 3, H, W]`` (e.g. LMIM's clean and guidance views). The views are
    flattened into one batch for MMEngine's :class:`ImgDataPreprocessor`
    (BGR to RGB, ``(x - mean) / std``, move to the device) and reshaped
    back, so the model gets ``[B, V, 3, H, W]``.

    Args:
        mean (sequence of float): Per-channel mean, RGB. Defaults to 127.5
            for all (LMIM's ``Normalize(0.5, 0.5)`` on [0, 1] images).
        std (sequence of float): Per-channel std. Defaults to 127.5.
        bgr_to_rgb (bool): The pipeline's images are BGR (mmcv); the
            originals read RGB. Defaults to True.
    """

    def __init__(self,
                 mean: Sequence[Union[float, int]] = (127.5, 127.5, 127.5),
                 std: Sequence[Union[float, int]] = (127.5, 127.5, 127.5),
                 bgr_to_rgb: bool = True,
                 non_blocking: Optional[bool] = False) -> None:
        super().__init__(
            mean=mean,
            std=std,
            bgr_to_rgb=bgr_to_rgb,
            non_blocking=non_blocking)

    def forward(self, data: dict, training: bool = False) -> dict:
        """
        Args:
            data (dict): ``inputs``: list of B tensors ``[V, 3, H, W]``;
                ``data_samples`` (optional): passed through.

        Returns:
            dict: ``inputs`` ``[B, V, 3, H, W]`` float, ``data_samples``.
        """
        samples = data['inputs']
        shapes = {tuple(sample.shape) for sample in samples}
        if len(shapes) != 1 or len(next(iter(shapes))) != 4:
            raise ValueError(
                'MultiViewDataPreprocessor needs every sample packed as '
                f'[V, 3, H, W] with one common shape, got {sorted(shapes)}; '
                'resize all views to one size and pack them with '
                'PackMultiViewInputs')
        num_views = samples[0].shape[0]
        views = [view for sample in samples for view in sample.unbind(0)]
        out = super().forward(
            dict(inputs=views, data_samples=data.get('data_samples')),
            training)
        inputs = out['inputs']
        out['inputs'] = inputs.view(len(samples), num_views,
                                    *inputs.shape[1:])
        return out
