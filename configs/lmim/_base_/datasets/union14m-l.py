# Union14M-L (labelled, LMDB release) for English fine-tuning, and the
# benchmarks LMIM reports: Union14M-Benchmarks and the six common ones
# (IIIT5K, SVT, IC13, IC15, SVTP, CUTE80; LMDBs as in STR-Fewer-Labels).
# Folder names follow those releases; adjust them to your copies.
union14m_l_data_root = 'data/union14m/Union14M-L-lmdb'
union14m_l_train = [
    dict(
        type='RecogLMDBDataset',
        data_root=union14m_l_data_root,
        ann_file=f'train/{subset}') for subset in (
            'train_challenging', 'train_hard', 'train_medium',
            'train_normal', 'train_easy')
]
union14m_l_val = [
    dict(
        type='RecogLMDBDataset',
        data_root=union14m_l_data_root,
        ann_file='val',
        test_mode=True)
]

union14m_benchmark_data_root = \
    'data/union14m/Union14M-Benchmarks/lmdb_format'
union14m_benchmark_names = [
    'artistic', 'contextless', 'curve', 'general', 'multi_oriented',
    'multi_words', 'salient'
]
union14m_benchmark_test = [
    dict(
        type='RecogLMDBDataset',
        data_root=union14m_benchmark_data_root,
        ann_file=name,
        test_mode=True) for name in union14m_benchmark_names
]

common_benchmark_data_root = 'data/common_benchmarks'
common_benchmark_names = ['IIIT5k', 'SVT', 'IC13', 'IC15', 'SVTP', 'CUTE80']
common_benchmark_test = [
    dict(
        type='RecogLMDBDataset',
        data_root=common_benchmark_data_root,
        ann_file=name,
        test_mode=True) for name in common_benchmark_names
]
