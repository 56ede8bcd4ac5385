"""Layer-wise lr decay for ViT encoders (BEiT/MAE fine-tuning recipe)."""
import re
from collections import OrderedDict
from typing import List, Optional

import torch.nn as nn
from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor
from mmocr.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Parameter groups with layer-wise lr decay and no decay on 1-D weights.

    MMEngine's default constructor has no layer-wise lr decay, and its
    ``bias_decay_mult``/``norm_decay_mult`` miss 1-D weights that are neither
    (``in_proj_bias`` of ``nn.MultiheadAttention``). This follows the rules
    of the originals (timm's ``add_weight_decay``, BEiT's layer ids):

    - Layer id (for parameters under ``encoder_prefix``, prefix removed):
      0 for ``patch_embed.*``, ``cls_token``, ``pos_embed``, ``mask_token``;
      ``N + 1`` for ``blocks.N.*``; ``num_layers + 1`` for everything else,
      including all parameters outside the encoder (projection, decoder).
      A parameter with id ``i`` gets ``lr * layer_decay_rate **
      (num_layers + 1 - i)``.
    - No weight decay for 1-D parameters (norm weights, all biases), names
      ending in ``.bias``, and the names in ``no_decay_keys``.
    - Frozen parameters (``requires_grad=False``: a teacher, fixed encoder
      layers) are left out of the optimiser.

    ``paramwise_cfg`` keys:

    - ``layer_decay_rate`` (float): 1.0 turns the decay off (pretraining);
      the LMIM/MAERec fine-tuning uses 0.75. Defaults to 1.0.
    - ``num_layers`` (int, optional): Encoder depth; by default the number
      of ``{encoder_prefix}blocks.N`` found.
    - ``encoder_prefix`` (str): Defaults to ``'encoder.'``.
    - ``no_decay_keys`` (sequence of str): Parameter names (relative to the
      encoder for encoder parameters) exempt from decay, e.g.
      ``('cls_token', 'pos_embed')`` as BEiT's fine-tuning. Defaults to ().

    Example:
        >>> optim_wrapper = dict(
        ...     type='OptimWrapper',
        ...     optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.05),
        ...     constructor='LayerDecayOptimWrapperConstructor',
        ...     paramwise_cfg=dict(layer_decay_rate=0.75,
        ...                        no_decay_keys=('cls_token', 'pos_embed')))
    """

    _KEYS = ('layer_decay_rate', 'num_layers', 'encoder_prefix',
             'no_decay_keys')

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        paramwise_cfg = dict(paramwise_cfg or {})
        unknown = sorted(set(paramwise_cfg) - set(self._KEYS))
        if unknown:
            raise KeyError(
                f'LayerDecayOptimWrapperConstructor: unknown paramwise_cfg '
                f'keys {unknown}; it accepts {list(self._KEYS)}')
        # A non-empty paramwise_cfg makes the parent call add_params.
        paramwise_cfg.setdefault('layer_decay_rate', 1.0)
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        if self.base_lr is None:
            raise KeyError('LayerDecayOptimWrapperConstructor needs '
                           'optimizer.lr in the config')
        self.decay_rate = float(paramwise_cfg['layer_decay_rate'])
        if not 0. < self.decay_rate <= 1.:
            raise ValueError(f'layer_decay_rate must be in (0, 1], got '
                             f'{self.decay_rate}')
        self.num_layers = paramwise_cfg.get('num_layers')
        self.encoder_prefix = paramwise_cfg.get('encoder_prefix', 'encoder.')
        self.no_decay_keys = set(paramwise_cfg.get('no_decay_keys', ()))

    def _validate_cfg(self) -> None:
        """The parent's checks are for its own keys; ours are in __init__."""

    def layer_id(self, name: str, num_layers: int) -> int:
        """BEiT's layer id of a parameter (see the class docstring)."""
        if not name.startswith(self.encoder_prefix):
            return num_layers + 1
        name = name[len(self.encoder_prefix):]
        if name in ('cls_token', 'pos_embed', 'mask_token') or \
                name.startswith('patch_embed.'):
            return 0
        match = re.match(r'blocks\.(\d+)\.', name)
        return int(match.group(1)) + 1 if match else num_layers + 1

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   is_dcn_module=None) -> None:
        """Fill ``params`` with one group per (layer id, decay or not)."""
        named = [(name, param) for name, param in module.named_parameters()
                 if param.requires_grad]
        num_frozen = sum(
            param.numel() for param in module.parameters()
            if not param.requires_grad)
        num_layers = self.num_layers
        if num_layers is None:
            pattern = re.compile(re.escape(self.encoder_prefix) +
                                 r'blocks\.(\d+)\.')
            ids = [int(m.group(1)) for m in map(pattern.match, (
                name for name, _ in module.named_parameters())) if m]
            num_layers = max(ids) + 1 if ids else 0
        groups: 'OrderedDict[tuple, dict]' = OrderedDict()
        for name, param in named:
            layer_id = self.layer_id(name, num_layers)
            key = name[len(self.encoder_prefix):] if name.startswith(
                self.encoder_prefix) else name
            no_decay = (param.ndim == 1 or name.endswith('.bias')
                        or key in self.no_decay_keys)
            group = groups.setdefault(
                (layer_id, no_decay),
                dict(
                    params=[],
                    lr=self.base_lr * self.decay_rate**(num_layers + 1 -
                                                        layer_id)))
            if no_decay:
                group['weight_decay'] = 0.
            elif self.base_wd is not None:
                group['weight_decay'] = self.base_wd
            group['params'].append(param)
        params.extend(groups.values())
        print_log(
            f'LayerDecayOptimWrapperConstructor: {len(named)} tensors in '
            f'{len(groups)} groups (layer_decay_rate={self.decay_rate}, '
            f'{num_layers} encoder layers); {num_frozen} frozen parameters '
            'left out',
            logger='current')
