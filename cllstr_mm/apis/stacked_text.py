"""Text written top to bottom (Chinese, Japanese and Korean signs, book
spines): a column of upright characters, which a recogniser of horizontal
words reads once its characters are set side by side.

A crop is taken for such a column when it is tall (at least
``min_aspect`` times its width) and its rows' ink repeats with a
character's pitch: the ink per row
(:func:`~cllstr_mm.apis.word_split.ink_mask`) correlates with itself
shifted by half to one and a half widths (a character is about as tall
as the column is wide) at ``min_periodicity`` or more. A single tall
glyph (a Bengali ও, a digit 1) or a tall word of another script does not
repeat so. The column is cut at the faintest row near each multiple of
the pitch, and the cells are laid left to right (:func:`unstack`).
"""
from typing import List, Tuple

import cv2
import numpy as np

from .word_split import ink_mask

#: Least height, in widths, of a crop read as a column of characters.
STACKED_MIN_ASPECT = 1.5
#: Least correlation of the rows' ink with itself a character lower.
MIN_PERIODICITY = 0.3


def character_pitch(row_ink: np.ndarray, width: int) -> Tuple[int, float]:
    """``(pitch, periodicity)`` of a column whose ink per row is
    ``row_ink`` ``(H,)`` and which is ``width`` pixels wide: of the lags
    (rows) between ``width / 2`` and ``1.5 * width``, and at most half the
    height, the one at which the profile best correlates with itself
    shifted (Pearson's r of the overlapping rows, so that a shift by one
    of three characters is not penalised for overlapping two), and that
    correlation; ``(0, 0.0)`` when no lag fits or the profile is flat."""
    profile = row_ink.astype(np.float64)
    height = len(profile)
    low, high = max(2, int(np.ceil(width / 2))), min(int(1.5 * width),
                                                     height // 2)
    best = (0, 0.0)
    for lag in range(low, high + 1):
        upper, lower = profile[:height - lag], profile[lag:]
        if upper.std() == 0 or lower.std() == 0:
            continue
        correlation = float(np.corrcoef(upper, lower)[0, 1])
        if correlation > best[1]:
            best = (lag, correlation)
    return best


def stacked_rows(upright: np.ndarray,
                 min_aspect: float = STACKED_MIN_ASPECT,
                 min_periodicity: float = MIN_PERIODICITY
                 ) -> List[Tuple[int, int]]:
    """Row ranges ``(start, stop)`` of the characters of a crop ``(H, W[,
    C])`` written top to bottom, top first, from its first to its last
    inked row: cut at the row with the least ink within 0.3 pitches of
    each pitch (:func:`character_pitch` of the rows from the first to the
    last inked one) from the last cut, the last cell up to 1.5 pitches
    tall. ``[]`` when the crop is not such a column: empty, shorter than
    ``min_aspect`` widths, its rows' ink not periodic (under
    ``min_periodicity``), or one character long."""
    height, width = upright.shape[:2]
    if not width or height < min_aspect * width:
        return []
    row_ink = ink_mask(upright).sum(axis=1)
    inked = np.flatnonzero(row_ink)
    if not len(inked):
        return []
    top, bottom = int(inked[0]), int(inked[-1]) + 1
    # the blank margins would correlate with themselves at every lag
    row_ink = row_ink[top:bottom]
    pitch, periodicity = character_pitch(row_ink, width)
    if periodicity < min_periodicity:
        return []
    cuts, reach = [0], int(0.3 * pitch)
    while len(row_ink) - cuts[-1] > 1.5 * pitch:
        ideal = cuts[-1] + pitch
        window = row_ink[ideal - reach:ideal + reach + 1]
        cuts.append(ideal - reach + int(np.argmin(window)))
    cuts = [top + cut for cut in cuts] + [bottom]
    return list(zip(cuts[:-1], cuts[1:])) if len(cuts) > 2 else []


def unstack(upright: np.ndarray, rows: List[Tuple[int, int]]) -> np.ndarray:
    """The cells ``rows`` of a column ``(H, W[, C])`` side by side, left
    to right, a fifth of the median cell's height of background (the
    median of the crop's border) between them, and above and below the
    shorter ones to centre them: ``(tallest cell, about len(rows) * 1.2
    * W[, C])``, the crop's dtype."""
    border = np.concatenate([upright[0], upright[-1], upright[:, 0],
                             upright[:, -1]])
    background = np.median(border, axis=0)
    value = background.tolist() if np.ndim(background) else \
        float(background)
    tallest = max(stop - start for start, stop in rows)
    gap = max(2, int(np.median([stop - start for start, stop in rows]) / 5))
    cells = []
    for number, (start, stop) in enumerate(rows):
        above = (tallest - (stop - start)) // 2
        cells.append(
            cv2.copyMakeBorder(upright[start:stop], above,
                               tallest - (stop - start) - above, 0,
                               gap if number + 1 < len(rows) else 0,
                               cv2.BORDER_CONSTANT, value=value))
    return np.concatenate(cells, axis=1)
