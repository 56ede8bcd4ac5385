"""Check that a config holds the kind of model an inference tool needs, and
that a checkpoint fits it; the recogniser a reading tool runs, checked."""
from typing import Optional, Tuple

from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader
from mmocr.models.textdet.detectors.base import BaseTextDetector
from mmocr.models.textrecog.recognizers.base import BaseRecognizer
from mmocr.registry import MODELS

from cllstr_mm.utils.checkpoint import check_state_dict
from .release import resolve_recogniser

_KINDS = {
    'recogniser': (BaseRecognizer, 'a text recognition config, e.g. '
                   'configs/textrecog/cllstr/*.py or configs/lmim/lmim-nrtr_*.py'),
    'detector': (BaseTextDetector, 'a text detection config, e.g. '
                 'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py'),
}


def load_model_config(config: str, kind: str) -> Config:
    """Load ``config`` (a file, or a package's as
    ``'mmocr::textdet/...py'``) and check that its ``model`` is a ``kind``
    (``'recogniser'`` or ``'detector'``).

    Raises:
        ValueError: The config has no ``model`` or a model of another kind;
            the message names the config and what to pass instead.
    """
    base, hint = _KINDS[kind]
    cfg = get_config(config) if '::' in config else Config.fromfile(config)
    model_type = cfg.get('model', {}).get('type')
    if model_type is None:
        raise ValueError(f'{config} has no model (no `model.type`); '
                         f'pass {hint}')
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model_cls = MODELS.get(model_type)
    if not (isinstance(model_cls, type) and issubclass(model_cls, base)):
        raise ValueError(f'{config} holds a {model_type}, not a text '
                         f'{kind}; pass {hint}')
    return cfg


def check_weights(cfg: Config, weights: str) -> None:
    """Fail unless the checkpoint file ``weights`` fits the model of ``cfg``
    (a config from :func:`load_model_config`), whatever the model: MMOCR's
    inferencers would load a misfit with a warning only.

    Raises:
        FileNotFoundError: No such checkpoint.
        CheckpointMismatchError: The keys or shapes differ (listed), or it
            is an original checkpoint to convert first (named).
    """
    checkpoint = CheckpointLoader.load_checkpoint(weights, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint)
    # as MMEngine's loader, which strips the prefix of wrapped models
    state_dict = {
        key[len('module.'):] if key.startswith('module.') else key: value
        for key, value in state_dict.items()
    }
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    check_state_dict(state_dict, MODELS.build(cfg.model), source=weights)


def load_recogniser(rec: Optional[str],
                    rec_weights: Optional[str]) -> Tuple[Config, str]:
    """The config and weights file of the recogniser a reading tool runs
    (:func:`~cllstr_mm.apis.resolve_recogniser`: by default the released
    one), the config checked to hold a recogniser and ``.pth`` weights to
    fit it (an ``.onnx`` file is checked when ONNX Runtime opens it).

    Raises:
        FileNotFoundError, ValueError: As :func:`resolve_recogniser`,
            :func:`load_model_config` and :func:`check_weights` raise them.
    """
    rec, rec_weights = resolve_recogniser(rec, rec_weights)
    rec_cfg = load_model_config(rec, 'recogniser')
    if not rec_weights.endswith('.onnx'):
        check_weights(rec_cfg, rec_weights)
    return rec_cfg, rec_weights
