"""Plain MAE pretraining of the ViT text encoder (the LMIM teacher)."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmocr.registry import MODELS

from cllstr_mm.models.encoders.vit_encoder import ViTBlock
from .base_mim_pretrainer import BaseMIMPretrainer


@MODELS.register_module()
class MAEPretrainer(BaseMIMPretrainer):
    """Masked autoencoder (pixel reconstruction) as MAERec pretrained it.

    LMIM's teacher is an MAE-pretrained ViT (MAERec's checkpoint, which
    cannot be downloaded here); this model trains one from unlabelled text
    images so the whole chain runs from nothing. Its checkpoint holds the
    student as ``encoder.*``, which ``LMIMPretrainer(teacher_checkpoint=...)``
    and ``ViTEncoder(init_cfg=dict(type='Pretrained', ...))`` read. Names
    of the decoder side follow MAE (``decoder_blocks.N.attn.qkv`` ...).

    Args:
        encoder (dict): Student ``ViTEncoder`` config.
        mask_ratio (float): Fraction of patches removed. Defaults to 0.75.
        decoder_dims (int): Defaults to 512.
        decoder_depth (int): Defaults to 8.
        decoder_heads (int): Defaults to 16.
        mlp_ratio (float): Decoder MLP ratio. Defaults to 4.
        norm_pix_loss (bool): Normalise each target patch by its own mean
            and variance (MAE's ``--norm_pix_loss``). Defaults to True.
        data_preprocessor (dict, optional): ``MultiViewDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 encoder: dict,
                 mask_ratio: float = 0.75,
                 decoder_dims: int = 512,
                 decoder_depth: int = 8,
                 decoder_heads: int = 16,
                 mlp_ratio: float = 4.,
                 norm_pix_loss: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(encoder, mask_ratio, decoder_dims, data_preprocessor,
                         init_cfg)
        self.norm_pix_loss = norm_pix_loss
        self.decoder_blocks = nn.ModuleList([
            ViTBlock(decoder_dims, decoder_heads, mlp_ratio)
            for _ in range(decoder_depth)
        ])
        self.decoder_norm = nn.LayerNorm(decoder_dims, eps=1e-6)
        patch_embed = self.encoder.patch_embed
        self.decoder_pred = nn.Linear(
            decoder_dims,
            patch_embed.patch_size**2 * patch_embed.proj.in_channels)

    def patchify(self, imgs: torch.Tensor) -> torch.Tensor:
        """``[B, c, H, W] -> [B, L, p * p * c]`` (MAE's pixel order)."""
        p = self.encoder.patch_embed.patch_size
        batch, chans, height, width = imgs.shape
        x = imgs.reshape(batch, chans, height // p, p, width // p, p)
        x = torch.einsum('nchpwq->nhwpqc', x)
        return x.reshape(batch, (height // p) * (width // p), p * p * chans)

    def loss(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Reconstruct the removed patches of the first view.

        Returns:
            dict: ``loss_rec``, the mean squared error over removed patches.
        """
        imgs = self.split_views(inputs)[0]
        latent, mask, ids_restore = self.encoder.encode(imgs, self.mask_ratio)
        x = self.decoder_queries(latent, ids_restore)
        for block in self.decoder_blocks:
            x = block(x)
        pred = self.decoder_pred(self.decoder_norm(x))[:, 1:]
        target = self.patchify(imgs)
        if self.norm_pix_loss:
            mean = target.mean(dim=-1, keepdim=True)
            var = target.var(dim=-1, keepdim=True)
            target = (target - mean) / (var + 1e-6)**.5
        return dict(loss_rec=self.masked_mse(pred, target, mask))
