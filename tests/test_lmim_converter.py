"""tools/model_converters/lmim_to_mmocr.py on original-format checkpoints
made from tiny models."""
import importlib.util
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS
from test_lmim_helpers import REPO, TINY_VIT

spec = importlib.util.spec_from_file_location(
    'lmim_to_mmocr', osp.join(REPO, 'tools/model_converters/lmim_to_mmocr.py'))
converter = importlib.util.module_from_spec(spec)
spec.loader.exec_module(converter)

TINY_ENCODER_OPTIONS = [
    'model.encoder.embed_dims=32', 'model.encoder.depth=2',
    'model.encoder.num_heads=2'
]
TINY_PRETRAIN = TINY_ENCODER_OPTIONS + [
    'model.decoder_dims=32', 'model.decoder_heads=2'
]
TINY_RECOGNISER = TINY_ENCODER_OPTIONS + [
    'model.encoder.out_dims=32', 'model.decoder.n_layers=1',
    'model.decoder.d_embedding=32', 'model.decoder.n_head=2',
    'model.decoder.d_k=16', 'model.decoder.d_v=16',
    'model.decoder.d_model=32', 'model.decoder.d_inner=32'
]


def random_state(model):
    torch.manual_seed(0)
    return {
        k: torch.randn(v.shape) if v.is_floating_point() else v
        for k, v in model.state_dict().items()
    }


def convert(src, dst, *options):
    converter.main([str(src), str(dst), *options])
    return torch.load(dst, map_location='cpu')['state_dict']


def test_lmim_pretrain_checkpoint(tmp_path):
    model = MODELS.build(
        dict(
            type='LMIMPretrainer',
            encoder=TINY_VIT,
            decoder_dims=32,
            decoder_heads=2,
            decoder_ffn_dims=2048))
    ours = random_state(model)
    rename = {'encoder.': 'model_maeenc.', 'teacher.':
              'model_maeenc_momentum.', 'guidance_embed.': 'decoder_embed2.'}
    original = {}
    for key, value in ours.items():
        for new, old in rename.items():
            if key.startswith(new):
                key = old + key[len(new):]
        original[key] = value.half()
    src = tmp_path / 'checkpoint-9.pth'
    torch.save({'model': original, 'epoch': 9}, src)
    converted = convert(src, tmp_path / 'lmim.pth', '--config',
                        osp.join(REPO, 'configs/lmim/'
                                 'lmim_vit-small_8xb64-10e_mlt19.py'),
                        '--cfg-options', *TINY_PRETRAIN)
    assert set(converted) == set(ours)
    for key, value in ours.items():
        assert converted[key].dtype == torch.float32
        assert torch.equal(converted[key], value.half().float()), key
    model.load_state_dict(converted)


def test_mae_checkpoint_with_default_dims_check(tmp_path):
    model = MODELS.build(
        dict(
            type='MAEPretrainer',
            encoder=TINY_VIT,
            decoder_dims=32,
            decoder_depth=1,
            decoder_heads=2))
    ours = random_state(model)
    original = {
        k[len('encoder.'):] if k.startswith('encoder.') else k: v
        for k, v in ours.items()
    }
    src = tmp_path / 'vit_small_checkpoint-19.pth'
    torch.save({'model': original}, src)
    converted = convert(
        src, tmp_path / 'mae.pth', '--config',
        osp.join(REPO, 'configs/lmim/mae_vit-small_8xb64-20e_mlt19.py'),
        '--cfg-options', *TINY_ENCODER_OPTIONS, 'model.decoder_dims=32',
        'model.decoder_depth=1', 'model.decoder_heads=2')
    assert all(torch.equal(converted[k], v) for k, v in ours.items())

    # against the default ViT-Small config: every mismatch is listed and
    # nothing is written
    dst = tmp_path / 'not_written.pth'
    with pytest.raises(converter.CheckpointMismatchError) as err:
        converter.main([str(src), str(dst)])
    message = str(err.value)
    assert message.startswith('The converted checkpoint does not fit the model '
                              'of the config')
    assert ('encoder.cls_token: expected (1, 1, 384), found (1, 1, 32)'
            in message)
    assert 'missing from the checkpoint' in message
    assert 'encoder.blocks.2.norm1.weight (384,)' in message
    assert message.endswith('describing the model the checkpoint was '
                            'trained with.')
    assert not dst.exists()
    assert [f for f in os.listdir(tmp_path) if f.endswith('.tmp')] == []


def test_lmim_finetune_checkpoint_maps_projection_and_bos(tmp_path):
    cfg = Config.fromfile(
        osp.join(REPO,
                 'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_union14m-l.py'))
    cfg.model.encoder.update(embed_dims=32, depth=2, num_heads=2, out_dims=32)
    cfg.model.decoder.update(
        n_layers=1, d_embedding=32, n_head=2, d_k=16, d_v=16, d_model=32,
        d_inner=32)
    model = MODELS.build(cfg.model)
    ours = random_state(model)
    original = {}
    for key, value in ours.items():
        key = key.replace('encoder.out_proj.', 'linear_norm.0.').replace(
            'encoder.out_norm.', 'linear_norm.1.')
        original[key] = value
    bos = torch.randn(1, 32)
    original['decoder.trg_word_emb.weight'] = torch.cat(
        [ours['decoder.trg_word_emb.weight'], bos])
    # RecModel also registers these aliases of the encoder's tensors
    original['patch_embed.proj.weight'] = \
        ours['encoder.patch_embed.proj.weight']
    original['pos_embed'] = ours['encoder.pos_embed']
    src = tmp_path / 'finetune.pth'
    torch.save({'model': original}, src)
    config = osp.join(
        REPO, 'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_union14m-l.py')
    converted = convert(src, tmp_path / 'nrtr.pth', '--config', config,
                        '--cfg-options', *TINY_RECOGNISER)
    expected_emb = ours['decoder.trg_word_emb.weight'].clone()
    expected_emb[94] = bos[0]
    assert torch.equal(converted['decoder.trg_word_emb.weight'],
                       expected_emb)
    for key, value in ours.items():
        if key != 'decoder.trg_word_emb.weight':
            assert torch.equal(converted[key], value), key
    model.load_state_dict(converted)

    encoder_only = convert(src, tmp_path / 'enc.pth', '--config', config,
                           '--encoder-only', '--cfg-options',
                           *TINY_RECOGNISER)
    assert sorted(encoder_only) == sorted(
        k for k in ours if k.startswith('encoder.'))

    bad = dict(original)
    bad['decoder.trg_word_emb.weight'] = ours['decoder.trg_word_emb.weight']
    torch.save({'model': bad}, src)
    with pytest.raises(converter.CheckpointMismatchError, match='BOS'):
        converter.main([str(src), str(tmp_path / 'x.pth')])


def test_unknown_format_is_reported(tmp_path):
    src = tmp_path / 'other.pth'
    torch.save({'model': {'backbone.weight': torch.zeros(1)}}, src)
    with pytest.raises(KeyError, match='--format'):
        converter.main([str(src), str(tmp_path / 'x.pth')])
