# Copyright (c) cllstr_mm contributors. All rights reserved.
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS


@MODELS.register_module()
class CLLVGG(BaseModule):
    """VGG feature extractor of CRNN as trained in CLL-STR.

    Written here because MMOCR's :class:`MiniVGG` is a different network
    (grayscale input, batch norm after other convs, other pooling). This one
    has seven convs with channels ``out_channels / 8, / 4, / 2, / 2, 1, 1, 1``
    times ``out_channels``, batch norm only after the 5th and 6th (which have
    no bias), ReLU after every conv, 2x2 max pools after the 1st and 2nd,
    (2, 1) pools after the 4th and 6th and a final 2x2 valid conv.
    A 32x100 input gives a ``[N, 512, 1, 24]`` map.

    Args:
        in_channels (int): Input channels. Defaults to 3 (RGB).
        out_channels (int): Output channels. Defaults to 512.
        init_cfg (dict or list[dict], optional): Initialization configs.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 3,
                 out_channels: int = 512,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if out_channels % 8:
            raise ValueError(
                f'out_channels must be a multiple of 8, got {out_channels}.')
        c1, c2, c3, c4 = (out_channels // 8, out_channels // 4,
                          out_channels // 2, out_channels)
        # One flat Sequential: its indices are the original's state dict keys.
        self.layers = nn.Sequential(
            nn.Conv2d(in_channels, c1, 3, 1, 1), nn.ReLU(True),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(c1, c2, 3, 1, 1), nn.ReLU(True),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(c2, c3, 3, 1, 1), nn.ReLU(True),
            nn.Conv2d(c3, c3, 3, 1, 1), nn.ReLU(True),
            nn.MaxPool2d((2, 1), (2, 1)),
            nn.Conv2d(c3, c4, 3, 1, 1, bias=False), nn.BatchNorm2d(c4),
            nn.ReLU(True),
            nn.Conv2d(c4, c4, 3, 1, 1, bias=False), nn.BatchNorm2d(c4),
            nn.ReLU(True),
            nn.MaxPool2d((2, 1), (2, 1)),
            nn.Conv2d(c4, c4, 2, 1, 0), nn.ReLU(True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Extract the feature map.

        Args:
            x (Tensor): Normalised images of shape :math:`(N, C_{in}, H, W)`.

        Returns:
            Tensor: Feature map of shape
            :math:`(N, C_{out}, H/16 - 1, W/4 - 1)`, ``[N, 512, 1, 24]`` for
            32x100 inputs.
        """
        return self.layers(x)
