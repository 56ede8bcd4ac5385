# ViT-Small text encoder of MAERec/LMIM: 32x128 input, 4x4 patches
# (8x32 = 256 tokens + cls), dim 384, 12 blocks, 6 heads, 21.3M parameters.
# Positions: the original's fixed sin-cos code computed on a 16x16 grid for
# the 8x32 patches (as MAERec's teacher checkpoint holds it); the decoders
# of MAE/LMIM pretraining follow the encoder. pos_embed_grid='patches' uses
# the true 8x32 grid instead (then every stage, and the teacher, must agree).
vit_small = dict(
    type='ViTEncoder',
    img_size=(32, 128),
    patch_size=4,
    embed_dims=384,
    depth=12,
    num_heads=6,
    mlp_ratio=4.,
    qkv_bias=True,
    norm_eps=1e-6,
    pos_embed_grid='square')

multiview_data_preprocessor = dict(
    type='MultiViewDataPreprocessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    bgr_to_rgb=True)
