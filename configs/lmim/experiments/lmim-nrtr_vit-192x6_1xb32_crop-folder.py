# LMIM experiment: tools/test.py of a fine-tuned model (any of the
# lmim-nrtr_vit-192x6_1xb32_synth-lat-* leaves: the model is the same) on a
# folder of word crops with a gt.txt (NAME<TAB>text, NAME's part before the
# first '_' its script), such as data/real_dev. The runner sets the folder:
#   python tools/test.py \
#       configs/lmim/experiments/lmim-nrtr_vit-192x6_1xb32_crop-folder.py \
#       CHECKPOINT --cfg-options test_dataloader.dataset.folder=data/real_dev
_base_ = ['lmim-nrtr_vit-192x6_1xb32_synth-lat-none.py']

test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CropFolderDataset',
        folder='data/real_dev',
        pipeline=_base_.test_pipeline))
