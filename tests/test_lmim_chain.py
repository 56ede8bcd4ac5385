"""The whole LMIM chain through MMEngine's Runner on tiny settings: MAE
teacher -> LMIM pretraining -> fine-tuning -> evaluation, each stage
loading the previous stage's weights (checked tensor by tensor)."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner import Runner
from test_lmim_helpers import LMIM_CONFIGS, TINY_VIT, write_word_lmdb

TINY_SCHEDULE = {
    'train_cfg.max_epochs': 2,
    'param_scheduler.1.T_max': 1,
    'param_scheduler.1.end': 2,
    'default_hooks.logger.interval': 1,
}


def loader(datasets, batch_size=2):
    return dict(
        batch_size=batch_size,
        num_workers=0,
        persistent_workers=False,
        dataset=dict(datasets=datasets))


def run(config, work_dir, options):
    cfg = Config.fromfile(osp.join(LMIM_CONFIGS, config))
    cfg.merge_from_dict({**TINY_SCHEDULE, **options})
    cfg.work_dir = str(work_dir)
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner


def checkpoint_weights(path, prefix):
    state_dict = torch.load(path, map_location='cpu')['state_dict']
    return {
        k[len(prefix):]: v
        for k, v in state_dict.items() if k.startswith(prefix)
    }


def test_mae_lmim_finetune_evaluate_chain(tmp_path):
    images = write_word_lmdb(str(tmp_path / 'images'), ['', ''])
    labels = ['Ab1', 'x!y', 'OK', 'z9']
    words = write_word_lmdb(str(tmp_path / 'words'), labels)
    unlabeled = [dict(type='UnlabeledLMDBDataset', ann_file=images)]

    # 1. MAE teacher from nothing
    mae_dir = tmp_path / 'mae'
    run('mae_vit-small_8xb64-20e_mlt19.py', mae_dir, {
        'model.encoder': TINY_VIT,
        'model.decoder_dims': 32,
        'model.decoder_depth': 1,
        'model.decoder_heads': 2,
        'train_dataloader': loader(unlabeled),
    })
    mae_ckpt = str(mae_dir / 'epoch_2.pth')
    mae_encoder = checkpoint_weights(mae_ckpt, 'encoder.')
    assert 'patch_embed.proj.weight' in mae_encoder

    # 2. LMIM with the MAE encoder as frozen teacher
    lmim_dir = tmp_path / 'lmim'
    runner = run('lmim_vit-small_8xb64-10e_mlt19.py', lmim_dir, {
        'model.encoder': TINY_VIT,
        'model.teacher_checkpoint': mae_ckpt,
        'model.decoder_dims': 32,
        'model.decoder_heads': 2,
        'model.decoder_ffn_dims': 64,
        'train_dataloader': loader(unlabeled),
    })
    teacher = runner.model.teacher.state_dict()
    assert set(teacher) == set(mae_encoder)
    for key, value in mae_encoder.items():
        assert torch.equal(teacher[key], value), key
    lmim_ckpt = str(lmim_dir / 'epoch_2.pth')
    lmim_student = checkpoint_weights(lmim_ckpt, 'encoder.')
    assert not torch.equal(lmim_student['blocks.0.attn.qkv.weight'],
                           mae_encoder['blocks.0.attn.qkv.weight'])

    # 3. fine-tune: the encoder starts from the LMIM student; fixed_layers=2
    # keeps the patch embedding and block 0 exactly as loaded
    recog = [dict(type='RecogLMDBDataset', ann_file=words)]
    tests = [dict(type='RecogLMDBDataset', ann_file=words, test_mode=True)]
    ft_dir = tmp_path / 'finetune'
    runner = run('lmim-nrtr_vit-small_8xb64-10e_union14m-l.py', ft_dir, {
        'model.encoder':
        dict(
            TINY_VIT,
            out_dims=32,
            fixed_layers=2,
            init_cfg=dict(type='Pretrained', checkpoint=lmim_ckpt)),
        'model.decoder.n_layers': 1,
        'model.decoder.d_embedding': 32,
        'model.decoder.n_head': 2,
        'model.decoder.d_k': 16,
        'model.decoder.d_v': 16,
        'model.decoder.d_model': 32,
        'model.decoder.d_inner': 32,
        'model.decoder.max_seq_len': 8,
        'train_cfg.val_interval': 2,
        'train_dataloader': loader(recog),
        'val_dataloader': loader(tests),
        'test_dataloader': loader(tests),
        'val_evaluator.dataset_prefixes': ['toy'],
        'test_evaluator.dataset_prefixes': ['toy'],
    })
    encoder = runner.model.encoder.state_dict()
    for key, value in lmim_student.items():
        if key.startswith(('patch_embed.', 'blocks.0.')):
            assert torch.equal(encoder[key], value), key
        else:
            assert torch.allclose(encoder[key], value, atol=1e-3), key

    # 4. evaluation of the fine-tuned recogniser
    metrics = runner.test()
    assert 0. <= metrics['toy/recog/word_acc_ignore_case_symbol'] <= 1.
    assert osp.isfile(ft_dir / 'epoch_2.pth')
