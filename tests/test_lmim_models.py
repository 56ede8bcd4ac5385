"""ViT encoder, MAE/LMIM pretrainers, recogniser, loss and optimiser of
the LMIM port."""
import argparse
import math
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.structures import LabelData
from mmocr.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmocr.structures import TextRecogDataSample
from test_lmim_helpers import LMIM_CONFIGS, REPO, TINY_VIT

from cllstr_mm.models.encoders.vit_encoder import (ViTEncoder,
                                                   extract_vit_state_dict,
                                                   random_masking,
                                                   sincos_pos_embed_2d)
from cllstr_mm.utils.checkpoint import CheckpointMismatchError


def build(cfg):
    return MODELS.build(cfg)


def tiny_mae(**kwargs):
    return build(
        dict(
            type='MAEPretrainer',
            encoder=TINY_VIT,
            decoder_dims=32,
            decoder_depth=1,
            decoder_heads=2,
            data_preprocessor=dict(type='MultiViewDataPreprocessor'),
            **kwargs))


def tiny_lmim(**kwargs):
    return build(
        dict(
            type='LMIMPretrainer',
            encoder=TINY_VIT,
            decoder_dims=32,
            decoder_heads=2,
            decoder_ffn_dims=64,
            data_preprocessor=dict(type='MultiViewDataPreprocessor'),
            **kwargs))


def test_sincos_pos_embed_matches_mae_formula():
    dim, rows, cols = 8, 2, 3
    embed = sincos_pos_embed_2d(dim, (rows, cols))
    assert embed.shape == (1, 1 + rows * cols, dim)
    assert torch.equal(embed[0, 0], torch.zeros(dim))
    omega = [1 / 10000**(i / 2) for i in range(2)]
    for r in range(rows):
        for c in range(cols):
            expected = [math.sin(c * w) for w in omega] + \
                [math.cos(c * w) for w in omega] + \
                [math.sin(r * w) for w in omega] + \
                [math.cos(r * w) for w in omega]
            assert torch.allclose(embed[0, 1 + r * cols + c],
                                  torch.tensor(expected), atol=1e-6)
    with pytest.raises(ValueError, match='divisible by 4'):
        sincos_pos_embed_2d(6, (2, 2))


def test_vit_small_shapes_and_parameter_count():
    vit = ViTEncoder()
    assert sum(p.numel() for p in vit.parameters()) == 21_313_536
    assert vit.num_patches == 256 and vit.pos_embed.shape == (1, 257, 384)
    # timm / MAE parameter names
    names = set(vit.state_dict())
    for key in ('patch_embed.proj.weight', 'cls_token', 'pos_embed',
                'blocks.11.norm1.weight', 'blocks.11.attn.qkv.weight',
                'blocks.11.attn.proj.weight', 'blocks.11.norm2.bias',
                'blocks.11.mlp.fc1.weight', 'blocks.11.mlp.fc2.bias',
                'norm.weight'):
        assert key in names


def test_vit_encoder_forward_masking_and_projection():
    torch.manual_seed(0)
    vit = ViTEncoder(embed_dims=32, depth=2, num_heads=2, out_dims=16)
    vit.init_weights()
    imgs = torch.randn(3, 3, 32, 128)
    assert vit(imgs).shape == (3, 257, 16)
    tokens, mask, ids_restore = vit.encode(imgs, mask_ratio=0.8)
    assert tokens.shape == (3, 1 + 51, 32)
    assert mask.shape == (3, 256) and torch.all(mask.sum(1) == 205)
    full = vit.encode(imgs)[0]
    assert full.shape == (3, 257, 32)
    with pytest.raises(ValueError, match='32x128'):
        vit(torch.randn(1, 3, 32, 100))


def test_vit_encoder_grid_layout_puts_each_patch_at_its_place():
    torch.manual_seed(0)
    vit = ViTEncoder(img_size=(16, 32), patch_size=8, embed_dims=32,
                     depth=1, num_heads=2, pos_embed_grid='patches',
                     out_layout='grid')
    vit.init_weights()
    imgs = torch.randn(2, 3, 16, 32)
    grid = vit(imgs)
    assert grid.shape == (2, 32, 2, 4)
    tokens = vit.encode(imgs)[0]
    # token 1 + r * 4 + c (after the class token) is the patch at row r,
    # column c of the 2x4 grid
    for r in range(2):
        for c in range(4):
            assert torch.equal(grid[:, :, r, c], tokens[:, 1 + r * 4 + c])
    with pytest.raises(ValueError, match='out_layout'):
        ViTEncoder(depth=1, out_layout='columns')


