"""What MAE and LMIM pretraining share: a ViT student and a masked decoder."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmocr.registry import MODELS

from cllstr_mm.models.encoders.vit_encoder import (init_mae_weights,
                                                   sincos_pos_embed_2d)
from cllstr_mm.utils.checkpoint import CheckpointFitMixin


class BaseMIMPretrainer(CheckpointFitMixin, BaseModel):
    """Masked image modelling with a :class:`ViTEncoder` student.

    The student encodes a randomly masked view; a decoder gets the visible
    tokens, projected to ``decoder_dims``, with a learnt mask token at every
    removed patch, plus a fixed sin-cos position embedding on the student's
    position grid (:meth:`decoder_queries`). Subclasses add the decoder and the loss.

    Inputs come from :class:`MultiViewDataPreprocessor`: ``[B, V, 3, H, W]``
    (V views per image) or ``[B, 3, H, W]`` (one view).

    A checkpoint that does not fit the pretrainer is an error wherever it is
    loaded (:class:`~cllstr_mm.utils.checkpoint.CheckpointFitMixin`).

    Args:
        encoder (dict): Config of the student (a ``ViTEncoder`` without
            ``out_dims``).
        mask_ratio (float): Fraction of patches removed.
        decoder_dims (int): Decoder token size.
        data_preprocessor (dict, optional): Usually
            ``dict(type='MultiViewDataPreprocessor', ...)``.
        init_cfg (dict, optional): Initialisation config.
    """

    #: Views the loss needs per image.
    num_views = 1

    def __init__(self,
                 encoder: dict,
                 mask_ratio: float,
                 decoder_dims: int,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.encoder = MODELS.build(encoder)
        if getattr(self.encoder, 'out_dims', None) is not None:
            raise ValueError(
                f'{type(self).__name__}: the encoder must return raw tokens; '
                'remove out_dims from its config (that projection belongs to '
                'the recogniser)')
        if not 0. < mask_ratio < 1.:
            raise ValueError(f'mask_ratio must be in (0, 1), got {mask_ratio}')
        self.mask_ratio = mask_ratio
        self.decoder_embed = nn.Linear(self.encoder.embed_dims, decoder_dims)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_dims))
        # the decoder's positions follow the student's layout, as in the
        # original (16x16 code by default, see ViTEncoder.pos_embed_grid)
        self.register_buffer(
            'decoder_pos_embed',
            sincos_pos_embed_2d(decoder_dims, self.encoder.pos_grid))

    def init_weights(self) -> None:
        """Student (and teacher) by their own ``init_weights``, then MAE's
        initialisation of the decoder side."""
        super().init_weights()
        nn.init.normal_(self.mask_token, std=.02)
        for name, child in self.named_children():
            if name not in ('encoder', 'teacher', 'data_preprocessor'):
                child.apply(init_mae_weights)

    def split_views(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """``[B, V, 3, H, W]`` (or ``[B, 3, H, W]``) -> V tensors
        ``[B, 3, H, W]``; at least :attr:`num_views` are required."""
        if inputs.dim() == 4:
            inputs = inputs.unsqueeze(1)
        if inputs.dim() != 5 or inputs.shape[1] < self.num_views:
            raise ValueError(
                f'{type(self).__name__} needs {self.num_views} view(s) per '
                f'image as [B, V, 3, H, W], got {tuple(inputs.shape)}; pack '
                'them with PackMultiViewInputs and batch them with '
                'MultiViewDataPreprocessor')
        return list(inputs.unbind(1))

    def decoder_queries(self, latent: torch.Tensor,
                        ids_restore: torch.Tensor) -> torch.Tensor:
        """Decoder input in patch order, class token first.

        Args:
            latent (Tensor): Student tokens of the masked view
                ``[B, 1 + K, C]``.
            ids_restore (Tensor): ``[B, L]`` from the masking.

        Returns:
            Tensor: ``[B, 1 + L, decoder_dims]``.
        """
        x = self.decoder_embed(latent)
        batch, length = ids_restore.shape
        mask_tokens = self.mask_token.expand(batch,
                                             length + 1 - x.shape[1], -1)
        patches = torch.cat([x[:, 1:], mask_tokens], dim=1)
        patches = torch.gather(
            patches, 1,
            ids_restore.unsqueeze(-1).expand(-1, -1, x.shape[2]))
        return torch.cat([x[:, :1], patches], dim=1) + self.decoder_pos_embed

    @staticmethod
    def masked_mse(pred: torch.Tensor, target: torch.Tensor,
                   mask: torch.Tensor) -> torch.Tensor:
        """Mean over removed patches of the per-patch mean squared error.

        Args:
            pred, target (Tensor): ``[B, L, D]``.
            mask (Tensor): ``[B, L]``, 1 where the patch was removed.
        """
        per_patch = ((pred.float() - target.float())**2).mean(dim=-1)
        return (per_patch * mask).sum() / mask.sum()

    def loss(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        raise NotImplementedError

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'loss') -> Union[Dict[str, torch.Tensor],
                                             torch.Tensor]:
        """
        Args:
            inputs (Tensor): ``[B, V, 3, H, W]`` or ``[B, 3, H, W]``.
            data_samples (list, optional): Unused (pretraining has no
                labels).
            mode (str): ``'loss'`` (dict of losses) or ``'tensor'`` (student
                tokens of the first view, ``[B, 1 + L, C]``).
        """
        if mode == 'loss':
            return self.loss(inputs)
        if mode == 'tensor':
            return self.encoder.encode(self.split_views(inputs)[0])[0]
        raise ValueError(
            f'{type(self).__name__} supports mode="loss" or "tensor", got '
            f'{mode!r}: a pretrainer has no predictions to evaluate; '
            'fine-tune a recogniser from its encoder and evaluate that')
