# What the leaves of the LMIM experiment share (tools/experiments/run_lmim.py,
# docs/experiments/lmim.md): a CPU-sized ViT, its pretraining decoders and
# NRTR decoder at half the paper's sizes, word crops of the project's
# generator, and iteration-based schedules of the paper's shapes.
# Variables only: each leaf puts them into the paper leaf it inherits from.

# Half ViT-Small's width and depth (192 x 6 blocks, 3 heads of 64 dims) and
# 8x8 patches on the same 32x128 input: 4x16 = 64 patches + cls (the
# square sin-cos code on an 8x8 grid), 2.71M parameters. 4x4 patches (256
# tokens) cost 4.5-5.4x as much per step (one thread, float32, batch 32:
# MAE 2.68 vs 0.60 s, LMIM 5.69 vs 1.05 s), more than a CPU budget holds.
vit_cpu = dict(
    type='ViTEncoder',
    img_size=(32, 128),
    patch_size=8,
    embed_dims=192,
    depth=6,
    num_heads=3,
    mlp_ratio=4.,
    qkv_bias=True,
    norm_eps=1e-6,
    pos_embed_grid='square')
# Pretraining decoders at half the paper's sizes (MAE 512 x 8 blocks, 16
# heads; LMIM 512 x 2 blocks, 16 heads, FFN 2048).
mae_decoder_cpu = dict(decoder_dims=256, decoder_depth=4, decoder_heads=8)
lmim_decoder_cpu = dict(
    decoder_dims=256, decoder_depth=2, decoder_heads=8, decoder_ffn_dims=1024)
# The fine-tuning NRTR decoder at half the paper's (6 layers, d_model 512,
# 8 heads, d_inner 256); the encoder projects its tokens to d_model.
nrtr_decoder_cpu = dict(
    n_layers=3,
    d_embedding=256,
    n_head=4,
    d_k=64,
    d_v=64,
    d_model=256,
    d_inner=128)

# The script and words: Latin, as LMIM's English, with the released
# model's vocabulary (its 50,000 most frequent usable words; one in ten is
# held out of training for validation and evaluation), so the held-out
# words are those of data/synth_eval.
langs = ['LAT']
vocab_size = dict(LAT=50000)

# The data: CLL-STR LMDBs of crops rendered by the project's generator
# (tools/data/synth_text.py; the same bytes for the same seed), which the
# runner writes once per data root, so that no run renders them again.
# The unlabelled pool, as LMIM's Union14M-U: crops of training words, as
# many as a pretraining draws: the first ones SynthWordDataset renders for
# stream 'pretraining' (so no image of the labelled set), read in order
# (StreamSampler: each image once; resuming skips the images trained
# without reading them). UnlabeledLMDBDataset reads the images only:
# labels are never read.
pool_data_root = 'work_dirs/experiments/lmim_cpu/data/pool/training'
pretrain_images = [
    dict(type='UnlabeledLMDBDataset', data_root=pool_data_root,
         ann_file=lang) for lang in langs
]
# What both pretraining stages (MAE, LMIM) run on: batch 32 of the pool
# read in order, 2,000 iterations (the runner sets the length of its
# scale), a checkpoint every 200 to resume from. lr 1.5e-4, the paper's per
# 256 images, is not scaled down to batch 32 (1.9e-5): these runs are
# about a hundredth as long as the paper's.
pretrain_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(_delete_=True, type='StreamSampler'),
    dataset=dict(datasets=pretrain_images))
pretrain_loop = dict(
    _delete_=True, type='StreamResumeIterBasedTrainLoop', max_iters=2000)
pretrain_auto_scale_lr = dict(enable=False)
pretrain_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=200, max_keep_ckpts=1))

# The labelled set, as Union14M-L, and the validation and evaluation sets:
# training/LAT holds crops of training words (stream 'labelled'); a label
# budget of N crops is its first N (data_usage), so the 2,000-crop set is
# part of the 20,000-crop one. validation/LAT and evaluation/LAT hold
# held-out words in the training fonts, drawn as data/synth_eval's (seed 1,
# tools/data/make_synth_eval.py): its crops are their first ones.
synth_data_root = 'work_dirs/experiments/lmim_cpu/data/synth'
select_data = 'lang_L'
label_budget = dict(LAT=2000)

# Iteration-based schedules of the paper's shapes, fitted to max_iters
# (cllstr_mm/engine/schedules.py: a float begin/end is a fraction of the
# run). Pretraining: linear warm-up over the share of the run that the
# paper's one warm-up epoch is (MAE 1 of 20 epochs, LMIM 1 of 10), then
# cosine to 0. Fine-tuning: warm-up over 1 of 10, then cosine to lr / 200.
mae_schedule = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=False, begin=0,
         end=0.05),
    dict(type='CosineAnnealingLR', eta_min=0., by_epoch=False, begin=0.05),
]
lmim_schedule = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=False, begin=0,
         end=0.1),
    dict(type='CosineAnnealingLR', eta_min=0., by_epoch=False, begin=0.1),
]
finetune_schedule = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=False, begin=0,
         end=0.1),
    dict(type='CosineAnnealingLR', eta_min_ratio=0.005, by_epoch=False,
         begin=0.1),
]

# The CTC read-out (the -ctc leaves): the same encoder's patch tokens as a
# 4x16 feature map (out_layout='grid'), averaged over the rows into 16 time
# steps, then one linear layer over CLL-STR's joint dictionary (blank =
# padding), as CLL-STR's SVTR head. Unlike the NRTR decoder it has no
# alignment to learn, so what the encoder holds shows within a CPU budget.
# A word needing more than 16 steps (letters, plus a blank between
# repeats) cannot be written: left out of the loss, scored as misread.
ctc_dictionary = dict(type='MultilingualDictionary')
ctc_model = dict(
    type='ViTCTC',
    encoder=dict(out_layout='grid'),
    decoder=dict(
        _delete_=True,
        type='CLLCTCDecoder',
        in_channels=nrtr_decoder_cpu['d_model'],
        num_bilstm=0,
        max_seq_len=16,
        dictionary=ctc_dictionary,
        module_loss=dict(
            type='CLLCTCModuleLoss', letter_case='unchanged',
            zero_infinity=True),
        postprocessor=dict(type='CTCPostProcessor')))
