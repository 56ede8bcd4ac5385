# Copyright (c) cllstr_mm contributors. All rights reserved.
"""MMOCR's recognizers as this project's configs use them: the same models
(same modules, same checkpoint keys), but a checkpoint that does not fit is
an error wherever it is loaded (:class:`CheckpointFitMixin`): ``load_from``,
``--resume``, ``tools/test.py``, and MMOCR's inferencers' ``weights``."""
from mmocr.models.textrecog.recognizers import (CRNN, NRTR, SVTR,
                                                EncoderDecoderRecognizer)
from mmocr.registry import MODELS

from cllstr_mm.utils.checkpoint import CheckpointFitMixin


@MODELS.register_module()
class CLLSVTR(CheckpointFitMixin, SVTR):
    """MMOCR's ``SVTR`` (CLL-STR's SVTR-Tiny + CTC), loaded strictly."""


@MODELS.register_module()
class CLLCRNN(CheckpointFitMixin, CRNN):
    """MMOCR's ``CRNN`` (CLL-STR's VGG + BiLSTM + CTC), loaded strictly."""


@MODELS.register_module()
class LMIMNRTR(CheckpointFitMixin, NRTR):
    """MMOCR's ``NRTR`` (LMIM's ViT + transformer decoder), loaded
    strictly."""


@MODELS.register_module()
class ViTCTC(CheckpointFitMixin, EncoderDecoderRecognizer):
    """LMIM's ViT (``out_layout='grid'``) read out by a CTC head, the
    fine-tuning of the LMIM experiment at CPU scale
    (configs/lmim/experiments/), loaded strictly."""
