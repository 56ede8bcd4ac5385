# ViT-Small text encoder of MAERec/LMIM: 32x128 input, 4x4 patches
# (8x32 = 256 tokens + cls), dim 384, 12 blocks, 6 heads, 21.3M parameters.
vit_small = dict(
    type='ViTEncoder',
    img_size=(32, 128),
    patch_size=4,
    embed_dims=384,
    depth=12,
    num_heads=6,
    mlp_ratio=4.,
    qkv_bias=True,
    norm_eps=1e-6)

multiview_data_preprocessor = dict(
    type='MultiViewDataPreprocessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    bgr_to_rgb=True)