def test_random_masking_restores_order():
    torch.manual_seed(1)
    x = torch.arange(2 * 10 * 1, dtype=torch.float).view(2, 10, 1)
    kept, mask, ids_restore = random_masking(x, 0.6)
    assert kept.shape == (2, 4, 1)
    removed = torch.full((2, 6, 1), -1.)
    restored = torch.gather(
        torch.cat([kept, removed], 1), 1, ids_restore.unsqueeze(-1))
    assert torch.equal(restored[mask == 0], x[mask == 0])
    assert torch.all(restored[mask == 1] == -1)


def test_fixed_layers_freeze_patch_embed_and_first_blocks():
    vit = ViTEncoder(embed_dims=32, depth=3, num_heads=2, fixed_layers=2)
    frozen = {n for n, p in vit.named_parameters() if not p.requires_grad}
    assert frozen == {
        n
        for n, _ in vit.named_parameters()
        if n.startswith(('patch_embed.', 'blocks.0.'))
    }
    with pytest.raises(ValueError, match='fixed_layers'):
        ViTEncoder(embed_dims=32, depth=3, num_heads=2, fixed_layers=5)


def test_pretrained_loading_formats_and_loud_errors(tmp_path):
    src = ViTEncoder(embed_dims=32, depth=2, num_heads=2)
    src.init_weights()
    weights = src.state_dict()
    mae_file = str(tmp_path / 'mae.pth')
    mae_sd = {**weights, 'decoder_embed.weight': torch.zeros(4, 32),
              'mask_token': torch.zeros(1, 1, 4)}
    # MAE saves its argparse namespace with the weights
    torch.save({'model': mae_sd, 'epoch': 19,
                'args': argparse.Namespace(model='mae_vit_small_patch4')},
               mae_file)
    lmim_file = str(tmp_path / 'lmim.pth')

    def shifted(prefix, by):
        # the fixed position table stays what it is
        return {prefix + k: v if k == 'pos_embed' else v + by
                for k, v in weights.items()}

    torch.save({
        'model': {
            **shifted('model_maeenc.', 1),
            **shifted('model_maeenc_momentum.', 2)
        }
    }, lmim_file)

    dst = ViTEncoder(embed_dims=32, depth=2, num_heads=2, out_dims=8,
                     init_cfg=dict(type='Pretrained', checkpoint=mae_file))
    dst.init_weights()
    for key, value in weights.items():
        assert torch.equal(dst.state_dict()[key], value), key

    dst.load_pretrained(lmim_file)  # the student by default
    assert torch.equal(dst.cls_token, weights['cls_token'] + 1)
    dst.load_pretrained(lmim_file, prefix='model_maeenc_momentum.')
    assert torch.equal(dst.cls_token, weights['cls_token'] + 2)

    # a table of the other layout is refused, naming the option
    true_grid = ViTEncoder(embed_dims=32, depth=2, num_heads=2,
                           pos_embed_grid='patches')
    with pytest.raises(RuntimeError,
                       match="pos_embed_grid='square' code.*configured "
                       "with pos_embed_grid='patches'"):
        true_grid.load_pretrained(mae_file)
    learnt = str(tmp_path / 'learnt.pth')
    torch.save({'model': {**weights, 'pos_embed': torch.randn(1, 257, 32)}},
               learnt)
    with pytest.raises(RuntimeError, match='neither sin-cos layout'):
        dst.load_pretrained(learnt)

    deeper = ViTEncoder(embed_dims=32, depth=3, num_heads=2)
    with pytest.raises(CheckpointMismatchError,
                       match=r'depth=3, 256 patches\).*:\n  missing from the '
                       r'checkpoint \(\d+\):\n    blocks\.2\.'):
        deeper.load_pretrained(mae_file)
    wider = ViTEncoder(embed_dims=64, depth=2, num_heads=2)
    with pytest.raises(CheckpointMismatchError,
                       match=r'shape mismatches \(\d+\):\n    cls_token: '
                       r'expected \(1, 1, 64\), found \(1, 1, 32\)'):
        wider.load_pretrained(mae_file)
    unrelated = str(tmp_path / 'unrelated.pth')
    torch.save({'state_dict': {'backbone.conv.weight': torch.zeros(1)}},
               unrelated)
    with pytest.raises(KeyError, match='No ViT encoder weights'):
        dst.load_pretrained(unrelated)
    with pytest.raises(KeyError, match='No ViT encoder weights'):
        extract_vit_state_dict(weights, prefix='teacher.')


