# Union14M-U (about 10M unlabelled word images), the LMIM paper's English
# pretraining data, as its LMDB release: data/union14m/Union14M-U/<subset>.
# Adjust the subset names to your copy.
union14m_u_data_root = 'data/union14m/Union14M-U'
union14m_u_subsets = ['book32_lmdb', 'cc_lmdb', 'openvino_lmdb']
union14m_u_train = [
    dict(
        type='UnlabeledLMDBDataset',
        data_root=union14m_u_data_root,
        ann_file=subset) for subset in union14m_u_subsets
]
