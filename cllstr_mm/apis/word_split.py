"""Cut a detected text line into its words at the blank gaps between them,
for recognisers that read words (ours: 32x100 crops of one to three
words), behind a detector that finds lines (PP-OCRv5's); and crop a region
upright for the recogniser.

Classic projection-profile segmentation, in the line's own frame: the
line's region is turned upright, its pixels split into ink and background
by Otsu's threshold (the background being what its border mostly is), and
the columns without ink in the rows of the letters' bodies form the gaps
(a link's underline, which runs under them, left out:
:func:`without_rules`). The gaps between words are the wide side of the
largest jump (at least twofold) in the line's sorted gap widths, and at
least a quarter of the body's height: the narrow gaps between letters, and
inside or between Chinese and Japanese characters, do not cut, whatever
the font's spacing; a line whose letters hang from a headline cuts from
narrower gaps, jump or none (:func:`word_gap`). A line whose pieces would
be single letters (letters spaced apart, as on signs) stays whole. A region
too long for a word recogniser is read in parts (:func:`part_columns`).
"""
from typing import List, Optional, Sequence

import cv2
import numpy as np


def line_frame(points: np.ndarray) -> tuple:
    """``(origin, u, v, length, height)`` of a region's points ``(K, 2)``:
    of its two principal axes, ``u`` the one nearer horizontal (pointing
    right) and ``v`` the other (pointing down), and the corner and extents
    of its box along them, in pixels."""
    _, vectors = np.linalg.eigh(np.cov((points - points.mean(axis=0)).T))
    u = vectors[:, 1] if abs(vectors[0, 1]) >= abs(vectors[1, 1]) \
        else vectors[:, 0]
    u = u if u[0] >= 0 else -u
    v = np.array([-u[1], u[0]])
    along, across = points @ u, points @ v
    origin = along.min() * u + across.min() * v
    return origin, u, v, np.ptp(along), np.ptp(across)


