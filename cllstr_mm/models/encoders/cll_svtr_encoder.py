# Copyright (c) cllstr_mm contributors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from mmocr.models.textrecog.encoders.svtr_encoder import (AttnMixer,
                                                          MerigingBlock,
                                                          MixingBlock)
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class CLLSVTREncoder(BaseModule):
    """SVTR-Tiny feature extractor as trained in CLL-STR (no STN).

    Reuses MMOCR's :class:`MixingBlock` (with ``prenorm=False``, which is
    MMOCR's name for pre-norm residual blocks) and :class:`MerigingBlock`.
    It differs from MMOCR's :class:`SVTREncoder` where the original does:
    the patch-embedding convs have biases, a third conv merging block
    (``embed_dims[2] -> out_channels``, stride (2, 1), LayerNorm) replaces
    MMOCR's average pool + 1x1 conv + hardswish head, and no final LayerNorm
    is applied.

    For a 3x32x100 input the stem gives an 8x25 grid of 64-d tokens; the three
    merging blocks halve the height, so the output is ``[N, 512, 1, 25]``.

    The original also builds a Linear(384, 512), a bias-free 1x1 conv
    (``embed_dims[2] -> out_channels``) and a LayerNorm(``embed_dims[2]``)
    that its forward never uses. They live in ``legacy_head``, frozen, so
    original checkpoints load strictly and the parameter count matches the
    paper's (8.02M for SVTR-Tiny with 4,680 classes); frozen, they get no
    gradient, exactly as in the original.

    Args:
        img_size (tuple[int, int]): Input height and width; the position
            embedding fixes it. Defaults to (32, 100).
        in_channels (int): Input channels. Defaults to 3.
        embed_dims (Sequence[int]): Token dimensions of the three stages.
            Defaults to (64, 128, 256).
        depth (Sequence[int]): Mixing blocks per stage. Defaults to (3, 6, 3).
        num_heads (Sequence[int]): Attention heads per stage. Defaults to
            (2, 4, 8).
        mixer_types (Sequence[str]): ``'Local'``, ``'Global'`` or ``'Conv'``
            for each block, ``sum(depth)`` entries. Defaults to 6 Local then
            6 Global.
        window_size (Sequence[Sequence[int]]): Local attention window (h, w)
            per stage. Defaults to (7, 11) for every stage.
        mlp_ratio (float): MLP hidden size / token size. Defaults to 4.
        qkv_bias (bool): Bias in the qkv projection. Defaults to True.
        qk_scale (float, optional): Attention scale; None means
            ``head_dim ** -0.5``. Defaults to None.
        drop_rate (float): Dropout after position embedding, projections and
            MLPs. Defaults to 0.
        attn_drop_rate (float): Dropout on attention weights. Defaults to 0.
        drop_path_rate (float): Stochastic depth of the last block, spread
            linearly from 0 over all blocks. Defaults to 0.1.
        out_channels (int): Channels of the output map. Defaults to 512.
        init_cfg (dict or list[dict], optional): Initialization configs.
            Defaults to None.
    """

    def __init__(self,
                 img_size: Tuple[int, int] = (32, 100),
                 in_channels: int = 3,
                 embed_dims: Sequence[int] = (64, 128, 256),
                 depth: Sequence[int] = (3, 6, 3),
                 num_heads: Sequence[int] = (2, 4, 8),
                 mixer_types: Sequence[str] = ('Local', ) * 6 +
                 ('Global', ) * 6,
                 window_size: Sequence[Sequence[int]] = ((7, 11), ) * 3,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.1,
                 out_channels: int = 512,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not (len(embed_dims) == len(depth) == len(num_heads) ==
                len(window_size) == 3):
            raise ValueError(
                'CLLSVTREncoder has 3 stages: embed_dims, depth, num_heads '
                'and window_size need 3 entries each.')
        if len(mixer_types) != sum(depth):
            raise ValueError(f'mixer_types has {len(mixer_types)} entries, '
                             f'sum(depth) = {sum(depth)} are needed.')
        self.img_size = tuple(img_size)
        self.embed_dims = tuple(embed_dims)
        self.out_channels = out_channels
        # Two stride-2 convs: a 4x smaller token grid.
        self.input_shape = (img_size[0] // 4, img_size[1] // 4)

        self.patch_embed = nn.Sequential(
            nn.Conv2d(in_channels, embed_dims[0] // 2, 3, 2, 1),
            nn.BatchNorm2d(embed_dims[0] // 2), nn.GELU(),
            nn.Conv2d(embed_dims[0] // 2, embed_dims[0], 3, 2, 1),
            nn.BatchNorm2d(embed_dims[0]), nn.GELU())
        self.absolute_pos_embed = nn.Parameter(
            torch.zeros(1, self.input_shape[0] * self.input_shape[1],
                        embed_dims[0]))
        self.pos_drop = nn.Dropout(drop_rate)

        drop_paths = np.linspace(0, drop_path_rate, sum(depth))
        first_block = np.cumsum([0, *depth])
        height, width = self.input_shape
        for stage in range(3):
            blocks = nn.ModuleList([
                MixingBlock(
                    embed_dims=embed_dims[stage],
                    num_heads=num_heads[stage],
                    mixer=mixer_types[first_block[stage] + i],
                    window_size=list(window_size[stage]),
                    input_shape=[height, width],
                    mlp_ratio=mlp_ratio,
                    qkv_bias=qkv_bias,
                    qk_scale=qk_scale,
                    drop=drop_rate,
                    attn_drop=attn_drop_rate,
                    drop_path=float(drop_paths[first_block[stage] + i]),
                    prenorm=False) for i in range(depth[stage])
            ])
            merge_out = (
                embed_dims[stage + 1] if stage < 2 else out_channels)
            setattr(self, f'blocks{stage + 1}', blocks)
            setattr(
                self, f'downsample{stage + 1}',
                MerigingBlock(
                    embed_dims[stage], merge_out, types='Conv',
                    stride=[2, 1]))
            height //= 2

        # The local-attention mask follows from the config: keep it out of
        # state dicts, which the original's never contain.
        for module in self.modules():
            if isinstance(module, AttnMixer) and module.mixer == 'Local':
                module.register_buffer('mask', module.mask, persistent=False)

        self.legacy_head = nn.ModuleDict(
            dict(
                linear=nn.Linear(384, 512),
                last_conv=nn.Conv2d(
                    embed_dims[2], out_channels, 1, bias=False),
                norm=nn.LayerNorm(embed_dims[2], eps=1e-6)))
        self.legacy_head.requires_grad_(False)

        trunc_normal_(self.absolute_pos_embed, std=0.02)

    def forward(self,
                feat: torch.Tensor,
                data_samples: Optional[Sequence[TextRecogDataSample]] = None
                ) -> torch.Tensor:
        """Extract the feature map.

        Args:
            feat (Tensor): Normalised images of shape
                :math:`(N, C_{in}, H, W)` with ``(H, W) == img_size``.
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: Feature map of shape :math:`(N, C_{out}, H/32, W/4)`,
            ``[N, 512, 1, 25]`` for 32x100 inputs.
        """
        if tuple(feat.shape[-2:]) != self.img_size:
            raise ValueError(
                f'CLLSVTREncoder expects {self.img_size[0]}x'
                f'{self.img_size[1]} inputs (its position embedding is '
                f'fixed), got {feat.shape[-2]}x{feat.shape[-1]}: resize '
                'images to img_size in the data pipeline.')
        x = self.patch_embed(feat).flatten(2).transpose(1, 2)
        x = self.pos_drop(x + self.absolute_pos_embed)
        height, width = self.input_shape
        for stage, dims in enumerate(self.embed_dims, start=1):
            for block in getattr(self, f'blocks{stage}'):
                x = block(x)
            x = getattr(self, f'downsample{stage}')(
                x.transpose(1, 2).reshape(-1, dims, height, width))
            height //= 2
        return x.transpose(1, 2).reshape(-1, self.out_channels, height, width)
