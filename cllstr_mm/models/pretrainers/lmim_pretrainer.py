"""LMIM: linguistics-aware masked image modelling (CVPR 2025)."""
import copy
import logging
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import print_log
from mmocr.registry import MODELS

from .base_mim_pretrainer import BaseMIMPretrainer


@MODELS.register_module()
class LMIMPretrainer(BaseMIMPretrainer):
    """LMIM pretraining of a ViT text encoder.

    Each image comes as two views (:class:`GuidanceView`): a clean one and a
    heavily re-rendered "guidance" one of the same word. The student encodes
    the clean view with ``mask_ratio`` of its patches removed and the
    guidance view whole. A post-norm decoder takes the visible tokens plus
    mask tokens (and sin-cos positions) as queries; each block is
    self-attention, cross-attention to the projected guidance tokens, then
    an FFN (``nn.TransformerDecoderLayer``, which has the original's layout
    and parameter names). A linear layer predicts, per patch, the frozen
    teacher's tokens of the clean view.

    Losses: ``loss_mim`` = MSE(prediction, LayerNorm(teacher patch tokens))
    over removed patches; ``loss_cls`` = MSE between the class tokens of the
    masked clean branch and of the guidance branch.

    The teacher is a frozen copy of the encoder architecture loaded from
    ``teacher_checkpoint`` by :meth:`init_weights` (which the Runner calls
    before training; a resumed run gets it back from its own checkpoint).
    Checkpoint keys: student ``encoder.*``, teacher ``teacher.*``.

    Args:
        encoder (dict): Student ``ViTEncoder`` config (the teacher uses the
            same one).
        teacher_checkpoint (str, optional): MAE-pretrained encoder: an
            ``MAEPretrainer`` checkpoint, MAERec's ``{'model': ...}`` file,
            an LMIM checkpoint... (see ``ViTEncoder.load_pretrained``). None
            starts the teacher as a copy of the freshly initialised student,
            as the original does without ``--teacher_weight`` (useful only
            with ``teacher_momentum``).
        teacher_prefix (str, optional): Key prefix of the teacher weights in
            that file; None guesses (``encoder.``, ``model_maeenc.``, none).
        teacher_pos_embed_grid (str, optional): Position layout of the
            teacher's checkpoint (``'square'``, the original's and MAERec's,
            or ``'patches'``); None uses the student's
            ``pos_embed_grid``. Defaults to None.
        teacher_momentum (float, optional): If set, the teacher follows the
            student as an EMA, ``t = m * t + (1 - m) * s``, before each
            training forward. The paper keeps the teacher fixed (None).
        mask_ratio (float): Defaults to 0.8 (51 of 256 patches kept).
        decoder_dims (int): Defaults to 512.
        decoder_depth (int): Defaults to 2.
        decoder_heads (int): Defaults to 16.
        decoder_ffn_dims (int): Defaults to 2048.
        decoder_dropout (float): Defaults to 0.1.
        data_preprocessor (dict, optional): ``MultiViewDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    num_views = 2

    def __init__(self,
                 encoder: dict,
                 teacher_checkpoint: Optional[str] = None,
                 teacher_prefix: Optional[str] = None,
                 teacher_pos_embed_grid: Optional[str] = None,
                 teacher_momentum: Optional[float] = None,
                 mask_ratio: float = 0.8,
                 decoder_dims: int = 512,
                 decoder_depth: int = 2,
                 decoder_heads: int = 16,
                 decoder_ffn_dims: int = 2048,
                 decoder_dropout: float = 0.1,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(encoder, mask_ratio, decoder_dims, data_preprocessor,
                         init_cfg)
        if teacher_momentum is not None and not 0. <= teacher_momentum <= 1.:
            raise ValueError(f'teacher_momentum must be in [0, 1], got '
                             f'{teacher_momentum}')
        teacher_cfg = copy.deepcopy(encoder)
        teacher_cfg['init_cfg'] = None if teacher_checkpoint is None else \
            dict(type='Pretrained', checkpoint=teacher_checkpoint,
                 prefix=teacher_prefix)
        teacher_cfg['fixed_layers'] = 0
        if teacher_pos_embed_grid is not None:
            teacher_cfg['pos_embed_grid'] = teacher_pos_embed_grid
        self.teacher = MODELS.build(teacher_cfg)
        self.teacher.requires_grad_(False)
        self.teacher_checkpoint = teacher_checkpoint
        self.teacher_momentum = teacher_momentum

        self.guidance_embed = nn.Linear(self.encoder.embed_dims, decoder_dims)
        self.decoder_blocks = nn.ModuleList([
            nn.TransformerDecoderLayer(
                decoder_dims,
                decoder_heads,
                decoder_ffn_dims,
                decoder_dropout,
                activation='gelu',
                layer_norm_eps=1e-6,
                batch_first=True) for _ in range(decoder_depth)
        ])
        self.decoder_norm = nn.LayerNorm(decoder_dims, eps=1e-6)
        self.decoder_pred = nn.Linear(decoder_dims, self.teacher.embed_dims)

    def init_weights(self) -> None:
        """Random student and decoder; teacher from ``teacher_checkpoint``."""
        super().init_weights()
        if self.teacher_checkpoint is None:
            self.teacher.load_vit_state_dict(self.encoder.state_dict(),
                                             'the student')
            print_log(
                'LMIMPretrainer: no teacher_checkpoint, so the teacher starts '
                'as a copy of the random student; LMIM needs an MAE-'
                'pretrained teacher (train one with configs/lmim/mae_*.py)',
                logger='current',
                level=logging.WARNING)

    def train(self, mode: bool = True) -> 'LMIMPretrainer':
        """Switch modes; the teacher always stays in eval mode."""
        super().train(mode)
        self.teacher.eval()
        return self

    @torch.no_grad()
    def _momentum_update(self) -> None:
        m = self.teacher_momentum
        for t_param, s_param in zip(self.teacher.parameters(),
                                    self.encoder.parameters()):
            t_param.mul_(m).add_(s_param.detach(), alpha=1. - m)

    def loss(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """
        Args:
            inputs (Tensor): ``[B, 2, 3, H, W]``: clean view, guidance view.

        Returns:
            dict: ``loss_mim`` and ``loss_cls``.
        """
        clean, guidance = self.split_views(inputs)[:2]
        if self.teacher_momentum is not None and self.training:
            self._momentum_update()
        latent, mask, ids_restore = self.encoder.encode(clean,
                                                        self.mask_ratio)
        guide = self.encoder.encode(guidance)[0]
        x = self.decoder_queries(latent, ids_restore)
        memory = self.guidance_embed(guide)
        for block in self.decoder_blocks:
            x = block(x, memory)
        pred = self.decoder_pred(self.decoder_norm(x))[:, 1:]
        with torch.no_grad():
            target = self.teacher.encode(clean)[0][:, 1:]
            target = F.layer_norm(target, target.shape[-1:])
        loss_cls = ((latent[:, 0].float() - guide[:, 0].float())**2).mean()
        return dict(
            loss_mim=self.masked_mse(pred, target, mask), loss_cls=loss_cls)
