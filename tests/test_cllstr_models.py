"""CLL-STR SVTR-Tiny and CRNN as MMOCR modules: shapes, parameter counts,
head, losses, preprocessing and initialisation."""
import numpy as np
import pytest
import torch
from cllstr_model_helpers import build_model, logits, stand_in_dictionary
from mmengine.structures import LabelData
from mmocr.registry import MODELS, WEIGHT_INITIALIZERS
from mmocr.structures import TextRecogDataSample

from cllstr_mm.models.decoders import CLLCTCDecoder
from cllstr_mm.models.encoders import CLLSVTREncoder
from cllstr_mm.models.recognizers import CLLSTRInit


@pytest.fixture(scope='module')
def dict4680(tmp_path_factory):
    return stand_in_dictionary(tmp_path_factory.mktemp('dict'))


@pytest.fixture(scope='module')
def svtr(dict4680):
    return build_model('svtr', dict4680).eval()


@pytest.fixture(scope='module')
def crnn(dict4680):
    return build_model('crnn', dict4680).eval()


def data_sample(text=None):
    sample = TextRecogDataSample(
        metainfo=dict(valid_ratio=1.0, img_shape=(32, 100)))
    if text is not None:
        sample.gt_text = LabelData(item=text)
    return sample


def num_params(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters()
               if p.requires_grad or not trainable_only)


def test_svtr_parameter_count_and_shapes(svtr):
    # The original's 8.02M include three modules its forward never uses;
    # here they are kept frozen in encoder.legacy_head.
    assert num_params(svtr) == 8_021_768
    assert round(num_params(svtr) / 1e6, 2) == 8.02
    assert num_params(svtr.encoder.legacy_head) == 328_704
    assert num_params(svtr, trainable_only=True) == 8_021_768 - 328_704
    assert not svtr.with_backbone
    x = torch.randn(2, 3, 32, 100)
    with torch.no_grad():
        feat = svtr.encoder(x)
        out = logits(svtr, x)
    assert feat.shape == (2, 512, 1, 25)
    assert out.shape == (2, 25, 4680)


def test_crnn_parameter_count_and_shapes(crnn):
    assert num_params(crnn) == 9_646_024
    assert round(num_params(crnn) / 1e6, 2) == 9.65
    assert not crnn.with_encoder
    x = torch.randn(2, 3, 32, 100)
    with torch.no_grad():
        feat = crnn.backbone(x)
        out = logits(crnn, x)
    assert feat.shape == (2, 512, 1, 24)
    assert out.shape == (2, 24, 4680)


def test_svtr_architecture(svtr):
    encoder = svtr.encoder
    mixers = [
        block.mixer.mixer for stage in (1, 2, 3)
        for block in getattr(encoder, f'blocks{stage}')
    ]
    assert mixers == ['Local'] * 6 + ['Global'] * 6
    heads = [
        getattr(encoder, f'blocks{s}')[0].mixer.num_heads for s in (1, 2, 3)
    ]
    assert heads == [2, 4, 8]
    # Pre-norm residual blocks (MMOCR calls this prenorm=False).
    assert all(not b.prenorm for s in (1, 2, 3)
               for b in getattr(encoder, f'blocks{s}'))
    drop_paths = [
        getattr(b.drop_path, 'drop_prob', 0.) for s in (1, 2, 3)
        for b in getattr(encoder, f'blocks{s}')
    ]
    np.testing.assert_allclose(drop_paths, np.linspace(0, 0.1, 12))
    local = encoder.blocks1[0].mixer
    assert local.mask.shape == (1, 1, 200, 200)
    # A 7x11 window around the token at row 4, column 12 of the 8x25 grid.
    visible = (local.mask[0, 0, 4 * 25 + 12] == 0).reshape(8, 25)
    assert visible.sum() == 7 * 11
    assert visible[1:8, 7:18].all()
    assert all(conv.stride == (2, 1) for conv in (
        encoder.downsample1.conv, encoder.downsample2.conv,
        encoder.downsample3.conv))
    # The window mask comes from the config, not from checkpoints.
    assert not any(k.endswith('mask') for k in svtr.state_dict())


def test_svtr_rejects_other_input_size(svtr):
    with pytest.raises(ValueError, match='expects 32x100 inputs.*got 32x128'):
        svtr.encoder(torch.randn(1, 3, 32, 128))


def test_encoder_config_errors():
    with pytest.raises(ValueError, match='mixer_types has 3 entries'):
        CLLSVTREncoder(mixer_types=('Local', ) * 3)


def test_head_pools_height_then_classifies(tmp_path):
    decoder = CLLCTCDecoder(
        in_channels=8, dictionary=stand_in_dictionary(tmp_path, 10))
    feat = torch.randn(2, 8, 3, 5)
    expected = decoder.classifier(feat.mean(dim=2).transpose(1, 2))
    torch.testing.assert_close(decoder.forward_train(feat=feat), expected)
    # An encoder output, when there is one, takes precedence over feat.
    torch.testing.assert_close(
        decoder.forward_train(feat=torch.zeros(2, 3, 32, 100), out_enc=feat),
        expected)
    probs = decoder.forward_test(feat=feat)
    torch.testing.assert_close(probs, expected.softmax(-1))
    assert decoder.dictionary.num_classes == 10


