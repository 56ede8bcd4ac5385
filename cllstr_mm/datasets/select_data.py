"""CLL-STR's ``--select_data`` grammar and ``--data_usage_*`` caps.

``select_data`` is split on ``-``. A group ``lang_XYZ`` expands letter by
letter (A=ARA, B=BEN, C=CHI, H=HIN, J=JPN, K=KOR, L=LAT), ``SynthMLT_XYZ``
expands the same way to ``SynthMLT_<LANG>``, and any other group is a literal
folder name. So ``SynthMLT_KOR`` is the letters K, O and R, not the folder
``SynthMLT_KOR`` (that is ``SynthMLT_K``). Unlike the original, an unknown
letter is an error instead of being skipped silently; where the letters spell
language codes, the error names the group meant.
"""
from typing import Dict, List, Mapping, Optional

from cllstr_mm.utils.languages import LANGUAGE_LETTERS, LANGUAGES

SPLITS = ('training', 'validation', 'evaluation')
SYNTH_PREFIX = 'SynthMLT_'
#: ``data_usage`` key that caps every SynthMLT folder.
SYNTH_KEY = 'SynthMLT'
_LANG_PREFIX = 'lang_'


def _expand_letters(group: str, letters: str, prefix: str,
                    select_data: str) -> List[str]:
    if not letters:
        raise ValueError(f'select_data={select_data!r}: group {group!r} names '
                         'no language; add letters, e.g. lang_CBHJAKL')
    folders = []
    for letter in letters:
        if letter not in LANGUAGE_LETTERS:
            valid = ', '.join(f'{k}={v}' for k, v in LANGUAGE_LETTERS.items())
            raise ValueError(
                f'select_data={select_data!r}: unknown language letter '
                f'{letter!r} in group {group!r}; valid letters: {valid}' +
                _meant(group, letters, prefix))
        folders.append(prefix + LANGUAGE_LETTERS[letter])
    return folders


def _meant(group: str, letters: str, prefix: str) -> str:
    """A hint for letters that spell language codes (``SynthMLT_KOR``,
    ``lang_HINBEN``), else ''."""
    codes = [letters[i:i + 3] for i in range(0, len(letters), 3)]
    if not all(code in LANGUAGES for code in codes):
        return ''
    meant = group[:-len(letters)] + ''.join(code[0] for code in codes)
    folders = ', '.join(prefix + code for code in codes)
    return (f'. {group!r} is read letter by letter, as in the original; for '
            f'the folder{"s" if len(codes) > 1 else ""} {folders} write '
            f'{meant!r}')


def parse_select_data(select_data: str) -> List[str]:
    """Expand a ``select_data`` string into folder names, in order, without
    duplicates.

    Example:
        >>> parse_select_data('lang_LH-SynthMLT_K-MyWords')
        ['LAT', 'HIN', 'SynthMLT_KOR', 'MyWords']
    """
    folders: List[str] = []
    for group in select_data.split('-'):
        if not group:
            raise ValueError(f'select_data={select_data!r} has an empty '
                             "group; groups are separated by a single '-'")
        if group.startswith(_LANG_PREFIX):
            expanded = _expand_letters(group, group[len(_LANG_PREFIX):], '',
                                       select_data)
        elif group.startswith(SYNTH_PREFIX):
            expanded = _expand_letters(group, group[len(SYNTH_PREFIX):],
                                       SYNTH_PREFIX, select_data)
        else:
            expanded = [group]
        folders += [f for f in expanded if f not in folders]
    return folders


def folders_for_split(folders: List[str], split: str) -> List[str]:
    """Folders to read in ``split``: validation and evaluation have no
    SynthMLT sets, so ``SynthMLT_X`` maps to ``X`` there, as the original
    validated on the trained languages' validation sets."""
    if split not in SPLITS:
        raise ValueError(f'split={split!r}; use one of {SPLITS}')
    if split == 'training':
        return list(folders)
    mapped: List[str] = []
    for folder in folders:
        if folder.startswith(SYNTH_PREFIX):
            folder = folder[len(SYNTH_PREFIX):]
        if folder not in mapped:
            mapped.append(folder)
    return mapped


def folder_lang(folder: str,
                overrides: Optional[Mapping[str, str]] = None) -> str:
    """Language of a folder: an override if given, ``X`` for
    ``SynthMLT_X``, else the folder name itself (``'KOR'`` or a literal
    name)."""
    if overrides and folder in overrides:
        return overrides[folder]
    if folder.startswith(SYNTH_PREFIX) and \
            folder[len(SYNTH_PREFIX):] in LANGUAGES:
        return folder[len(SYNTH_PREFIX):]
    return folder


def check_data_usage(data_usage: Optional[Mapping[str, object]]
                     ) -> Dict[str, Optional[int]]:
    """Validate ``data_usage`` (folder name, language or ``'SynthMLT'`` ->
    first N samples; ``None`` or ``'all'`` means no cap)."""
    caps: Dict[str, Optional[int]] = {}
    for key, value in (data_usage or {}).items():
        if value is None or value == 'all':
            caps[key] = None
        elif isinstance(value, int) and not isinstance(value, bool) \
                and value >= 0:
            caps[key] = value
        else:
            raise ValueError(
                f'data_usage[{key!r}]={value!r}: use a sample count >= 0, '
                "or None / 'all' for no cap")
    return caps


def cap_for(folder: str, caps: Mapping[str, Optional[int]]) -> Optional[int]:
    """The cap for ``folder``: its own key wins over ``'SynthMLT'``."""
    if folder in caps:
        return caps[folder]
    if folder.startswith(SYNTH_PREFIX):
        return caps.get(SYNTH_KEY)
    return None