def test_mae_pretrainer_patchify_and_loss():
    torch.manual_seed(0)
    model = tiny_mae()
    model.init_weights()
    imgs = torch.arange(2 * 3 * 32 * 128, dtype=torch.float).view(
        2, 3, 32, 128)
    patches = model.patchify(imgs)
    assert patches.shape == (2, 256, 48)
    # patch (row 1, column 2), pixel (y 3, x 1), channel 2
    assert patches[1, 1 * 32 + 2, (3 * 4 + 1) * 3 + 2] == imgs[1, 2, 4 + 3,
                                                              8 + 1]
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 256, (1, 3, 32, 128),
                                   dtype=torch.uint8) for _ in range(2)]))
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_rec'} and torch.isfinite(losses['loss_rec'])
    losses['loss_rec'].backward()
    assert model.decoder_pred.weight.grad is not None


def test_lmim_pretrainer_losses_teacher_and_modes():
    torch.manual_seed(0)
    model = tiny_lmim()
    model.init_weights()
    model.train()
    assert not model.teacher.training
    assert not any(p.requires_grad for p in model.teacher.parameters())
    inputs = torch.randn(2, 2, 3, 32, 128)
    losses = model(inputs, mode='loss')
    assert set(losses) == {'loss_mim', 'loss_cls'}
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert model.encoder.cls_token.grad is not None
    assert model.guidance_embed.weight.grad is not None
    assert model(inputs, mode='tensor').shape == (2, 257, 32)
    with pytest.raises(ValueError, match='mode'):
        model(inputs, mode='predict')
    with pytest.raises(ValueError, match='2 view'):
        model(inputs[:, :1], mode='loss')


def test_lmim_teacher_momentum_update():
    torch.manual_seed(0)
    model = tiny_lmim(teacher_momentum=0.5)
    model.init_weights()
    with torch.no_grad():
        for param in model.encoder.parameters():
            param.add_(1.)
    before = model.teacher.cls_token.clone()
    model.train()
    model(torch.randn(1, 2, 3, 32, 128), mode='loss')
    expected = 0.5 * before + 0.5 * model.encoder.cls_token
    assert torch.allclose(model.teacher.cls_token, expected)
    with pytest.raises(ValueError, match='teacher_momentum'):
        tiny_lmim(teacher_momentum=1.5)


def test_masked_mse_counts_only_removed_patches():
    pred = torch.zeros(1, 3, 2)
    target = torch.tensor([[[1., 1.], [2., 2.], [3., 3.]]])
    mask = torch.tensor([[0., 1., 1.]])
    model = tiny_mae()
    assert model.masked_mse(pred, target, mask).item() == pytest.approx(6.5)


def english_recogniser_cfg():
    cfg = Config.fromfile(
        osp.join(LMIM_CONFIGS, 'lmim-nrtr_vit-small_8xb64-10e_union14m-l.py'))
    return cfg.model


def test_english_recogniser_has_97_classes_and_35_8m_parameters():
    model = build(english_recogniser_cfg())
    assert model.decoder.dictionary.num_classes == 97
    assert model.decoder.dictionary.dict[94] == '<BOS/EOS>'
    total = sum(p.numel() for p in model.parameters())
    assert total == 35_790_945  # "35.8M" of the paper


def test_tiny_recogniser_loss_and_predict():
    cfg = english_recogniser_cfg()
    cfg.encoder = dict(TINY_VIT, out_dims=32)
    cfg.decoder.update(
        n_layers=1, d_embedding=32, n_head=2, d_k=16, d_v=16, d_model=32,
        d_inner=32, max_seq_len=8)
    model = build(cfg)
    samples = []
    for text in ('Ab1', 'x!'):
        sample = TextRecogDataSample()
        sample.set_metainfo(dict(valid_ratio=1.0))
        sample.gt_text = LabelData(item=text)
        samples.append(sample)
    inputs = torch.randn(2, 3, 32, 128)
    losses = model(inputs, samples, mode='loss')
    assert torch.isfinite(losses['loss_ce'].mean())
    model.eval()
    preds = model(inputs, samples, mode='predict')
    assert len(preds) == 2 and isinstance(preds[0].pred_text.item, str)