def test_eval_forward_returns_probabilities(crnn):
    x = torch.randn(2, 3, 32, 100)
    with torch.no_grad():
        probs = crnn(x, mode='tensor')
        raw = logits(crnn, x)
    torch.testing.assert_close(probs, raw.softmax(-1))
    torch.testing.assert_close(probs.sum(-1), torch.ones(2, 24))


def test_data_preprocessor_matches_original_normalisation(svtr):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (32, 100, 3), dtype=np.uint8)
    bgr = torch.from_numpy(rgb[..., ::-1].copy()).permute(2, 0, 1)
    data = svtr.data_preprocessor(
        dict(inputs=[bgr], data_samples=[data_sample()]))
    expected = (torch.from_numpy(rgb).permute(2, 0, 1).float() / 255 -
                0.5) / 0.5
    torch.testing.assert_close(data['inputs'][0], expected)


@pytest.mark.parametrize('name', ['svtr', 'crnn'])
def test_loss_backward_and_predict(tmp_path, name):
    torch.manual_seed(0)
    model = build_model(name, stand_in_dictionary(tmp_path, 12))
    chars = model.decoder.dictionary.dict[:8]
    samples = [
        data_sample(''.join(chars[:3])),
        data_sample(''.join(chars[3:8]))
    ]
    images = [torch.randint(0, 256, (3, 32, 100), dtype=torch.uint8)] * 2
    data = model.data_preprocessor(
        dict(inputs=images, data_samples=samples), training=True)
    model.train()
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    assert set(losses) == {'loss_ctc', 'ctc_dropped'}
    assert torch.isfinite(losses['loss_ctc'])
    losses['loss_ctc'].backward()
    assert all(p.grad is not None for p in model.parameters()
               if p.requires_grad)
    if name == 'svtr':
        assert all(p.grad is None
                   for p in model.encoder.legacy_head.parameters())
    model.eval()
    with torch.no_grad():
        preds = model(data['inputs'], data['data_samples'], mode='predict')
    assert len(preds) == 2
    assert all(isinstance(p.pred_text.item, str) for p in preds)


@pytest.mark.parametrize('name', ['svtr', 'crnn'])
def test_cllstr_init_follows_original_rule(dict4680, name):
    torch.manual_seed(0)
    model = build_model(name, dict4680)
    assert model.init_cfg == dict(type='CLLSTRInit')
    pos_before = (model.encoder.absolute_pos_embed.clone()
                  if name == 'svtr' else None)
    model.init_weights()
    for key, param in model.named_parameters():
        if 'bias' in key:
            assert torch.all(param == 0), key
        elif 'weight' in key and param.dim() == 1:
            assert torch.all(param == 1), key
    classifier = model.decoder.classifier.weight
    fan_in = classifier.shape[1]
    assert abs(classifier.std().item() / (2 / fan_in)**0.5 - 1) < 0.02
    if name == 'svtr':
        # Not a weight or bias: keeps its truncated-normal(0.02) init.
        torch.testing.assert_close(model.encoder.absolute_pos_embed,
                                   pos_before)
        assert 0.015 < pos_before.std().item() < 0.021
    else:
        lstm = model.decoder.bilstm[0].rnn.weight_ih_l0
        assert abs(lstm.std().item() / (2 / lstm.shape[1])**0.5 - 1) < 0.02


def test_cllstr_init_zero_residual_branches_starts_svtr_as_identity_blocks(
        dict4680):
    torch.manual_seed(0)
    model = build_model('svtr', dict4680)
    model.init_cfg = dict(type='CLLSTRInit', zero_residual_branches=True)
    model.init_weights()
    zeroed = [
        key for key, param in model.named_parameters()
        if key.endswith(('mixer.proj.weight', 'mlp.fc2.weight'))
    ]
    assert len(zeroed) == 2 * 12  # two branches in each of the 12 blocks
    for key, param in model.named_parameters():
        if key in zeroed or 'bias' in key:
            assert torch.all(param == 0), key
        elif param.dim() >= 2 and param.requires_grad:
            assert param.abs().sum() > 0, key
    # Every mixing block passes its input through unchanged, in train mode
    # too (drop path of a zero branch is zero), so SVTR starts as its conv
    # path; the branches still get gradients and grow.
    model.train()
    encoder = model.encoder
    x = torch.randn(2, 8 * 25, 64, requires_grad=True)
    block = encoder.blocks1[0]
    out = block(x)
    torch.testing.assert_close(out, x)
    out.pow(2).sum().backward()
    assert block.mixer.proj.weight.grad.abs().sum() > 0
    assert block.mlp.fc2.weight.grad.abs().sum() > 0


def test_registered_in_mmocr_registries():
    for name in ('CLLSVTREncoder', 'CLLVGG', 'CLLCTCDecoder'):
        assert MODELS.get(name) is not None, name
    assert WEIGHT_INITIALIZERS.get('CLLSTRInit') is CLLSTRInit
