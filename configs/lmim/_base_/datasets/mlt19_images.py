# Unlabelled images of the CLL-STR training LMDBs (labels ignored) for the
# self-supervised stages: the seven MLT19 scripts and their SynthMLT sets,
# laid out as data/training/<folder> (see tools/dataset_converters).
mlt19_images_data_root = 'data/training'
mlt19_images_folders = [
    'ARA', 'BEN', 'CHI', 'HIN', 'JPN', 'KOR', 'LAT', 'SynthMLT_ARA',
    'SynthMLT_BEN', 'SynthMLT_CHI', 'SynthMLT_HIN', 'SynthMLT_JPN',
    'SynthMLT_KOR', 'SynthMLT_LAT'
]
mlt19_images_train = [
    dict(
        type='UnlabeledLMDBDataset',
        data_root=mlt19_images_data_root,
        ann_file=folder) for folder in mlt19_images_folders
]
