# The LMIM recogniser: ViT-Small encoder (all 257 tokens) -> Linear 384->512
# + LayerNorm (the encoder's out_dims) -> LMIMNRTRDecoder (MMOCR's NRTR
# decoder modules: 6 pre-norm layers, d_model 512, 8 heads, d_inner 256,
# dropout 0.1, with the original tf_decoder's masks and decoding), the
# layout and sizes of LMIM's tf_decoder. 35.8M parameters with 97 classes.
# MAERec's own decoder differs (d_model 384, d_inner 1536, no projection).
# The encoder starts from a pretraining checkpoint: set
# model.encoder.init_cfg=dict(type='Pretrained', checkpoint=PATH), loaded
# strictly (an LMIM/MAE MMEngine checkpoint, or an original LMIM/MAE file).
# Depths are parameters: model.encoder.depth=N, model.decoder.n_layers=M.
lmim_vit_small = dict(
    type='ViTEncoder',
    img_size=(32, 128),
    patch_size=4,
    embed_dims=384,
    depth=12,
    num_heads=6,
    mlp_ratio=4.,
    qkv_bias=True,
    norm_eps=1e-6,
    pos_embed_grid='square',
    out_dims=512,
    # the original's linear_norm keeps PyTorch's default init
    out_proj_init='torch',
    fixed_layers=0)

# English: the 94 printable ASCII characters of the original
# (string.printable[:94], in its order) + BOS/EOS, PAD, UNK = 97 classes.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../cllstr_mm/dicts/'
    'english_printable94.txt',
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True)

model = dict(
    # MMOCR's NRTR; a checkpoint that does not fit it is an error
    type='LMIMNRTR',
    encoder=lmim_vit_small,
    decoder=dict(
        type='LMIMNRTRDecoder',
        n_layers=6,
        d_embedding=512,
        n_head=8,
        d_k=64,
        d_v=64,
        d_model=512,
        d_inner=256,
        dropout=0.1,
        # 0: greedy, as the original's --beam_width 0; k > 0: beam search
        # (tools/test.py --beam-width k)
        beam_width=0,
        module_loss=dict(
            type='LabelSmoothCEModuleLoss',
            label_smoothing=0.,
            # the original's scale: sum over target tokens / batch size
            # (None: CEModuleLoss's per-position losses, averaged by
            # MMEngine over every position, padding included)
            normalize='batch',
            ignore_first_char=True,
            flatten=True),
        # UNK predictions are dropped before scoring, as the original's
        # metric does (without 'unknown' they are scored as "<UNK>")
        postprocessor=dict(
            type='AttentionPostprocessor',
            ignore_chars=['padding', 'unknown']),
        dictionary=dictionary,
        # 25 decoding steps, as the original's max_len 25: BOS + up to 23
        # characters + EOS (the original drops words of 24+ characters,
        # see DropLongWords)
        max_seq_len=25),
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True))
