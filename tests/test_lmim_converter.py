"""tools/model_converters/lmim_to_mmocr.py on checkpoints in the original's
own format and key names: the fixtures of tests/data/lmim (made by the
original LMIM classes) and an MAE checkpoint with MAE's names."""
import os
import os.path as osp

import pytest
import torch
from test_lmim_helpers import (FINETUNE_CONFIG, FINETUNE_DEPTH, FIXTURES,
                               LMIM_CONFIGS, PRETRAIN_CONFIG, PRETRAIN_DEPTH,
                               build_from_config, converter, fixture)

MAE_CONFIG = osp.join(LMIM_CONFIGS, 'mae_vit-small_8xb64-20e_mlt19.py')


def options(values):
    return ['--cfg-options', *(f'{k}={v}' for k, v in values.items())]


def convert(src, dst, *args):
    converter.main([str(src), str(dst), *args])
    return torch.load(dst, map_location='cpu')['state_dict']


def test_pretrain_fixture_converts_every_key(tmp_path):
    original = fixture('lmim_pretrain_depth2.pth')
    assert sorted(original) == ['args', 'epoch', 'model', 'optimizer',
                                'scaler']
    weights = original['model']
    converted = convert(
        osp.join(FIXTURES, 'lmim_pretrain_depth2.pth'), tmp_path / 'p.pth',
        '--config', PRETRAIN_CONFIG, *options(PRETRAIN_DEPTH))
    # the original's names, renamed one to one
    renames = (('model_maeenc_momentum.', 'teacher.'),
               ('model_maeenc.', 'encoder.'),
               ('decoder_embed2.', 'guidance_embed.'))
    expected = {}
    for key, value in weights.items():
        for old, new in renames:
            if key.startswith(old):
                key = new + key[len(old):]
                break
        expected[key] = value
    assert len(weights) == 106
    assert sorted(converted) == sorted(expected)
    for key, value in expected.items():
        assert torch.equal(converted[key], value), key
    # nothing missing or unexpected for the model of the config
    model = build_from_config(PRETRAIN_CONFIG, PRETRAIN_DEPTH)
    assert sorted(model.state_dict()) == sorted(converted)
    model.load_state_dict(converted, strict=True)


def test_finetune_fixture_converts_every_key(tmp_path):
    weights = fixture('lmim_finetune_depth2.pth')['model']
    src = osp.join(FIXTURES, 'lmim_finetune_depth2.pth')
    converted = convert(src, tmp_path / 'f.pth', '--config', FINETUNE_CONFIG,
                        *options(FINETUNE_DEPTH))
    model = build_from_config(FINETUNE_CONFIG, FINETUNE_DEPTH)
    assert sorted(model.state_dict()) == sorted(converted)
    model.load_state_dict(converted, strict=True)
    # 79 entries: 76 tensors + 3 aliases of encoder tensors (RecModel's
    # self.patch_embed / self.pos_embed)
    assert len(weights) == 79 and len(converted) == 76
    for key, value in weights.items():
        if key.startswith('encoder.'):
            assert torch.equal(converted[key], value), key
        elif key.startswith('decoder.') and 'trg_word_emb' not in key:
            assert torch.equal(converted[key], value), key
    for i, name in enumerate(('out_proj', 'out_norm')):
        for part in ('weight', 'bias'):
            assert torch.equal(converted[f'encoder.{name}.{part}'],
                               weights[f'linear_norm.{i}.{part}'])
    # 98 embedding rows (97 classes + BOS at 97) -> 97, BOS shares EOS (94)
    emb = weights['decoder.trg_word_emb.weight']
    assert emb.shape == (98, 512)
    expected_emb = emb[:97].clone()
    expected_emb[94] = emb[97]
    assert torch.equal(converted['decoder.trg_word_emb.weight'],
                       expected_emb)

    encoder_only = convert(src, tmp_path / 'e.pth', '--config',
                           FINETUNE_CONFIG, '--encoder-only',
                           *options(FINETUNE_DEPTH))
    assert sorted(encoder_only) == sorted(
        k for k in converted if k.startswith('encoder.'))


