"""Model helpers shared by the CLL-STR model, converter and tool tests."""
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

REPO = Path(__file__).resolve().parents[1]
# Original-format checkpoints made by the original code (README there).
CHECKPOINTS = REPO / 'tests' / 'data' / 'cllstr'
CONFIGS = dict(
    svtr=REPO / 'configs/textrecog/cllstr/_base_svtr-tiny.py',
    crnn=REPO / 'configs/textrecog/cllstr/_base_crnn.py')


def stand_in_dictionary(folder: Path, num_classes: int = 4680) -> dict:
    """An MMOCR Dictionary config with ``num_classes`` classes.

    ``num_classes - 4`` single-character tokens plus start, end, padding and
    unknown; only its size matters to the shape tests.
    """
    dict_file = folder / f'dict{num_classes}.txt'
    dict_file.write_text(''.join(
        chr(0x4E00 + i) + '\n' for i in range(num_classes - 4)),
                         encoding='utf-8')
    return dict(
        type='Dictionary',
        dict_file=str(dict_file),
        with_start=True,
        with_end=True,
        with_padding=True,
        with_unknown=True)


def model_config(name: str, dictionary: dict) -> Config:
    """The packaged ``_base_`` config of ``name`` with ``dictionary``."""
    cfg = Config.fromfile(str(CONFIGS[name]))
    cfg.model.decoder.dictionary = dictionary
    return cfg


def build_model(name: str, dictionary: dict):
    init_default_scope('mmocr')
    return MODELS.build(model_config(name, dictionary).model)


def write_config(folder: Path, name: str, dictionary: dict) -> Path:
    """A config file inheriting the packaged one, with ``dictionary``."""
    path = folder / f'{name}_{Path(dictionary["dict_file"]).stem}.py'
    path.write_text(
        f'_base_ = [{str(CONFIGS[name])!r}]\n'
        f'model = dict(decoder=dict(dictionary=dict(_delete_=True, '
        f'**{dictionary!r})))\n',
        encoding='utf-8')
    return path


def logits(model, inputs):
    """Pre-softmax logits ``[N, T, C]`` of a recognizer in its current mode."""
    feat = model.extract_feat(inputs)
    out_enc = model.encoder(feat) if model.with_encoder else None
    return model.decoder.forward_train(feat, out_enc)


def untrained_checkpoint(config, path: Path) -> Path:
    """Save the seed-0 initial weights of ``config``'s model (a config file
    or a loaded Config) to ``path`` (MMEngine checkpoint layout) and return
    ``path``."""
    cfg = config if isinstance(config, Config) else Config.fromfile(
        str(config))
    init_default_scope('mmocr')
    torch.manual_seed(0)
    torch.save({'state_dict': MODELS.build(cfg.model).state_dict(),
                'meta': {}}, path)
    return path
