"""Word accuracy under LMIM's evaluation protocol."""
import string
from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmocr.registry import METRICS

#: What the original's metric keeps of a word (then lower-cased).
ALNUM = frozenset(string.digits + string.ascii_letters)


def lmim_normalize(text: str) -> str:
    """The original's ``_normalize_text``: ASCII letters and digits only,
    lower-cased (``'Fixture-42!'`` -> ``'fixture42'``)."""
    return ''.join(c for c in text if c in ALNUM).lower()


@METRICS.register_module()
class LMIMWordMetric(BaseMetric):
    """Word accuracy as LMIM's evaluation computes it.

    - A word with more than ``max_chars`` characters (code points) is left
      out, as the original's dataset skips it in evaluation too
      (``len(word) + 1 >= max_len`` with ``max_len`` 25).
    - Prediction and ground truth keep ASCII letters and digits only and are
      lower-cased (:func:`lmim_normalize`); a word is right when the two are
      equal. Unknown-character predictions must already be dropped by the
      postprocessor (``ignore_chars=['padding', 'unknown']``), as the
      original drops them, or they are scored as the letters ``unk``.

    The original replaces a skipped test word by the sample two places
    further, which then counts twice; here it is simply not counted.

    Args:
        max_chars (int, optional): Longest word scored. Defaults to 23.
            None scores every word.
        collect_device (str): Defaults to 'cpu'.
        prefix (str, optional): Defaults to 'recog'.

    Results (fractions in [0, 1] and counts): ``word_acc_lmim``,
    ``num_scored``, ``num_dropped``.
    """

    default_prefix: Optional[str] = 'recog'

    def __init__(self,
                 max_chars: Optional[int] = 23,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device, prefix)
        if max_chars is not None and max_chars < 1:
            raise ValueError(
                f'max_chars must be >= 1 or None, got {max_chars}')
        self.max_chars = max_chars

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Keep ``(gt text, predicted text)`` of each sample."""
        for sample in data_samples:
            self.results.append(
                (sample['gt_text']['item'], sample['pred_text']['item']))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """
        Args:
            results (list): ``(gt, pred)`` pairs.

        Returns:
            dict: ``word_acc_lmim``, ``num_scored``, ``num_dropped``.
        """
        scored = [(gt, pred) for gt, pred in results
                  if self.max_chars is None or len(gt) <= self.max_chars]
        right = sum(
            lmim_normalize(gt) == lmim_normalize(pred) for gt, pred in scored)
        return dict(
            word_acc_lmim=right / len(scored) if scored else 0.,
            num_scored=len(scored),
            num_dropped=len(results) - len(scored))
