import logging
import os
import os.path as osp
from typing import Callable, Dict, List, Mapping, Optional, Union

from mmengine.dataset import ConcatDataset
from mmengine.logging import print_log

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import DATASETS
from cllstr_mm.models.common.dictionary import build_dictionary
from .lang_lmdb_dataset import LangLMDBDataset
from .select_data import (SPLITS, SYNTH_KEY, SYNTH_PREFIX, cap_for,
                          check_data_usage, folder_lang, folders_for_split,
                          parse_select_data)

_COUNT_KEYS = ('num_samples', 'too_long', 'capped', 'unreadable', 'kept',
               'with_unknown')
#: Unknown tokens listed per folder under the table.
_SHOWN_TOKENS = 8


@DATASETS.register_module()
class MultilingualLMDBDataset(ConcatDataset):
    """The CLL-STR data: LMDB folders chosen by ``select_data`` under
    ``data_root/split``, one :class:`LangLMDBDataset` each, concatenated.

    As in the original there is no batch balancing: a shuffled sampler over
    the concatenation gives each language its share of the data. After
    loading, a table of kept / too long / capped / unreadable counts per
    folder, and of the labels holding tokens outside the dictionary (with
    the most frequent such tokens), is logged; :meth:`statistics` returns
    it and :meth:`log_statistics` logs it again (e.g. with unreadable images found
    during training).

    Args:
        data_root: Folder holding ``training``, ``validation`` and
            ``evaluation``.
        split: One of those three. Outside ``training``, ``SynthMLT_X``
            reads folder ``X`` (the trained languages' own sets).
        select_data: The original ``--select_data`` grammar, e.g.
            ``'lang_CBHJAKL'`` (all seven), ``'lang_L'``,
            ``'lang_CBHJAKL-SynthMLT_K'``, or a literal folder name; groups
            are joined by ``-``.
        data_usage: Caps, folder name or ``'SynthMLT'`` (every SynthMLT
            folder) -> keep the first N samples after the length filter,
            e.g. ``dict(LAT=2000, SynthMLT=2000)`` for ``--data_usage_LAT
            2000 --data_usage_SynthMLT 2000``. None or ``'all'``: no cap.
        folder_langs: Language of folders whose name is not one, e.g.
            ``dict(MyWords='KOR')``; by default such a folder's language is
            its name and ``SynthMLT_X``'s is ``X``.
        verify_images: See :class:`LangLMDBDataset`; None means
            ``test_mode``.
        channel_order: ``'bgr'`` (default, MMOCR's convention; pair it with
            ``bgr_to_rgb=True`` in the data preprocessor) or ``'rgb'``.
        dictionary: The recogniser's dictionary (or its config), against
            which labels are checked for unknown tokens; set it with a
            charset of your own. None: the MLT19 ``MultilingualDictionary``.
        pipeline, test_mode, serialize_data, max_refetch: Passed to every
            folder's dataset.
        lazy_init: Read the labels only when first needed.
    """

    def __init__(self,
                 data_root: str,
                 split: str = 'training',
                 select_data: str = 'lang_CBHJAKL',
                 data_usage: Optional[Mapping[str, object]] = None,
                 folder_langs: Optional[Mapping[str, str]] = None,
                 verify_images: Optional[bool] = None,
                 channel_order: str = 'bgr',
                 dictionary: Union[Dict, Dictionary, None] = None,
                 pipeline: List[Union[dict, Callable]] = [],
                 test_mode: bool = False,
                 serialize_data: bool = True,
                 lazy_init: bool = False,
                 max_refetch: int = 1000) -> None:
        self.split_dir = osp.join(data_root, split)
        self.select_data = select_data
        self.folders = folders_for_split(
            parse_select_data(select_data), split)
        self._check_folders()
        caps = check_data_usage(data_usage)
        self._warn_unused_caps(caps)
        dictionary = build_dictionary(dictionary, type(self).__name__)
        datasets = [
            LangLMDBDataset(
                ann_file=osp.join(self.split_dir, folder),
                lang=folder_lang(folder, folder_langs),
                max_samples=cap_for(folder, caps),
                verify_images=verify_images,
                channel_order=channel_order,
                dictionary=dictionary,
                pipeline=pipeline,
                test_mode=test_mode,
                serialize_data=serialize_data,
                lazy_init=True,
                max_refetch=max_refetch) for folder in self.folders
        ]
        super().__init__(datasets, lazy_init=lazy_init)

    def _check_folders(self) -> None:
        if not osp.isdir(self.split_dir):
            raise FileNotFoundError(
                f'{self.split_dir} not found: data_root should hold the '
                f'folders {", ".join(SPLITS)}')
        existing = sorted(
            name for name in os.listdir(self.split_dir)
            if osp.isdir(osp.join(self.split_dir, name)))
        for folder in self.folders:
            if folder not in existing:
                raise FileNotFoundError(
                    f'{osp.join(self.split_dir, folder)} not found '
                    f'(select_data={self.select_data!r}); folders in '
                    f'{self.split_dir}: {", ".join(existing) or "none"}')

    def _warn_unused_caps(self, caps: Mapping[str, Optional[int]]) -> None:
        has_synth = any(f.startswith(SYNTH_PREFIX) for f in self.folders)
        unused = [
            key for key in caps if key not in self.folders and not (
                key == SYNTH_KEY and has_synth)
        ]
        if unused:
            print_log(
                f'data_usage keys {unused} match none of the selected '
                f'folders {self.folders}; they cap nothing',
                logger='current',
                level=logging.WARNING)

    def full_init(self) -> None:
        """Read every folder's labels, then log the per-folder table."""
        if self._fully_initialized:
            return
        super().full_init()
        self.log_statistics()

    def statistics(self, by: str = 'folder'
                   ) -> Dict[str, Dict[str, Union[str, int]]]:
        """Sample counts per folder or per language.

        Args:
            by: ``'folder'``: folder name -> ``LangLMDBDataset.statistics()``
                (``lang``, ``num_samples``, ``too_long``, ``capped``,
                ``unreadable``, ``kept``, ``with_unknown``). ``'lang'``:
                language -> the same counts summed over its folders (e.g.
                KOR + SynthMLT_KOR).

        Returns:
            dict: In folder order (first appearance for ``by='lang'``).
        """
        self.full_init()
        per_folder = {
            folder: dataset.statistics()
            for folder, dataset in zip(self.folders, self.datasets)
        }
        if by == 'folder':
            return per_folder
        if by != 'lang':
            raise ValueError(f"by={by!r}; use 'folder' or 'lang'")
        per_lang: Dict[str, Dict[str, Union[str, int]]] = {}
        for stats in per_folder.values():
            row = per_lang.setdefault(stats['lang'],
                                      dict.fromkeys(_COUNT_KEYS, 0))
            for key in _COUNT_KEYS:
                row[key] += stats[key]
        return per_lang

    def log_statistics(self) -> None:
        """Log the per-folder table (MMEngine logger ``'current'``)."""
        rows = self.statistics()
        header = ('folder', 'lang', 'in LMDB', 'too long', 'capped',
                  'unreadable', 'kept', 'with UNK')
        width = max([len(header[0])] + [len(f) for f in rows]) + 2
        lang_width = max([len(header[1])] +
                         [len(str(s['lang'])) for s in rows.values()]) + 2

        def line(folder, lang, counts):
            return (f'{folder:<{width}}{lang:<{lang_width}}' +
                    ''.join(f'{c:>11}' for c in counts))

        totals = [sum(s[k] for s in rows.values()) for k in _COUNT_KEYS]
        lines = [
            f'{self.split_dir} (select_data={self.select_data!r}):',
            line(header[0], header[1], header[2:])
        ]
        lines += [
            line(folder, s['lang'], [s[k] for k in _COUNT_KEYS])
            for folder, s in rows.items()
        ]
        lines.append(line('total', '', totals))
        for folder, dataset in zip(self.folders, self.datasets):
            if dataset.unknown_tokens:
                common = dataset.unknown_tokens.most_common(_SHOWN_TOKENS)
                shown = ', '.join(f'{token!r} x{n}' for token, n in common)
                more = len(dataset.unknown_tokens) - len(common)
                lines.append(
                    f'{folder}: {rows[folder]["with_unknown"]} labels hold '
                    'tokens outside the dictionary (they train as [UNK] and '
                    f'are not scored): {shown}' +
                    (f' (+{more} more)' if more else ''))
        if totals[-1]:
            lines.append('(add such tokens with tools/dataset_converters/'
                         'build_charset.py and set the dictionary of the '
                         'model and the datasets to the new charset)')
        if not all(d.verify_images for d in self.datasets):
            lines.append('unreadable: found so far; images are checked when '
                         'loaded (verify_images=False)')
        print_log(
            '\n'.join(lines),
            logger='current',
            level=logging.WARNING if totals[-1] else logging.INFO)