def upright_crop(image: np.ndarray, polygon: Sequence[float]) -> np.ndarray:
    """The region's box in its own frame (:func:`line_frame`), turned
    upright: the image's pixels under it, ``(round(height),
    round(length)[, C])``, at least 1 x 1, edges replicated beyond the
    image. A region along the image axes is its plain crop."""
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    origin, u, v, length, height = line_frame(points)
    width, rows = max(int(round(length)), 1), max(int(round(height)), 1)
    source = np.float32([origin, origin + width * u, origin + rows * v])
    target = np.float32([[0, 0], [width, 0], [0, rows]])
    return cv2.warpAffine(
        image, cv2.getAffineTransform(source, target), (width, rows),
        flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def ink_mask(upright: np.ndarray) -> np.ndarray:
    """Ink (True) and background of an upright region ``(H, W[, C])`` by
    Otsu's threshold of its grey levels, the background being the class
    its border mostly is."""
    gray = upright.mean(axis=2) if upright.ndim == 3 else upright
    scaled = cv2.normalize(gray.astype(np.float32), None, 0, 255,
                           cv2.NORM_MINMAX)
    _, binary = cv2.threshold(scaled.astype(np.uint8), 0, 1,
                              cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    border = np.concatenate([binary[0], binary[-1], binary[:, 0],
                             binary[:, -1]])
    return binary != np.bincount(border, minlength=2).argmax()


def without_rules(ink: np.ndarray, min_cover: float = 0.45,
                  max_thickness: float = 0.12,
                  top: float = 0.35) -> np.ndarray:
    """An upright line's ink mask ``(H, W)`` without its horizontal rules
    (the underline of a link, a line through a struck price), which join
    the words of a line so that its gaps do not show. A rule is a band of
    rows each inked over at least ``min_cover`` of the inked width (a
    browser's underline skips the descenders), at most ``max_thickness``
    of the inked height thick (at least 2 rows), below the top ``top`` of
    the inked rows (where a Devanagari or Bengali headline runs), and
    apart from the letters above it: the row above holds at most half the
    band's ink (the baseline of bold Arabic, as dense, is a thick band
    under the letters' bodies that it joins)."""
    inked_columns = np.flatnonzero(ink.any(axis=0))
    inked_rows = np.flatnonzero(ink.any(axis=1))
    if len(inked_columns) < 2:
        return ink
    cover = ink.sum(axis=1) / (inked_columns[-1] - inked_columns[0] + 1)
    height = inked_rows[-1] - inked_rows[0] + 1
    dense = np.flatnonzero((cover >= min_cover) & (
        np.arange(len(ink)) >= inked_rows[0] + top * height))
    rules = [
        band for band in np.split(dense, np.flatnonzero(np.diff(dense) > 1)
                                  + 1)
        if len(band) and len(band) <= max(2, max_thickness * height) and (
            not band[0] or cover[band[0] - 1] <= 0.5 * cover[band].max())
    ]
    if not rules:
        return ink
    cleared = ink.copy()
    cleared[np.concatenate(rules)] = False
    return cleared


def _body_rows(ink: np.ndarray) -> tuple:
    """Ink per row of an upright region's ink mask ``(H, W)`` and the rows
    of the letters' bodies (bool ``(H,)``): those holding at least a tenth
    of the busiest row's ink; the sparse rows of accents, ascenders,
    descenders, vowel signs and of the neighbouring lines reaching into the
    region are left out (a Devanagari or Bengali headline, which joins a
    word's letters, is a body row)."""
    counts = ink.sum(axis=1)
    return counts, counts > 0.1 * counts.max() if counts.max() else counts > 0


def _blank_runs(ink: np.ndarray) -> tuple:
    """The inked columns of an upright region's ink mask ``(H, W)`` in the
    rows of the letters' bodies (:func:`_body_rows`), so that the other
    rows neither bridge nor count as gaps, and the bodies' height (at
    least 1)."""
    _, body = _body_rows(ink)
    return np.flatnonzero(ink[body].any(axis=0)), max(int(body.sum()), 1)


def has_headline(ink: np.ndarray) -> bool:
    """Whether an upright line's ink mask ``(H, W)`` hangs its letters from
    a headline, as Devanagari and Bengali do: its busiest row runs along
    at least half of the inked width, carries at least 1.6 times the median
    body row's ink (:func:`_body_rows`), and lies in the upper half of the
    body rows (the dense row of Arabic, its baseline, lies in the lower
    half)."""
    counts, body = _body_rows(ink)
    inked = np.flatnonzero(ink.any(axis=0))
    if not counts.max() or len(inked) < 2:
        return False
    body = np.flatnonzero(body)
    top = int(np.argmax(counts))
    return (counts[top] >= 0.5 * (inked[-1] - inked[0] + 1)
            and counts[top] >= 1.6 * np.median(counts[body])
            and top - body[0] < 0.5 * (body[-1] - body[0] + 1))


def word_gap(gaps: np.ndarray, body: int, min_gap: float,
             min_jump: float, joined_letters: bool = False,
             min_wide_jump: Optional[float] = None) -> float:
    """The narrowest blank gap (columns) that separates words in a line
    whose blank gaps are ``gaps``: where the sorted gaps jump most, by at
    least ``min_jump`` times, from the gaps between letters to those
    between words; with no such jump, all gaps or none, as they are wider
    than ``min_gap`` body heights or not, or, for a line whose letters are
    joined (``joined_letters``: a headline), those wider. Never under
    ``min_gap`` body heights; infinite for none.

    With ``min_wide_jump``, the largest jump to a gap of at least
    ``min_gap`` body heights comes first when it is at least that many
    times: in a light font the strokes of a letter stand apart, and the
    largest jump, between them and the letters, would cut words at every
    gap over ``min_gap`` (``재미|있고``), or a smaller jump from the
    letters' gaps to the words' would not count (``Google의 기념일``)."""
    floor = min_gap * body
    widths = np.sort(gaps)
    if not len(widths):
        return np.inf
    jumps = widths[1:] / np.maximum(widths[:-1], 1)
    if min_wide_jump is not None and len(jumps):
        wide = np.where(widths[1:] >= floor, jumps, 0)
        if wide.max() >= min_wide_jump:
            return float(widths[1:][np.argmax(wide)])
    if len(jumps) and jumps.max() >= min_jump:
        return max(float(widths[1:][np.argmax(jumps)]), floor)
    return floor if joined_letters or widths[0] >= floor else np.inf


def merge_slivers(cuts: List[tuple], min_width: float,
                  max_gap_ratio: float = 0.67) -> List[tuple]:
    """Column ranges ``(start, stop)`` of a line's words, left to right,
    with each piece narrower than ``min_width`` columns joined to the
    neighbour across the narrower gap, narrowest first, when that gap is
    at most ``max_gap_ratio`` times the other (or the piece ends the
    line): a digit 1 or a danda beside a wide blank (``1,400원``,
    ``করুন।``) is part of a word, while a separator midway between two
    words (``首页 > 手机``, ``Miller · Mar``) stays apart."""
    cuts = list(cuts)
    kept = set()
    while len(cuts) > 1:
        slivers = [number for number, (start, stop) in enumerate(cuts)
                   if stop - start < min_width and (start, stop) not in kept]
        if not slivers:
            break
        index = min(slivers, key=lambda n: cuts[n][1] - cuts[n][0])
        left = cuts[index][0] - cuts[index - 1][1] if index else np.inf
        right = cuts[index + 1][0] - cuts[index][1] \
            if index + 1 < len(cuts) else np.inf
        if max_gap_ratio * max(left, right) < min(left, right) < np.inf:
            kept.add(cuts[index])
            continue
        first = index - 1 if left <= right else index
        cuts[first:first + 2] = [(cuts[first][0], cuts[first + 1][1])]
    return cuts


def gap_cuts(ink: np.ndarray, min_gap: float, min_jump: float,
             min_piece: float,
             headline_min_gap: Optional[float] = None,
             min_word: float = 0.0,
             min_wide_jump: Optional[float] = None) -> List[tuple]:
    """Column ranges ``(start, stop)`` of the words in an upright line's
    ink mask ``(H, W)`` (bool; its rules left out, :func:`without_rules`),
    left to right, cut at the gaps
    :func:`word_gap` finds between words; one range when the pieces would
    be single letters (median under ``min_piece`` body heights: letters
    spaced apart); ``[]`` without ink. A line with a headline
    (:func:`has_headline`) cuts from ``headline_min_gap`` body heights
    instead: its body rows take in the vowel signs above and below, and
    its words have no gaps between letters to jump from. A piece narrower
    than ``min_word`` body heights joins a neighbour
    (:func:`merge_slivers`). ``min_wide_jump``: see :func:`word_gap`."""
    ink = without_rules(ink)
    columns, body = _blank_runs(ink)
    if not len(columns):
        return []
    headline = headline_min_gap is not None and has_headline(ink)
    if headline:
        min_gap = headline_min_gap
    blanks = np.diff(columns) - 1
    threshold = word_gap(blanks[blanks > 0], body, min_gap, min_jump,
                         joined_letters=headline,
                         min_wide_jump=min_wide_jump)
    cuts = [(columns[0], None)]
    for index in np.flatnonzero(blanks >= threshold):
        cuts[-1] = (cuts[-1][0], columns[index] + 1)
        cuts.append((columns[index + 1], None))
    cuts[-1] = (cuts[-1][0], columns[-1] + 1)
    cuts = merge_slivers(cuts, min_word * body)
    if np.median([stop - start for start, stop in cuts]) < min_piece * body:
        return [(columns[0], columns[-1] + 1)]
    return cuts


def part_columns(upright: np.ndarray, max_aspect: float) -> List[tuple]:
    """Column ranges ``(start, stop)`` covering an upright region ``(H, W[,
    C])`` in parts of at most about ``max_aspect`` heights each, cut in the
    blank columns nearest to even divisions (or, where the ink is joined,
    at them): a long word or a line of Chinese, read in parts by a
    recogniser of short words. One range when it is short."""
    height, width = upright.shape[:2]
    count = int(np.ceil(width / (max_aspect * height)))
    if count < 2:
        return [(0, width)]
    columns, _ = _blank_runs(without_rules(ink_mask(upright)))
    blank = np.setdiff1d(np.arange(width), columns)
    bounds = [0]
    for ideal in np.arange(1, count) * width / count:
        near = blank[np.abs(blank - ideal) <= width / count / 2]
        bounds.append(int(near[np.argmin(np.abs(near - ideal))])
                      if len(near) else int(round(ideal)))
    bounds.append(width)
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def split_words(gray: np.ndarray,
                polygon: Sequence[float],
                min_gap: float = 0.25,
                min_jump: float = 2.0,
                min_piece: float = 1.2,
                min_aspect: float = 2.0,
                headline_min_gap: Optional[float] = None,
                min_word: float = 0.0,
                min_wide_jump: Optional[float] = None) -> List[np.ndarray]:
    """The words of a detected text line.

    Args:
        gray: The image (H, W) in any grey scale (float or uint8).
        polygon: The line's region ``[x1, y1, ..., xK, yK]`` in ``gray``'s
            pixels.
        min_gap: Smallest gap that cuts, in body heights (a space is a
            third to a half of it).
        min_jump: How many times wider than the widest gap between
            letters the gaps between words are at least.
        min_piece: The line stays whole when its pieces would be narrower
            than this (median, in body heights): single letters spaced
            apart, as on signs.
        min_aspect: Lines shorter than this many heights are not cut.
        headline_min_gap: ``min_gap`` of a line whose letters hang from a
            headline (Devanagari, Bengali; :func:`has_headline`); None:
            ``min_gap``.
        min_word: A piece narrower than this (body heights) joins the
            neighbour across the narrower gap (:func:`merge_slivers`).
        min_wide_jump: A jump at least this large between the gaps, to
            one of at least ``min_gap``, comes first (:func:`word_gap`);
            None: only ``min_jump``.

    Returns:
        The words' regions as float32 quads ``(8,)`` in ``gray``'s pixels,
        left to right, each the line's height, the first and last reaching
        the line's ends and the others halfway into the gaps beside them
        (at most a quarter of the height); the line's own polygon alone
        when it is not cut.
    """
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    whole = [np.asarray(polygon, dtype=np.float32).reshape(-1)]
    origin, u, v, length, height = line_frame(points)
    if height < 4 or length < min_aspect * height:
        return whole
    ink = ink_mask(upright_crop(np.ascontiguousarray(gray, np.float32),
                                polygon))
    cuts = gap_cuts(ink, min_gap, min_jump, min_piece, headline_min_gap,
                    min_word, min_wide_jump)
    if len(cuts) < 2:
        return whole
    width = ink.shape[1]
    words = []
    for number, (start, stop) in enumerate(cuts):
        # the line's own margin outside, half the gap (at most a quarter
        # of the height) inside
        left = start - min((start - cuts[number - 1][1]) / 2,
                           height / 4) if number else 0
        right = stop + min((cuts[number + 1][0] - stop) / 2, height / 4) \
            if number + 1 < len(cuts) else width
        corners = [origin + x * u + y * v
                   for x, y in ((left, 0), (right, 0), (right, height),
                                (left, height))]
        words.append(np.float32(corners).reshape(-1))
    return words
