"""Folders of word crops with a ``gt.txt``: the demo photos, the real-text
dev set and the second renderer's set, for evaluation and for validation
during training."""
import os.path as osp
from typing import List, NamedTuple, Optional

from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS

from cllstr_mm.utils.languages import LANGUAGES
from .image_decoder import read_image_file
from .labels import text_to_label

#: The file every crop folder has.
GT_FILE = 'gt.txt'


class Crop(NamedTuple):
    """One line of a ``gt.txt``: the image path, its script and its text
    as written (plain Unicode, logical order)."""
    path: str
    lang: str
    text: str


def crop_lang(name: str) -> str:
    """The script a crop's file name gives: the part before the first
    ``_`` (``KOR_paddle_003.jpg``) or, without one, before the extension
    (``KOR.jpg``, as demo/ names them); '' when it is not a script."""
    stem = osp.splitext(osp.basename(name))[0]
    lang = stem.split('_', 1)[0]
    return lang if lang in LANGUAGES else ''


def read_crop_folder(folder: str) -> List[Crop]:
    """The crops of ``folder/gt.txt``: lines ``NAME<TAB>text`` whose NAME
    starts with its script (:func:`crop_lang`), in file order.

    Raises:
        FileNotFoundError: There is no ``gt.txt`` in ``folder``.
        ValueError: A line is not ``<LANG>...<TAB>text``, names a missing
            file or repeats a name; the message gives file and line.
    """
    gt_file = osp.join(folder, GT_FILE)
    if not osp.isfile(gt_file):
        raise FileNotFoundError(
            f'{gt_file} does not exist: a crop folder needs a gt.txt of '
            '"NAME<TAB>text" lines')
    crops, seen = [], set()
    with open(gt_file, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\r\n')
            if not line.strip():
                continue
            name, sep, text = line.partition('\t')
            where = f'{gt_file}, line {number}'
            if not sep or not text or not crop_lang(name):
                raise ValueError(
                    f'{where}: expected NAME<TAB>text with NAME starting '
                    f'with its script, one of {", ".join(LANGUAGES)} '
                    f'(e.g. KOR_001.jpg), got {line!r}')
            if name in seen:
                raise ValueError(f'{where}: {name} is listed twice')
            seen.add(name)
            path = osp.join(folder, name)
            if not osp.isfile(path):
                raise ValueError(f'{where}: {path} does not exist')
            crops.append(Crop(path, crop_lang(name), text))
    if not crops:
        raise ValueError(f'{gt_file} lists no crop')
    return crops


@DATASETS.register_module()
class CropFolderDataset(BaseDataset):
    """The crops of a folder's ``gt.txt`` (:func:`read_crop_folder`) as a
    test data set: each sample has ``img`` (BGR uint8, ``[H, W, 3]``), its
    label in the stored form (:func:`~cllstr_mm.datasets.labels.
    text_to_label`), ``lang`` and, when given, ``subset``, the name by
    which ``MultilingualRecogMetric(subset=...)`` picks this folder's
    samples out of a concatenated validation set.

    Args:
        folder (str): The folder holding ``gt.txt`` and the crops.
        subset (str, optional): Metainfo ``subset`` of every sample.
        pipeline (list): Transforms; the first takes ``img`` as given
            (``LoadImageFromNDArray``).
        test_mode (bool): Defaults to True (these are evaluation sets).
    """

    def __init__(self,
                 folder: str,
                 subset: Optional[str] = None,
                 pipeline: list = (),
                 test_mode: bool = True,
                 **kwargs) -> None:
        self.folder = folder
        self.subset = subset
        super().__init__(
            ann_file='', pipeline=list(pipeline), test_mode=test_mode,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        data_list = []
        for crop in read_crop_folder(self.folder):
            info = dict(
                img_path=crop.path,
                lang=crop.lang,
                instances=[dict(text=text_to_label(crop.text, crop.lang))])
            if self.subset is not None:
                info['subset'] = self.subset
            data_list.append(info)
        return data_list

    def prepare_data(self, idx: int) -> dict:
        data_info = self.get_data_info(idx)
        data_info['img'] = read_image_file(data_info['img_path'])
        return self.pipeline(data_info)
