"""tools/model_converters/cllstr_to_mmocr.py and the checkpoint functions:
original checkpoints reproduce the original's logits; misfits are reported
by key with expected vs found shapes."""
import importlib.util

import pytest
import torch
from cllstr_model_helpers import (CHECKPOINTS, REPO, build_model, logits,
                                  stand_in_dictionary, write_config)
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS

from cllstr_mm.models.recognizers import (convert_cllstr_state_dict,
                                          detect_cllstr_model,
                                          load_cllstr_checkpoint)
from cllstr_mm.utils.checkpoint import (CheckpointMismatchError,
                                        check_state_dict)

spec = importlib.util.spec_from_file_location(
    'cllstr_to_mmocr', REPO / 'tools/model_converters/cllstr_to_mmocr.py')
converter = importlib.util.module_from_spec(spec)
spec.loader.exec_module(converter)


def original(name):
    return CHECKPOINTS / f'cllstr_{name}_ctc4680.pth'


@pytest.fixture(scope='module')
def dict4680(tmp_path_factory):
    return stand_in_dictionary(tmp_path_factory.mktemp('dict'))


@pytest.mark.parametrize('name', ['svtr', 'crnn'])
def test_converted_checkpoint_reproduces_original_logits(
        tmp_path, dict4680, name):
    config = write_config(tmp_path, name, dict4680)
    dst = tmp_path / 'out' / f'{name}.pth'
    converter.main([str(original(name)), str(dst), '--config', str(config)])
    # Written atomically: the checkpoint and nothing else.
    assert [p.name for p in dst.parent.iterdir()] == [dst.name]

    checkpoint = torch.load(dst, map_location='cpu')
    assert checkpoint['meta'] == dict(
        cllstr_model=name,
        num_classes=4680,
        source_dtype='float16',
        source=original(name).name,
        config=config.name)
    assert all(v.dtype in (torch.float32, torch.int64)
               for v in checkpoint['state_dict'].values())

    model = build_model(name, dict4680)
    load_checkpoint(model, str(dst), map_location='cpu', strict=True)
    model.eval()
    io = torch.load(CHECKPOINTS / f'cllstr_{name}_ctc4680_io.pth')
    with torch.no_grad():
        out = logits(model, io['input'])
    assert out.shape == io['logits'].shape
    assert (out - io['logits']).abs().max().item() < 1e-5


@pytest.mark.parametrize('name', ['svtr', 'crnn'])
def test_default_config_uses_packaged_dictionary(tmp_path, name):
    dst = tmp_path / f'{name}.pth'
    converter.main([str(original(name)), str(dst)])
    meta = torch.load(dst)['meta']
    assert meta['config'] == converter.DEFAULT_CONFIGS[name].name
    cfg = Config.fromfile(str(converter.DEFAULT_CONFIGS[name]))
    init_default_scope('mmocr')
    model = MODELS.build(cfg.model)
    assert model.decoder.dictionary.num_classes == 4680
    assert model.decoder.module_loss.ctc_loss.blank == 0
    load_checkpoint(model, str(dst), map_location='cpu', strict=True)


def test_load_original_checkpoint_directly(dict4680):
    model = build_model('crnn', dict4680).eval()
    meta = load_cllstr_checkpoint(model, str(original('crnn')))
    assert meta['cllstr_model'] == 'crnn'
    io = torch.load(CHECKPOINTS / 'cllstr_crnn_ctc4680_io.pth')
    with torch.no_grad():
        assert (logits(model, io['input']) -
                io['logits']).abs().max().item() < 1e-5


