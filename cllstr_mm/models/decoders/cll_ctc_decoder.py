# Copyright (c) cllstr_mm contributors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.model import Sequential
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.decoders.base import BaseDecoder
from mmocr.models.textrecog.layers import BidirectionalLSTM
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class CLLCTCDecoder(BaseDecoder):
    """CTC head of CLL-STR: height pooling, optional BiLSTMs, linear.

    A feature map ``[N, C, H, W]`` is averaged over ``H`` into ``W`` time
    steps of ``C`` features, optionally passed through ``num_bilstm``
    bidirectional LSTMs (each with hidden size ``rnn_hidden`` and a linear
    back to ``rnn_hidden``), then classified by a linear layer. MMOCR's
    :class:`CRNNDecoder` needs ``H == 1`` and its last BiLSTM projects
    straight to the classes, so the original's checkpoints do not fit it.

    SVTR uses ``num_bilstm=0`` (``T = 25``), CRNN ``num_bilstm=2``
    (``T = 24``).

    Args:
        in_channels (int): Channels ``C`` of the feature map.
        dictionary (dict or :obj:`Dictionary`): The dictionary (or its config);
            its ``num_classes`` sets the output size and its ``padding_idx``
            is the CTC blank.
        num_bilstm (int): Number of stacked BiLSTMs. Defaults to 0.
        rnn_hidden (int): Hidden and output size of each BiLSTM.
            Defaults to 256.
        module_loss (dict, optional): Loss config, e.g.
            ``dict(type='CLLCTCModuleLoss', letter_case='unchanged')``
            (MMOCR's ``CTCModuleLoss`` would cut targets longer than ``T``).
        postprocessor (dict, optional): Post-processor config, e.g.
            ``dict(type='CTCPostProcessor')``.
        max_seq_len (int): Number of time steps ``T``; passed to the loss and
            post-processor. Defaults to 25.
        init_cfg (dict or list[dict], optional): Initialization configs.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 dictionary: Union[Dictionary, Dict],
                 num_bilstm: int = 0,
                 rnn_hidden: int = 256,
                 module_loss: Optional[Dict] = None,
                 postprocessor: Optional[Dict] = None,
                 max_seq_len: int = 25,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(
            dictionary=dictionary,
            module_loss=module_loss,
            postprocessor=postprocessor,
            max_seq_len=max_seq_len,
            init_cfg=init_cfg)
        if num_bilstm:
            self.bilstm = Sequential(*[
                BidirectionalLSTM(in_channels if i == 0 else rnn_hidden,
                                  rnn_hidden, rnn_hidden)
                for i in range(num_bilstm)
            ])
        else:
            self.bilstm = nn.Identity()
        self.classifier = nn.Linear(rnn_hidden if num_bilstm else in_channels,
                                    self.dictionary.num_classes)
        self.softmax = nn.Softmax(dim=-1)

    def forward_train(
        self,
        feat: Optional[torch.Tensor] = None,
        out_enc: Optional[torch.Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Compute the logits.

        Args:
            feat (Tensor, optional): Backbone output :math:`(N, C, H, W)`,
                used when there is no encoder output.
            out_enc (Tensor, optional): Encoder output :math:`(N, C, H, W)`.
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: Raw logits of shape :math:`(N, W, num\\_classes)`.
        """
        x = out_enc if out_enc is not None else feat
        x = x.mean(dim=2).permute(2, 0, 1)  # [W, N, C], BiLSTMs are seq-first
        return self.classifier(self.bilstm(x).transpose(0, 1))

    def forward_test(
        self,
        feat: Optional[torch.Tensor] = None,
        out_enc: Optional[torch.Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Softmax of :meth:`forward_train`'s logits: class probabilities
        :math:`(N, W, num\\_classes)`."""
        return self.softmax(self.forward_train(feat, out_enc, data_samples))