ENGLISH_DICT = dict(
    type='Dictionary',
    dict_file=osp.join(REPO, 'cllstr_mm', 'dicts', 'english_printable94.txt'),
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True)


def test_label_smoothing_loss_formula():
    dictionary = ENGLISH_DICT
    eps = 0.1
    loss = build(
        dict(
            type='LabelSmoothCEModuleLoss',
            dictionary=dictionary,
            label_smoothing=eps,
            normalize=None,
            max_seq_len=6,
            flatten=True,
            ignore_first_char=True,
            reduction='mean'))
    plain = build(
        dict(
            type='CEModuleLoss',
            dictionary=dictionary,
            max_seq_len=6,
            flatten=True,
            ignore_first_char=True,
            reduction='mean'))
    sample = TextRecogDataSample()
    sample.gt_text = LabelData(item='ab')
    samples = loss.get_targets([sample])
    torch.manual_seed(0)
    logits = torch.randn(1, 6, 97)
    targets = samples[0].gt_text.padded_indexes[1:]  # b, EOS, PAD...
    valid = targets != 95
    logp = F.log_softmax(logits[0, :-1], -1)[valid]
    nll = -logp.gather(1, targets[valid, None]).squeeze(1)
    expected = ((1 - eps) * nll + eps * -logp.mean(1)).mean()
    got = loss(logits, samples)['loss_ce']
    assert got.item() == pytest.approx(expected.item(), rel=1e-5)
    zero = build(
        dict(
            type='LabelSmoothCEModuleLoss', dictionary=dictionary,
            normalize=None, max_seq_len=6, flatten=True,
            ignore_first_char=True, reduction='mean'))
    assert zero(logits, samples)['loss_ce'].item() == pytest.approx(
        plain(logits, samples)['loss_ce'].item())
    with pytest.raises(ValueError, match='label_smoothing'):
        build(dict(type='LabelSmoothCEModuleLoss', dictionary=dictionary,
                   label_smoothing=1.0))


def test_loss_scale_is_the_originals_sum_over_tokens_per_sample():
    """The original's SeqCrossEntropyLoss: the NLL summed over each word's
    characters and EOS, divided by the batch size."""
    loss = build(
        dict(
            type='LabelSmoothCEModuleLoss',
            dictionary=ENGLISH_DICT,
            max_seq_len=8,
            flatten=True,
            ignore_first_char=True))
    samples = []
    for text in ('ab', 'Hello'):
        sample = TextRecogDataSample()
        sample.gt_text = LabelData(item=text)
        samples.append(sample)
    samples = loss.get_targets(samples)
    torch.manual_seed(1)
    logits = torch.randn(2, 8, 97)
    chars = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
    total = 0.
    for i, text in enumerate(('ab', 'Hello')):
        # output t predicts character t, then EOS (94) after the last one
        targets = [chars.index(c) for c in text] + [94]
        logp = F.log_softmax(logits[i], -1)
        total -= sum(logp[t, c].item() for t, c in enumerate(targets))
    got = loss(logits, samples)['loss_ce']
    assert got.dim() == 0
    assert got.item() == pytest.approx(total / 2, rel=1e-5)
    with pytest.raises(ValueError, match='reduction= applies only'):
        build(dict(type='LabelSmoothCEModuleLoss', dictionary=ENGLISH_DICT,
                   reduction='mean'))
    with pytest.raises(ValueError, match='normalize'):
        build(dict(type='LabelSmoothCEModuleLoss', dictionary=ENGLISH_DICT,
                   normalize='tokens'))


def build_optim(model, **paramwise):
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(
            type='LayerDecayOptimWrapperConstructor',
            optim_wrapper_cfg=dict(
                type='OptimWrapper',
                optimizer=dict(type='AdamW', lr=1.0, weight_decay=0.05)),
            paramwise_cfg=paramwise))
    return constructor(model)