def test_key_mapping():
    svtr = torch.load(original('svtr'))
    crnn = torch.load(original('crnn'))
    assert detect_cllstr_model(svtr) == 'svtr'
    assert detect_cllstr_model(crnn) == 'crnn'
    svtr_keys = convert_cllstr_state_dict(svtr)
    assert len(svtr_keys) == len(svtr)
    for old, new in [
        ('pos_embed', 'encoder.absolute_pos_embed'),
        ('patch_embed.proj.3.weight', 'encoder.patch_embed.3.weight'),
        ('blocks2.5.mixer.qkv.bias', 'encoder.blocks2.5.mixer.qkv.bias'),
        ('sub_sample3.conv.weight', 'encoder.downsample3.conv.weight'),
        ('last_conv.weight', 'encoder.legacy_head.last_conv.weight'),
    ]:
        torch.testing.assert_close(
            svtr_keys[new],
            svtr['module.FeatureExtraction.ConvNet.' + old].float())
    crnn_keys = convert_cllstr_state_dict(crnn)
    assert 'backbone.layers.12.running_var' in crnn_keys
    assert crnn_keys['backbone.layers.12.num_batches_tracked'].dtype == \
        torch.int64
    torch.testing.assert_close(
        crnn_keys['decoder.bilstm.1.embedding.weight'],
        crnn['module.SequenceModeling.1.linear.weight'].float())
    torch.testing.assert_close(crnn_keys['decoder.classifier.bias'],
                               crnn['module.Prediction.bias'].float())


def test_unknown_keys_are_refused():
    with pytest.raises(ValueError, match=r'Transformation\.LocalizationNet'):
        convert_cllstr_state_dict({
            'module.Transformation.LocalizationNet.fc.weight':
            torch.zeros(2, 2),
            'module.Prediction.weight': torch.zeros(3, 2)
        })
    with pytest.raises(ValueError, match='Not an original CLL-STR'):
        detect_cllstr_model({'module.Prediction.weight': torch.zeros(3, 2)})


def test_wrong_class_count_lists_shapes_and_writes_nothing(tmp_path):
    config = write_config(tmp_path, 'svtr',
                          stand_in_dictionary(tmp_path, 100))
    dst = tmp_path / 'svtr.pth'
    with pytest.raises(SystemExit) as exc:
        converter.main(
            [str(original('svtr')),
             str(dst), '--config',
             str(config)])
    message = str(exc.value)
    assert 'shape mismatches (2):' in message
    assert ('decoder.classifier.weight: expected (100, 512), '
            'found (4680, 512)') in message
    assert 'decoder.classifier.bias: expected (100,), found (4680,)' in message
    assert 'missing' not in message and 'tensor(' not in message
    assert not dst.exists()
    assert list(tmp_path.glob('*.tmp')) == []


def test_other_model_lists_missing_and_unexpected_keys(dict4680):
    model = build_model('svtr', dict4680)
    with pytest.raises(CheckpointMismatchError) as exc:
        load_cllstr_checkpoint(model, str(original('crnn')))
    message = str(exc.value)
    assert 'does not fit CLLSVTR' in message
    assert 'shape mismatches (1):' in message
    assert ('decoder.classifier.weight: expected (4680, 512), '
            'found (4680, 256)') in message
    assert 'missing from the checkpoint (176):' in message
    assert 'encoder.absolute_pos_embed (1, 200, 64)' in message
    assert '... and 156 more' in message
    assert 'not in the model (42):' in message
    assert 'backbone.layers.0.weight (64, 3, 3, 3)' in message
    assert 'tensor(' not in message
    assert len(message.splitlines()) < 80


def test_model_option_must_match_checkpoint(tmp_path):
    with pytest.raises(SystemExit, match="holds a crnn model, but "
                       "model_type='svtr'"):
        converter.main([
            str(original('crnn')),
            str(tmp_path / 'x.pth'), '--model', 'svtr'
        ])


def test_refuses_non_original_input(tmp_path, dict4680):
    converted = tmp_path / 'converted.pth'
    torch.save({'state_dict': {}, 'meta': {}}, converted)
    with pytest.raises(SystemExit, match='not an original CLL-STR'):
        converter.main([str(converted), str(tmp_path / 'x.pth')])


def test_check_state_dict_accepts_exact_fit(dict4680):
    model = build_model('crnn', dict4680)
    check_state_dict(model.state_dict(), model)
