"""The whole LMIM chain on tiny settings: MAE teacher -> LMIM pretraining
-> fine-tuning on the seven scripts through MMEngine's Runner, each stage
loading the previous stage's weights (checked tensor by tensor), then
tools/test.py on the fine-tuned checkpoint."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from data_utils import make_cllstr_tree
from mmengine.config import Config
from mmengine.runner import Runner
from test_lmim_helpers import LMIM_CONFIGS, REPO, TINY_VIT, write_word_lmdb

# The cosine schedules run to the end of the loop, so MMEngine's Runner fits
# them to the 2 epochs by itself (cllstr_mm/engine/schedules.py).
TINY_SCHEDULE = {
    'train_cfg.max_epochs': 2,
    'default_hooks.logger.interval': 1,
}


# One word or two per script (ARA/BEN/HIN labels are grapheme clusters
# joined by tabs, as in the CLL-STR LMDBs).
SCRIPT_WORDS = {
    'ARA': ['ب\tﺎ'],
    'BEN': ['রা\tখি'],
    'CHI': ['北京', '西'],
    'HIN': ['क'],
    'JPN': ['くすり'],
    'KOR': ['냉면'],
    'LAT': ['OK', 'z9'],
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
    scripts = make_cllstr_tree(
        str(tmp_path / 'scripts'), {
            split: SCRIPT_WORDS
            for split in ('training', 'validation', 'evaluation')
        })
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
    # the warm-up + cosine schedule spans exactly the 2 epochs
    assert runner.param_schedulers[-1].end == runner.max_iters
    teacher = runner.model.teacher.state_dict()
    assert set(teacher) == set(mae_encoder)
    for key, value in mae_encoder.items():
        assert torch.equal(teacher[key], value), key
    lmim_ckpt = str(lmim_dir / 'epoch_2.pth')
    lmim_student = checkpoint_weights(lmim_ckpt, 'encoder.')
    assert not torch.equal(lmim_student['blocks.0.attn.qkv.weight'],
                           mae_encoder['blocks.0.attn.qkv.weight'])

    # 3. fine-tune on the seven scripts: the encoder starts from the LMIM
    # student; fixed_layers=2 keeps the patch embedding and block 0 exactly
    # as loaded
    ft_dir = tmp_path / 'finetune'
    options = {
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
    }
    for split in ('train', 'val', 'test'):
        options.update({
            f'{split}_dataloader.dataset.data_root': scripts,
            f'{split}_dataloader.batch_size': 2,
            f'{split}_dataloader.num_workers': 0,
            f'{split}_dataloader.persistent_workers': False,
        })
    runner = run('lmim-nrtr_vit-small_8xb64-10e_mlt19.py', ft_dir, options)
    encoder = runner.model.encoder.state_dict()
    for key, value in lmim_student.items():
        if key.startswith(('patch_embed.', 'blocks.0.')):
            assert torch.equal(encoder[key], value), key
        else:
            assert torch.allclose(encoder[key], value, atol=1e-3), key

    # 4. tools/test.py evaluates the fine-tuned checkpoint with the config
    # the Runner saved next to it; the evaluation words are the validation
    # words, so it must score exactly what the trained model scores, here
    # with a beam search of width 2
    out = tmp_path / 'results.json'
    command = [
        sys.executable, 'tools/test.py',
        str(ft_dir / 'lmim-nrtr_vit-small_8xb64-10e_mlt19.py'),
        str(ft_dir / 'epoch_2.pth'), '--work-dir',
        str(tmp_path / 'test'), '--out',
        str(out), '--beam-width', '2'
    ]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=REPO), timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results['num_params'] == sum(
        p.numel() for p in runner.model.parameters())
    for lang, words in SCRIPT_WORDS.items():
        assert results['metrics'][f'recog/{lang}/num_samples'] == len(words)
    runner.model.decoder.beam_width = 2
    assert results['metrics'] == pytest.approx(runner.val_loop.run())
