"""The joint seven-script dictionary of CLL-STR, class for class."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

from cllstr_mm.datasets.lmdb_reader import LMDBReader
from cllstr_mm.utils.languages import join_tokens, split_label

#: The charset shipped with the package (4,676 tokens, one per line).
MLT19_CHARSET = osp.normpath(
    osp.join(osp.dirname(__file__), '..', '..', '..', 'dicts',
             'MLT19_charset.txt'))

PathLike = Union[str, os.PathLike]


class _Index(int):
    """A class index that is truthy even when it is 0.

    MMOCR picks the padding index with ``dictionary.padding_idx or
    dictionary.end_idx``, which skips a padding index of 0; the CLL-STR
    layouts put padding (CTC blank / attention [PAD]) at 0.
    """

    def __bool__(self) -> bool:
        return True


def read_charset(dict_file: PathLike) -> List[str]:
    """Read a charset file: one token per line, kept whole.

    A token may hold several code points (a grapheme cluster), so lines are
    not split into characters. A trailing newline is allowed; an empty line
    elsewhere or a repeated token is an error naming the file and line.

    Args:
        dict_file: Path of a UTF-8 text file.

    Returns:
        list[str]: The tokens in file order.
    """
    try:
        with open(dict_file, encoding='utf-8') as f:
            text = f.read()
    except FileNotFoundError:
        raise FileNotFoundError(
            f'Charset file {dict_file} does not exist; pass dict_file= the '
            'path of a charset with one token per line (the default is '
            f'{MLT19_CHARSET})') from None
    lines = text.split('\n')
    if lines[-1] == '':
        lines.pop()
    tokens: List[str] = []
    first_line = {}
    for line_num, line in enumerate(lines, start=1):
        token = line[:-1] if line.endswith('\r') else line
        if token == '':
            raise ValueError(f'{dict_file}, line {line_num}: empty line; a '
                             'charset holds exactly one token per line')
        if token in first_line:
            raise ValueError(
                f'{dict_file}, line {line_num}: token {token!r} '
                f'(code points {_code_points(token)}) already appears on '
                f'line {first_line[token]}; remove the duplicate')
        first_line[token] = line_num
        tokens.append(token)
    return tokens


def _code_points(token: str) -> str:
    return ' '.join(f'U+{ord(c):04X}' for c in token)


@TASK_UTILS.register_module()
class MultilingualDictionary(Dictionary):
    """CLL-STR's joint dictionary of the seven MLT19 scripts.

    Unlike MMOCR's :class:`Dictionary`, which appends special tokens after the
    characters and reads one code point per line, the classes follow the
    original converters so original checkpoints map one to one, and labels
    are tokenised by :func:`~cllstr_mm.utils.languages.split_label` (grapheme
    clusters for ARA/BEN/HIN, Arabic in visual order).

    Class order:

    - CTC (``with_start=with_end=False``): 0 = CTC blank (MMOCR's padding,
      so ``CTCModuleLoss`` uses it as blank), 1 = ``[PAD]`` (a class that is
      never a target), 2 = ``[UNK]``, 3 = space, then the charset;
      4,680 classes with the MLT19 charset.
    - Attention (``with_start`` and/or ``with_end``): 0 = ``[PAD]``
      (``padding_idx``), 1 = ``[UNK]``, 2 = space, then ``[SOS]`` and
      ``[EOS]`` (or one shared token with ``same_start_end``), then the
      charset; 4,681 classes with both tokens, as the original
      AttnLabelConverter. MMOCR's losses pad targets with ``[PAD]``, which
      ``CEModuleLoss`` ignores by default, as the original did.

    Unknown tokens encode to ``[UNK]`` and stay in the target, as in the
    original. ``idx2str`` drops the blank and ``[PAD]`` classes, keeps
    ``[UNK]`` as its token string, and returns text in reading order.

    Args:
        dict_file (str): Charset file, one token per line (a token may be a
            multi-code-point grapheme cluster). Defaults to the packaged
            ``MLT19_charset.txt``.
        with_start (bool): Add the start token. Defaults to False.
        with_end (bool): Add the end token. Defaults to False.
        same_start_end (bool): One token for start and end when both are
            added. Defaults to False.
        with_padding (bool): Must be True: the padding class is part of the
            original layouts. Accepted so MMOCR dictionary configs carry over.
        with_unknown (bool): Must be True, for the same reason.
        start_token (str): Defaults to '[SOS]'.
        end_token (str): Defaults to '[EOS]'.
        start_end_token (str): Defaults to '[SOS/EOS]'.
        padding_token (str): The never-targeted padding class.
            Defaults to '[PAD]'.
        unknown_token (str): Defaults to '[UNK]'.
        blank_token (str): The CTC blank (CTC layout only).
            Defaults to '[CTCblank]'.

    Example:
        >>> dictionary = dict(type='MultilingualDictionary')
        >>> dictionary = dict(type='MultilingualDictionary',
        ...                   with_start=True, with_end=True)
    """

    def __init__(self,
                 dict_file: PathLike = MLT19_CHARSET,
                 with_start: bool = False,
                 with_end: bool = False,
                 same_start_end: bool = False,
                 with_padding: bool = True,
                 with_unknown: bool = True,
                 start_token: str = '[SOS]',
                 end_token: str = '[EOS]',
                 start_end_token: str = '[SOS/EOS]',
                 padding_token: str = '[PAD]',
                 unknown_token: str = '[UNK]',
                 blank_token: str = '[CTCblank]') -> None:
        if not (with_padding and with_unknown):
            raise ValueError(
                'MultilingualDictionary always has padding and unknown '
                'classes (the CLL-STR class layout, which checkpoints depend '
                'on); leave with_padding and with_unknown True')
        self.with_start = with_start
        self.with_end = with_end
        self.same_start_end = same_start_end
        self.with_padding = True
        self.with_unknown = True
        self.start_token = start_token
        self.end_token = end_token
        self.start_end_token = start_end_token
        self.padding_token = padding_token
        self.unknown_token = unknown_token
        self.blank_token = blank_token
        self.is_ctc = not (with_start or with_end)

        charset = read_charset(dict_file)
        if with_start and with_end and same_start_end:
            start_token = end_token = start_end_token
        if self.is_ctc:
            specials = [blank_token, padding_token, unknown_token, ' ']
        else:
            start_end = [start_token] * with_start + [end_token] * with_end
            specials = [padding_token, unknown_token, ' '] + list(
                dict.fromkeys(start_end))
        if len(set(specials)) < len(specials):
            raise ValueError(f'Special tokens {specials} must all differ')
        clash = [token for token in specials if token in charset]
        if clash:
            raise ValueError(
                f'{dict_file}: tokens {clash} are special tokens of '
                'MultilingualDictionary; remove them from the charset')
        self._dict = specials + charset
        self._char2idx = {token: idx for idx, token in enumerate(self._dict)}

        self.padding_idx = _Index(0)
        self.unknown_idx = self._char2idx[unknown_token]
        self.start_idx = self._char2idx[start_token] if with_start else None
        self.end_idx = self._char2idx[end_token] if with_end else None
        # Classes that mean "no character": the CTC blank and the original's
        # [PAD], which a trained CTC model never emits but must not print.
        self.silent_idxs = frozenset({0, 1} if self.is_ctc else {0})

    def str2idx(self, string: str) -> List[int]:
        """Encode a stored label into class indexes in visual order.

        Args:
            string (str): A label as stored in the LMDBs (ARA/BEN/HIN
                grapheme clusters joined by tabs, Arabic in reading order).

        Returns:
            list[int]: One index per token; unknown tokens give
            ``unknown_idx``.
        """
        return [
            self._char2idx.get(token, self.unknown_idx)
            for token in split_label(string)
        ]

    def idx2str(self, index: Sequence[int]) -> str:
        """Decode class indexes (visual order) into a readable string.

        The blank and ``[PAD]`` classes are dropped; Arabic comes back in
        reading order, without the tabs of the stored labels.

        Args:
            index (list[int]): Class indexes, each below ``num_classes``.

        Returns:
            str: The text.
        """
        if not isinstance(index, (list, tuple)):
            raise TypeError(
                f'index must be a list or tuple of int, got {type(index)}')
        tokens = []
        for i in index:
            if not 0 <= i < len(self._dict):
                raise IndexError(f'Index {i} out of range: the dictionary has '
                                 f'{len(self._dict)} classes')
            if i not in self.silent_idxs:
                tokens.append(self._dict[i])
        return join_tokens(tokens)


def build_dictionary(dictionary: Union[Dict, Dictionary, None],
                     owner: str) -> Dictionary:
    """A dictionary from its config or an instance; None gives the MLT19
    :class:`MultilingualDictionary`.

    Args:
        dictionary: Config dict, instance or None.
        owner: Who asks, named in the error (e.g. ``'LangLMDBDataset'``).

    Raises:
        TypeError: ``dictionary`` is something else.
    """
    if dictionary is None:
        return MultilingualDictionary()
    if isinstance(dictionary, dict):
        dictionary = TASK_UTILS.build(dictionary)
    if not isinstance(dictionary, Dictionary):
        raise TypeError(f'{owner}: dictionary must be a Dictionary or its '
                        f'config dict, got {type(dictionary)}')
    return dictionary


def build_charset(lmdb_paths: Sequence[PathLike],
                  base: Optional[PathLike] = None) -> List[str]:
    """Charset of the labels of some LMDBs, after an optional base charset.

    Labels are tokenised with :func:`~cllstr_mm.utils.languages.split_label`;
    new tokens are appended in first-seen order (LMDBs in the given order,
    samples in key order), skipping tokens already in ``base``. Space (a
    special class of :class:`MultilingualDictionary`), empty tokens and tokens
    holding a tab or line break (never matched by a tokenised label) are
    skipped.

    Args:
        lmdb_paths: LMDB folders.
        base: A charset file whose tokens come first, unchanged (e.g. the
            packaged ``MLT19_charset.txt``, so the old classes keep their
            indexes). Defaults to None.

    Returns:
        list[str]: The tokens, ready for :func:`write_charset`.
    """
    tokens = read_charset(base) if base is not None else []
    seen = set(tokens)
    for path in lmdb_paths:
        with LMDBReader(path) as reader:
            for _, label in reader.labels():
                for token in split_label(label):
                    if token in seen or token in ('', ' ') or any(
                            c in token for c in '\t\n\r'):
                        continue
                    seen.add(token)
                    tokens.append(token)
    return tokens


def write_charset(tokens: Sequence[str], out_file: PathLike) -> None:
    """Write tokens one per line (UTF-8), the format :func:`read_charset`
    reads."""
    out_dir = osp.dirname(osp.abspath(out_file))
    os.makedirs(out_dir, exist_ok=True)
    with open(out_file, 'w', encoding='utf-8', newline='\n') as f:
        f.writelines(token + '\n' for token in tokens)
