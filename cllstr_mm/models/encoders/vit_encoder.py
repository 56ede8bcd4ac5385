"""Plain ViT text encoder of MAERec / LMIM (timm/MAE parameter names)."""
import argparse
import pickle
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from mmengine.logging import print_log
from mmengine.runner import CheckpointLoader
from mmocr.models.textrecog.encoders.base import BaseEncoder
from mmocr.registry import MODELS

from cllstr_mm.utils.checkpoint import check_state_dict

#: Key that tells a ViT encoder state dict apart from anything else.
VIT_PROBE_KEY = 'patch_embed.proj.weight'
#: Prefixes tried, in order, when a checkpoint's encoder prefix is not given:
#: our MMEngine checkpoints (pretrainers and recognisers), the original LMIM
#: pretraining checkpoints (student), then MAE/MAERec (no prefix).
AUTO_PREFIXES = ('encoder.', 'model_maeenc.', '')


def sincos_pos_embed_2d(dim: int,
                        grid_hw: Tuple[int, int],
                        cls_token: bool = True) -> torch.Tensor:
    """Fixed 2-D sine-cosine position embedding of MAE.

    The first half of the channels encodes the column, the second half the
    row, each as ``[sin, cos]`` of ``pos / 10000 ** (i / (dim / 4))``.

    Args:
        dim (int): Embedding size; a multiple of 4.
        grid_hw (tuple[int, int]): Patch grid (rows, columns).
        cls_token (bool): Prepend an all-zero row for the class token.

    Returns:
        Tensor: ``[1, rows * columns (+1), dim]``, patches in raster order.
    """
    if dim % 4:
        raise ValueError(f'sin-cos position embedding needs a dim divisible '
                         f'by 4, got {dim}')
    rows, cols = grid_hw
    omega = 1. / 10000**(torch.arange(dim // 4, dtype=torch.float64) /
                         (dim / 4.))
    row, col = torch.meshgrid(
        torch.arange(rows, dtype=torch.float64),
        torch.arange(cols, dtype=torch.float64),
        indexing='ij')
    parts = []
    for pos in (col.flatten(), row.flatten()):
        angle = pos[:, None] * omega[None]
        parts += [torch.sin(angle), torch.cos(angle)]
    embed = torch.cat(parts, dim=1)
    if cls_token:
        embed = torch.cat([embed.new_zeros(1, dim), embed])
    return embed.float().unsqueeze(0)


#: Layouts of the fixed position code over the patch grid (see
#: :func:`position_code_grid`).
POS_EMBED_GRIDS = ('square', 'patches')


def position_code_grid(layout: str,
                       patch_grid: Tuple[int, int]) -> Tuple[int, int]:
    """The ``(rows, columns)`` grid whose sin-cos code the patches get.

    Args:
        layout (str): ``'square'``: the original LMIM/MAE/MAERec code, a
            ``sqrt(L) x sqrt(L)`` grid in raster order (for 8x32 patches a
            16x16 code: patch ``(r, c)`` gets the code of
            ``(2r + c // 16, c % 16)``); ``'patches'``: the true patch grid.
        patch_grid (tuple[int, int]): Patches ``(rows, columns)``.

    Returns:
        tuple[int, int]: The grid for :func:`sincos_pos_embed_2d`.
    """
    if layout == 'patches':
        return tuple(patch_grid)
    if layout != 'square':
        raise ValueError(f'pos_embed_grid must be one of {POS_EMBED_GRIDS}, '
                         f'got {layout!r}')
    num_patches = patch_grid[0] * patch_grid[1]
    side = int(num_patches**.5)
    if side * side != num_patches:
        raise ValueError(
            f'pos_embed_grid="square" (the original\'s code) needs a square '
            f'number of patches, got {patch_grid[0]}x{patch_grid[1]} = '
            f'{num_patches}; use pos_embed_grid="patches"')
    return side, side


def random_masking(tokens: torch.Tensor, mask_ratio: float
                   ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Keep a random subset of tokens per sample (MAE's shuffle-and-cut).

    Args:
        tokens (Tensor): ``[B, L, C]``.
        mask_ratio (float): Fraction removed; ``int(L * (1 - ratio))`` kept.

    Returns:
        tuple: ``kept [B, K, C]``; ``mask [B, L]`` (1 = removed, 0 = kept,
        in the original order); ``ids_restore [B, L]`` (the permutation
        that puts ``cat([kept, removed])`` back in order).
    """
    if not 0. <= mask_ratio < 1.:
        raise ValueError(f'mask_ratio must be in [0, 1), got {mask_ratio}')
    batch, length, dim = tokens.shape
    num_keep = int(length * (1 - mask_ratio))
    noise = torch.rand(batch, length, device=tokens.device)
    ids_shuffle = torch.argsort(noise, dim=1)
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    ids_keep = ids_shuffle[:, :num_keep]
    kept = torch.gather(
        tokens, 1, ids_keep.unsqueeze(-1).expand(-1, -1, dim))
    mask = torch.ones(batch, length, device=tokens.device)
    mask[:, :num_keep] = 0
    mask = torch.gather(mask, 1, ids_restore)
    return kept, mask, ids_restore


class PatchEmbed(nn.Module):
    """Non-overlapping patches to tokens: ``[B, 3, H, W] -> [B, L, C]``."""

    def __init__(self, img_size: Tuple[int, int], patch_size: int,
                 in_channels: int, embed_dims: int) -> None:
        super().__init__()
        if img_size[0] % patch_size or img_size[1] % patch_size:
            raise ValueError(f'img_size {tuple(img_size)} is not a multiple '
                             f'of patch_size {patch_size}')
        self.img_size = tuple(img_size)
        self.patch_size = patch_size
        self.grid_size = (img_size[0] // patch_size,
                          img_size[1] // patch_size)
        self.num_patches = self.grid_size[0] * self.grid_size[1]
        self.proj = nn.Conv2d(
            in_channels, embed_dims, patch_size, stride=patch_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if tuple(x.shape[-2:]) != self.img_size:
            raise ValueError(
                f'ViTEncoder expects {self.img_size[0]}x{self.img_size[1]} '
                f'images, got {x.shape[-2]}x{x.shape[-1]}: resize them in '
                'the pipeline (Resize scale=(W, H))')
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    """Multi-head self-attention with a fused ``qkv`` projection."""

    def __init__(self, dims: int, num_heads: int, qkv_bias: bool,
                 attn_drop: float, proj_drop: float) -> None:
        super().__init__()
        if dims % num_heads:
            raise ValueError(
                f'embed_dims {dims} is not divisible by num_heads {num_heads}')
        self.num_heads = num_heads
        self.attn_drop = attn_drop
        self.qkv = nn.Linear(dims, dims * 3, bias=qkv_bias)
        self.proj = nn.Linear(dims, dims)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, dims = x.shape
        qkv = self.qkv(x).reshape(batch, length, 3, self.num_heads,
                                  dims // self.num_heads)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        x = F.scaled_dot_product_attention(
            qkv[0],
            qkv[1],
            qkv[2],
            dropout_p=self.attn_drop if self.training else 0.)
        x = x.transpose(1, 2).reshape(batch, length, dims)
        return self.proj_drop(self.proj(x))


class Mlp(nn.Module):
    """``fc1 -> GELU -> dropout -> fc2 -> dropout``."""

    def __init__(self, dims: int, hidden_dims: int, drop: float) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dims, hidden_dims)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden_dims, dims)
        self.drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class ViTBlock(nn.Module):
    """Pre-norm transformer block of timm's ViT (as MAE used it).

    Args:
        dims (int): Token size.
        num_heads (int): Attention heads.
        mlp_ratio (float): MLP hidden size / ``dims``.
        qkv_bias (bool): Bias in the ``qkv`` projection.
        drop (float): Dropout after the attention projection and the MLP.
        attn_drop (float): Dropout on the attention weights.
        drop_path (float): Stochastic depth rate.
        norm_eps (float): LayerNorm epsilon.
    """

    def __init__(self,
                 dims: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 norm_eps: float = 1e-6) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dims, eps=norm_eps)
        self.attn = Attention(dims, num_heads, qkv_bias, attn_drop, drop)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else \
            nn.Identity()
        self.norm2 = nn.LayerNorm(dims, eps=norm_eps)
        self.mlp = Mlp(dims, int(dims * mlp_ratio), drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


def init_mae_weights(module: nn.Module) -> None:
    """MAE's initialisation: xavier-uniform linears, zero biases, unit LNs."""
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


def load_checkpoint_file(filename: str) -> dict:
    """Load a checkpoint on CPU with ``weights_only`` kept on.

    MAE, MAERec and LMIM save their ``argparse`` namespace with the weights,
    so :class:`argparse.Namespace` is allowed as well as what MMEngine saves.
    """
    try:
        with torch.serialization.safe_globals([argparse.Namespace]):
            return CheckpointLoader.load_checkpoint(
                filename, map_location='cpu')
    except pickle.UnpicklingError as err:
        raise pickle.UnpicklingError(
            f'{filename} holds objects other than weights, so it was not '
            'loaded (weights_only=True). If you trust the file, convert it '
            'once with `python tools/model_converters/lmim_to_mmocr.py '
            f'{filename} OUT.pth --unsafe-load` and use OUT.pth.\n{err}'
        ) from None


def checkpoint_state_dict(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """The weights of a loaded checkpoint, whichever layout it has.

    MMEngine saves them under ``state_dict``, MAE/MAERec/LMIM under
    ``model`` (and some tools under ``module``); a bare state dict is
    returned as is.
    """
    for key in ('state_dict', 'model', 'module'):
        if isinstance(checkpoint.get(key), dict):
            return checkpoint[key]
    return checkpoint


def extract_vit_state_dict(state_dict: Dict[str, torch.Tensor],
                           prefix: Optional[str] = None,
                           source: str = 'the checkpoint'
                           ) -> Dict[str, torch.Tensor]:
    """The ViT encoder's weights inside a larger state dict, prefix removed.

    Args:
        state_dict (dict): Weights of a whole model.
        prefix (str, optional): Prefix of the encoder's keys, e.g.
            ``'encoder.'``, ``'teacher.'`` or ``'model_maeenc_momentum.'``.
            None tries :data:`AUTO_PREFIXES` in order: ``'encoder.'`` (our
            checkpoints), ``'model_maeenc.'`` (original LMIM student), then
            no prefix (MAE/MAERec).
        source (str): Name of the checkpoint, for error messages.

    Returns:
        dict: ``{name without prefix: tensor}`` for every key with the prefix.
        With no prefix, MAE's decoder keys (``decoder_*``, ``mask_token``)
        are left out.
    """
    candidates = AUTO_PREFIXES if prefix is None else (prefix, )
    for cand in candidates:
        if cand + VIT_PROBE_KEY in state_dict:
            return {
                key[len(cand):]: value
                for key, value in state_dict.items()
                if key.startswith(cand) and not (cand == '' and (
                    key.startswith('decoder') or key == 'mask_token'))
            }
    shown = sorted(state_dict)[:12]
    raise KeyError(
        f'No ViT encoder weights in {source}: looked for '
        f'{[c + VIT_PROBE_KEY for c in candidates]}. Its keys start with '
        f'{shown}{" ..." if len(state_dict) > 12 else ""}. Pass the '
        'encoder\'s key prefix (init_cfg prefix= / teacher_prefix= / '
        '--prefix) if it is stored under another name.')


@MODELS.register_module()
class ViTEncoder(BaseEncoder):
    """ViT text encoder of MAERec and LMIM, for pretraining and recognition.

    A plain ViT (timm/MAE layout and parameter names, so MAE, MAERec and
    LMIM weights load key for key): non-overlapping patches, a class token,
    a fixed 2-D sin-cos position embedding and pre-norm blocks. As an MMOCR
    encoder it returns every token, ``[B, 1 + L, C]`` (class token first);
    with ``out_dims`` it adds LMIM's ``Linear + LayerNorm`` that maps the
    tokens to the decoder size. With ``out_layout='grid'`` it returns the
    patch tokens as a feature map instead, for a CTC head. Pretrainers call
    :meth:`encode`, which can drop a random subset of patches.

    The position embedding is a fixed buffer saved with the weights. By
    default it is the original's code, computed on a square 16x16 grid for
    the 8x32 patches (``pos_embed_grid='square'``, as LMIM, MAE and MAERec
    checkpoints hold it); ``'patches'`` uses the real ``(H/p) x (W/p)``
    grid. A checkpoint must carry the table of the configured layout, else
    loading fails naming the option.

    ``init_cfg=dict(type='Pretrained', checkpoint=PATH, prefix=None)`` is
    handled here rather than by MMEngine's ``PretrainedInit``: that one
    loads non-strictly and silently loads nothing from an MAE-format
    ``{'model': ...}`` file. Here every trunk weight must be found with the
    right shape, or loading fails naming the keys; see
    :func:`extract_vit_state_dict` for the formats and prefixes understood.

    Args:
        img_size (tuple[int, int]): Input ``(H, W)``. Defaults to (32, 128).
        patch_size (int): Patch side. Defaults to 4 (8x32 = 256 patches).
        in_channels (int): Image channels. Defaults to 3.
        embed_dims (int): Token size ``C``. Defaults to 384 (ViT-Small).
        depth (int): Blocks. Defaults to 12.
        num_heads (int): Attention heads. Defaults to 6.
        mlp_ratio (float): MLP hidden size / C. Defaults to 4.
        qkv_bias (bool): Defaults to True.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
        drop_rate (float): Dropout in the blocks. Defaults to 0.
        attn_drop_rate (float): Attention-weight dropout. Defaults to 0.
        drop_path_rate (float): Stochastic depth, spread linearly over the
            blocks. Defaults to 0. (The original fine-tuning passed 0.1 for
            these three, but its encoder ignored them, so 0 reproduces it.)
        out_dims (int, optional): Add ``out_proj`` (Linear C -> out_dims)
            and ``out_norm`` (LayerNorm, eps 1e-5) applied by :meth:`forward`.
            Defaults to None (tokens returned as they are).
        fixed_layers (int): The original's ``fixed_encoder_layers``: >= 1
            freezes the patch embedding, N > 1 also the first N - 1 blocks.
            Defaults to 0.
        pos_embed_grid (str): ``'square'`` (the original's 16x16 code) or
            ``'patches'`` (the true grid); see :func:`position_code_grid`.
            Defaults to ``'square'``.
        out_proj_init (str): ``'torch'`` keeps PyTorch's default
            initialisation of ``out_proj``, as the original's
            ``linear_norm``; ``'xavier'`` gives it MAE's xavier-uniform.
            Defaults to ``'torch'``.
        out_layout (str): ``'tokens'``: every token, ``[B, 1 + L, C]``, for
            an attention decoder; ``'grid'``: the patch tokens without the
            class token as a feature map ``[B, C, H/p, W/p]``, for a CTC
            head (:class:`CLLCTCDecoder` averages its rows into ``W/p``
            time steps). ``C`` is ``out_dims`` when given. Defaults to
            ``'tokens'``.
        init_cfg (dict, optional): See above.
    """

    def __init__(self,
                 img_size: Sequence[int] = (32, 128),
                 patch_size: int = 4,
                 in_channels: int = 3,
                 embed_dims: int = 384,
                 depth: int = 12,
                 num_heads: int = 6,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 norm_eps: float = 1e-6,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 out_dims: Optional[int] = None,
                 fixed_layers: int = 0,
                 pos_embed_grid: str = 'square',
                 out_proj_init: str = 'torch',
                 out_layout: str = 'tokens',
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if out_proj_init not in ('torch', 'xavier'):
            raise ValueError(f'out_proj_init must be "torch" or "xavier", '
                             f'got {out_proj_init!r}')
        if out_layout not in ('tokens', 'grid'):
            raise ValueError(f'out_layout must be "tokens" or "grid", got '
                             f'{out_layout!r}')
        self.out_layout = out_layout
        if fixed_layers < 0 or fixed_layers > depth + 1:
            raise ValueError(f'fixed_layers must be in [0, depth + 1 = '
                             f'{depth + 1}], got {fixed_layers}')
        self.embed_dims = embed_dims
        self.depth = depth
        self.fixed_layers = fixed_layers
        self.patch_embed = PatchEmbed(img_size, patch_size, in_channels,
                                      embed_dims)
        self.num_patches = self.patch_embed.num_patches
        self.pos_embed_grid = pos_embed_grid
        #: Grid of the position code, shared with the pretrainers' decoders.
        self.pos_grid = position_code_grid(pos_embed_grid,
                                           self.patch_embed.grid_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.register_buffer('pos_embed',
                             sincos_pos_embed_2d(embed_dims, self.pos_grid))
        rates = torch.linspace(0, drop_path_rate, depth).tolist()
        self.blocks = nn.ModuleList([
            ViTBlock(embed_dims, num_heads, mlp_ratio, qkv_bias, drop_rate,
                     attn_drop_rate, rate, norm_eps) for rate in rates
        ])
        self.norm = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.out_dims = out_dims
        self.out_proj_init = out_proj_init
        if out_dims is not None:
            self.out_proj = nn.Linear(embed_dims, out_dims)
            self.out_norm = nn.LayerNorm(out_dims)
        self._freeze()

    def _freeze(self) -> None:
        if self.fixed_layers >= 1:
            self.patch_embed.requires_grad_(False)
        for block in self.blocks[:max(self.fixed_layers - 1, 0)]:
            block.requires_grad_(False)

    def init_weights(self) -> None:
        """MAE's random initialisation (``out_proj`` per ``out_proj_init``),
        then the pretrained weights if any."""
        weight = self.patch_embed.proj.weight.data
        nn.init.xavier_uniform_(weight.view(weight.shape[0], -1))
        nn.init.normal_(self.cls_token, std=.02)
        for name, child in self.named_children():
            if name != 'out_proj' or self.out_proj_init == 'xavier':
                child.apply(init_mae_weights)
        for cfg in ([self.init_cfg] if isinstance(self.init_cfg, dict) else
                    self.init_cfg or []):
            if cfg.get('type') != 'Pretrained':
                raise ValueError(
                    f'ViTEncoder init_cfg supports only type="Pretrained", '
                    f'got {cfg}')
            self.load_pretrained(cfg['checkpoint'], cfg.get('prefix'))
        self._is_init = True

    def load_pretrained(self, checkpoint: str,
                        prefix: Optional[str] = None) -> None:
        """Load the encoder weights of a checkpoint file, strictly.

        Args:
            checkpoint (str): Path (or URL) of an MMEngine checkpoint, an
                MAE/MAERec/LMIM checkpoint or a bare state dict.
            prefix (str, optional): Key prefix of the encoder in it; see
                :func:`extract_vit_state_dict`.
        """
        state_dict = extract_vit_state_dict(
            checkpoint_state_dict(load_checkpoint_file(checkpoint)), prefix,
            checkpoint)
        self.load_vit_state_dict(state_dict, checkpoint)
        print_log(
            f'{type(self).__name__}: loaded {len(state_dict)} tensors from '
            f'{checkpoint}',
            logger='current')

    def load_vit_state_dict(self, state_dict: Dict[str, torch.Tensor],
                            source: str = 'the state dict') -> None:
        """Copy trunk (and, if both have them, ``out_*``) weights strictly.

        Every trunk weight must be present with the right shape and no
        unknown key may be left over. ``out_proj``/``out_norm`` are optional
        either way: pretraining checkpoints do not have them and a
        pretraining encoder does not use a recogniser's.
        """
        own = self.state_dict()
        head = ('out_proj.', 'out_norm.')
        skipped = sorted(k for k in state_dict
                         if k.startswith(head) and k not in own)
        if skipped:
            print_log(
                f'{type(self).__name__}: {source} has {skipped}, which this '
                'encoder (out_dims=None) does not use; left out',
                logger='current')
            state_dict = {
                k: v
                for k, v in state_dict.items() if k not in skipped
            }
        # a head the checkpoint does not have keeps its initialisation
        absent = [
            prefix + '*' for prefix in head
            if not any(k.startswith(prefix) for k in state_dict)
        ]
        check_state_dict(
            state_dict,
            own,
            source=source,
            target=f'ViTEncoder(embed_dims={self.embed_dims}, depth='
            f'{self.depth}, {self.num_patches} patches)',
            exclude=absent)
        self._check_pos_embed(state_dict['pos_embed'], source)
        # the fixed table is kept as computed here (exact, fp32)
        state_dict = {k: v for k, v in state_dict.items() if k != 'pos_embed'}
        self.load_state_dict(state_dict, strict=False)

    def _check_pos_embed(self, table: torch.Tensor, source: str) -> None:
        """Fail unless ``table`` is this encoder's sin-cos code (up to fp16
        rounding); name the layout it has if it is the other one."""
        tol = 1e-3
        if torch.allclose(table.float(), self.pos_embed, atol=tol):
            return
        found = 'neither sin-cos layout (a learnt or other table)'
        for layout in POS_EMBED_GRIDS:
            try:
                grid = position_code_grid(layout, self.patch_embed.grid_size)
            except ValueError:
                continue
            if torch.allclose(table.float(),
                              sincos_pos_embed_2d(self.embed_dims, grid),
                              atol=tol):
                found = f'the pos_embed_grid={layout!r} code ({grid[0]}x' \
                    f'{grid[1]} grid)'
        raise RuntimeError(
            f'{source} has {found} as pos_embed, but this ViTEncoder is '
            f'configured with pos_embed_grid={self.pos_embed_grid!r} '
            f'({self.pos_grid[0]}x{self.pos_grid[1]} grid). Set the '
            'encoder\'s pos_embed_grid (and, for an LMIM teacher, '
            'teacher_pos_embed_grid) to the layout the checkpoint was '
            'trained with.')

    def encode(self,
               imgs: torch.Tensor,
               mask_ratio: Optional[float] = None
               ) -> Tuple[torch.Tensor, Optional[torch.Tensor],
                          Optional[torch.Tensor]]:
        """Encode images, optionally keeping a random subset of patches.

        Args:
            imgs (Tensor): ``[B, 3, H, W]``, normalised.
            mask_ratio (float, optional): Fraction of patches dropped before
                the blocks (0.8 keeps 51 of 256). None keeps all.

        Returns:
            tuple: ``tokens [B, 1 + K, C]`` after the final LayerNorm (class
            token first; K = L without masking); ``mask [B, L]`` and
            ``ids_restore [B, L]`` of :func:`random_masking`, or None.
        """
        x = self.patch_embed(imgs) + self.pos_embed[:, 1:]
        mask = ids_restore = None
        if mask_ratio is not None:
            x, mask, ids_restore = random_masking(x, mask_ratio)
        cls_token = (self.cls_token + self.pos_embed[:, :1]).expand(
            x.shape[0], -1, -1)
        x = torch.cat([cls_token, x], dim=1)
        for block in self.blocks:
            x = block(x)
        return self.norm(x), mask, ids_restore

    def forward(self, feat: torch.Tensor, data_samples=None) -> torch.Tensor:
        """
        Args:
            feat (Tensor): Images ``[B, 3, H, W]`` (no backbone before it).
            data_samples: Unused.

        Returns:
            Tensor: ``[B, 1 + L, C]`` (``out_layout='tokens'``) or
            ``[B, C, H/p, W/p]`` (``'grid'``); ``C`` is ``out_dims`` when
            given.
        """
        tokens = self.encode(feat)[0]
        if self.out_dims is not None:
            tokens = self.out_norm(self.out_proj(tokens))
        if self.out_layout == 'tokens':
            return tokens
        rows, cols = self.patch_embed.grid_size
        # patches are numbered row by row (PatchEmbed's flatten)
        return tokens[:, 1:].transpose(1, 2).reshape(
            tokens.shape[0], -1, rows, cols)