def test_layer_decay_groups_follow_beit_rules():
    cfg = english_recogniser_cfg()
    cfg.encoder = dict(TINY_VIT, out_dims=32, fixed_layers=1)
    cfg.decoder.update(
        n_layers=1, d_embedding=32, n_head=2, d_k=16, d_v=16, d_model=32,
        d_inner=32)
    model = build(cfg)
    optim = build_optim(
        model, layer_decay_rate=0.5, no_decay_keys=('cls_token', ))
    settings = {}
    names = {id(p): n for n, p in model.named_parameters()}
    for group in optim.optimizer.param_groups:
        for param in group['params']:
            settings[names[id(param)]] = (group['lr'], group['weight_decay'])
    # depth 2: id 0 -> 0.5 ** 3, blocks.N -> 0.5 ** (2 - N), rest -> 1
    assert settings['encoder.cls_token'] == (0.125, 0.)
    assert settings['encoder.blocks.0.attn.qkv.weight'] == (0.25, 0.05)
    assert settings['encoder.blocks.0.attn.qkv.bias'] == (0.25, 0.)
    assert settings['encoder.blocks.1.norm1.weight'] == (0.5, 0.)
    assert settings['encoder.norm.weight'] == (1.0, 0.)
    assert settings['encoder.out_proj.weight'] == (1.0, 0.05)
    assert settings['decoder.classifier.weight'] == (1.0, 0.05)
    # frozen by fixed_layers=1: left out
    assert not any(n.startswith('encoder.patch_embed') for n in settings)
    assert len(settings) == sum(
        1 for p in model.parameters() if p.requires_grad)


def test_pretraining_optimiser_skips_teacher_and_1d_weights():
    model = tiny_lmim()
    optim = build_optim(model, layer_decay_rate=1.0)
    params = [p for g in optim.optimizer.param_groups for p in g['params']]
    teacher = {id(p) for p in model.teacher.parameters()}
    assert not any(id(p) in teacher for p in params)
    for group in optim.optimizer.param_groups:
        assert group['lr'] == 1.0
        for param in group['params']:
            assert group['weight_decay'] == (0. if param.ndim == 1 else 0.05)
    with pytest.raises(KeyError, match='unknown paramwise_cfg'):
        build_optim(model, norm_decay_mult=0.)


@pytest.mark.parametrize('config', [
    'mae_vit-small_8xb64-20e_mlt19.py', 'lmim_vit-small_8xb64-10e_mlt19.py',
    'lmim_vit-small_8xb64-10e_union14m-u.py',
    'lmim-nrtr_vit-small_8xb64-10e_union14m-l.py',
    'lmim-nrtr_vit-small_8xb64-10e_mlt19.py'
])
def test_leaf_configs_parse_and_build(config):
    cfg = Config.fromfile(osp.join(LMIM_CONFIGS, config))
    assert cfg.default_scope == 'mmocr'
    assert cfg.custom_imports['imports'] == ['cllstr_mm']
    assert cfg.auto_scale_lr == dict(enable=True, base_batch_size=256)
    model = build(cfg.model)
    assert model.encoder.embed_dims == 384 and model.encoder.depth == 12
    if 'nrtr' in config:
        assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.75
    else:
        assert cfg.optim_wrapper.optimizer.betas == (0.9, 0.95)
        assert cfg.train_dataloader.drop_last
    if config.startswith('lmim_'):
        # the pretraining base leaves the images to the leaf
        assert cfg.train_dataloader.dataset.datasets
        assert cfg.model.teacher_checkpoint.endswith('.pth')
        assert (cfg.model.mask_ratio, cfg.model.decoder_depth) == (0.8, 2)


def test_multilingual_recogniser_uses_the_joint_dictionary():
    cfg = Config.fromfile(
        osp.join(LMIM_CONFIGS, 'lmim-nrtr_vit-small_8xb64-10e_mlt19.py'))
    cfg.model.encoder = dict(TINY_VIT, out_dims=32)
    cfg.model.decoder.update(
        n_layers=1, d_embedding=32, n_head=2, d_k=16, d_v=16, d_model=32,
        d_inner=32)
    model = build(cfg.model)
    dictionary = model.decoder.dictionary
    assert dictionary.num_classes == 4680
    assert dictionary.start_idx == dictionary.end_idx
    samples = []
    for text in ('한국어', 'Hello'):
        sample = TextRecogDataSample()
        sample.set_metainfo(dict(valid_ratio=1.0))
        sample.gt_text = LabelData(item=text)
        samples.append(sample)
    losses = model(torch.randn(2, 3, 32, 128), samples, mode='loss')
    assert torch.isfinite(losses['loss_ce'].mean())
    assert samples[0].gt_text.padded_indexes[0] == dictionary.start_idx
