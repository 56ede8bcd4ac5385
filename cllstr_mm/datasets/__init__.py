from .crop_folder_dataset import CropFolderDataset, read_crop_folder
from .image_decoder import ImageReadError, decode_image, read_image_file
from .labels import (label_length_limit, split_graphemes, text_to_label,
                     to_cllstr_label)
from .lang_lmdb_dataset import LangLMDBDataset
from .lmdb_reader import LMDBReader
from .lmdb_writer import write_lmdb
from .multilingual_lmdb_dataset import MultilingualLMDBDataset
from .select_data import folders_for_split, parse_select_data
from .synth_word_dataset import SynthWordDataset
from .unlabeled_lmdb_dataset import UnlabeledLMDBDataset
from . import samplers, transforms  # noqa: F401,E402

__all__ = [
    'write_lmdb', 'LMDBReader', 'decode_image', 'ImageReadError',
    'LangLMDBDataset', 'MultilingualLMDBDataset',
    'to_cllstr_label', 'text_to_label', 'split_graphemes', 'label_length_limit',
    'parse_select_data', 'folders_for_split', 'UnlabeledLMDBDataset',
    'SynthWordDataset', 'CropFolderDataset', 'read_crop_folder',
    'read_image_file'
]