def test_finetune_keys_of_no_known_part_are_errors(tmp_path):
    weights = fixture('lmim_finetune_depth2.pth')['model']
    args = ['--config', FINETUNE_CONFIG, *options(FINETUNE_DEPTH)]

    def fails(state_dict, match):
        src = tmp_path / 'bad.pth'
        torch.save({'model': state_dict}, src)
        dst = tmp_path / 'not_written.pth'
        with pytest.raises(converter.CheckpointMismatchError, match=match):
            converter.main([str(src), str(dst), *args])
        assert not dst.exists()

    fails({**weights, 'head.fc.weight': torch.zeros(2)},
          r"no known part.*\['head\.fc\.weight'\]")
    fails({**weights, 'pos_embed': weights['pos_embed'] + 1},
          'pos_embed differs from encoder.pos_embed')
    fails({k: v for k, v in weights.items()
           if k != 'decoder.layer_norm.bias'}, 'decoder.layer_norm.bias')
    fails({k: v for k, v in weights.items()
           if k != 'decoder.trg_word_emb.weight'} | {
               'decoder.trg_word_emb.weight':
               weights['decoder.trg_word_emb.weight'][:97]}, 'BOS')
    assert [f for f in os.listdir(tmp_path) if f.endswith('.tmp')] == []


def test_position_layout_mismatch_is_an_error(tmp_path):
    dst = tmp_path / 'not_written.pth'
    with pytest.raises(converter.CheckpointMismatchError,
                       match=r"fixed position tables \['decoder_pos_embed', "
                       r"'encoder.pos_embed', 'teacher.pos_embed'\].*"
                       'pos_embed_grid'):
        converter.main([
            osp.join(FIXTURES, 'lmim_pretrain_depth2.pth'),
            str(dst), '--config', PRETRAIN_CONFIG,
            *options({**PRETRAIN_DEPTH,
                      'model.encoder.pos_embed_grid': 'patches'})
        ])
    assert not dst.exists()


def test_mae_checkpoint_with_maes_names(tmp_path):
    """MAE/MAERec's layout: the encoder at the top level (the original's
    own encoder names, taken from the fixture), decoder_* and mask_token
    beside it, decoder blocks named as timm's Block."""
    lmim = fixture('lmim_pretrain_depth2.pth')['model']
    mae = {
        k[len('model_maeenc.'):]: v
        for k, v in lmim.items() if k.startswith('model_maeenc.')
    }
    torch.manual_seed(0)
    decoder = {
        'mask_token': lmim['mask_token'],
        'decoder_pos_embed': lmim['decoder_pos_embed'],
        'decoder_embed.weight': lmim['decoder_embed.weight'],
        'decoder_embed.bias': lmim['decoder_embed.bias'],
        'decoder_norm.weight': lmim['decoder_norm.weight'],
        'decoder_norm.bias': lmim['decoder_norm.bias'],
        'decoder_pred.weight': torch.randn(48, 512),
        'decoder_pred.bias': torch.randn(48),
    }
    for name, shape in (('norm1.weight', (512, )), ('norm1.bias', (512, )),
                        ('attn.qkv.weight', (1536, 512)),
                        ('attn.qkv.bias', (1536, )),
                        ('attn.proj.weight', (512, 512)),
                        ('attn.proj.bias', (512, )),
                        ('norm2.weight', (512, )), ('norm2.bias', (512, )),
                        ('mlp.fc1.weight', (2048, 512)),
                        ('mlp.fc1.bias', (2048, )),
                        ('mlp.fc2.weight', (512, 2048)),
                        ('mlp.fc2.bias', (512, ))):
        decoder[f'decoder_blocks.0.{name}'] = torch.randn(shape)
    src = tmp_path / 'vit_small_checkpoint-19.pth'
    torch.save({'model': {**mae, **decoder}, 'epoch': 19}, src)
    mae_options = {**PRETRAIN_DEPTH, 'model.decoder_depth': 1}
    converted = convert(src, tmp_path / 'mae.pth', '--config', MAE_CONFIG,
                        *options(mae_options))
    assert sorted(converted) == sorted(
        ['encoder.' + k for k in mae] + list(decoder))
    for key, value in mae.items():
        assert torch.equal(converted['encoder.' + key], value), key
    model = build_from_config(MAE_CONFIG, mae_options)
    model.load_state_dict(converted, strict=True)

    # against the default ViT-Small config (12 blocks): every missing block
    # is listed and nothing is written
    dst = tmp_path / 'not_written.pth'
    with pytest.raises(converter.CheckpointMismatchError) as err:
        converter.main([str(src), str(dst), *options(
            {'model.decoder_depth': 1})])
    message = str(err.value)
    assert 'missing from the checkpoint' in message
    assert 'encoder.blocks.2.norm1.weight (384,)' in message
    assert message.endswith('describing the model the checkpoint was '
                            'trained with.')
    assert not dst.exists()


def test_unknown_format_is_reported(tmp_path):
    src = tmp_path / 'other.pth'
    torch.save({'model': {'backbone.weight': torch.zeros(1)}}, src)
    with pytest.raises(KeyError, match='--format'):
        converter.main([str(src), str(tmp_path / 'x.pth')])
