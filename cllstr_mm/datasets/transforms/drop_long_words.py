"""LMIM's length protocol for training words."""
from typing import Optional

from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class DropLongWords(BaseTransform):
    """Drop a training sample whose word is longer than ``max_chars``.

    The original skips a word with ``len(word) + 1 >= max_len`` (max_len
    25: 24 or more characters) instead of truncating its label. Returning
    None makes MMEngine's dataset draw another sample (training only: at
    test time MMEngine refuses None, so evaluation leaves long words out in
    :class:`LMIMWordMetric` instead, with the same ``max_chars``).

    Required keys: ``gt_texts`` (from ``LoadOCRAnnotations(with_text=True)``,
    one word).

    Args:
        max_chars (int, optional): Longest word kept, in characters (code
            points). Defaults to 23. None keeps every word (a label longer
            than the decoder's ``max_seq_len`` is then truncated by the
            loss).
    """

    def __init__(self, max_chars: Optional[int] = 23) -> None:
        super().__init__()
        if max_chars is not None and max_chars < 1:
            raise ValueError(
                f'max_chars must be >= 1 or None, got {max_chars}')
        self.max_chars = max_chars

    def transform(self, results: dict) -> Optional[dict]:
        texts = results.get('gt_texts')
        if not texts:
            raise KeyError(
                'DropLongWords needs results["gt_texts"]: put it after '
                'LoadOCRAnnotations(with_text=True) in the pipeline')
        if self.max_chars is not None and len(texts[0]) > self.max_chars:
            return None
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(max_chars={self.max_chars})'
