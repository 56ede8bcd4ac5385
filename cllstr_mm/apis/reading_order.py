"""The reading order of a page's word boxes: words grouped into lines, lines
top to bottom and side-by-side blocks (columns) in writing direction, words
left to right, or right to left in Arabic lines.

Pure functions of boxes and texts. The geometry is read in the page's own
frame: the page is first turned by its skew (the median direction of the
elongated boxes, within +-45 degrees), so a slightly rotated line stays one
line. In that frame:

1. A word joins the line it overlaps most vertically, if the overlap is at
   least ``min_overlap`` of the smaller height and their heights differ by
   less than ``max_height_ratio``; otherwise it starts a line. Words are
   taken top to bottom.
2. A line is cut where the horizontal gap between consecutive words
   exceeds ``max_gap`` line heights (two signs, or two columns, side by
   side).
3. A cut line continues the block (column) whose last line is directly
   above it (a gap under ``max_gap`` line heights) and overlaps it
   horizontally; otherwise it starts a block.
4. Blocks whose vertical spans overlap by half the shorter one sit side by
   side: they form a row, read left to right (right to left when most of
   its lines are Arabic); rows are read top to bottom, and each block's
   lines top to bottom.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np

from cllstr_mm.utils.scripts import NO_SPACE_SCRIPTS, detect_script

#: Scripts written right to left.
RTL_SCRIPTS = ('ARA', )


def skew_angle(polygons: Sequence[np.ndarray],
               min_elongation: float = 1.5) -> float:
    """The page's skew in radians (image y pointing down, so positive
    turns clockwise on screen): the median long-axis direction of the boxes
    at least ``min_elongation`` times longer than high, folded into
    [-pi/4, pi/4]; 0 when no box is that elongated.

    Args:
        polygons: Boxes as arrays of points ``(K, 2)``, K >= 3.
    """
    angles = []
    for points in polygons:
        # the spread of the corners along the long side and the short one
        (short, long), vectors = np.linalg.eigh(np.cov(points.T))
        if long <= 0 or long < min_elongation**2 * short:
            continue
        dx, dy = vectors[:, 1]
        angles.append(np.arctan(dy / dx) if dx else np.pi / 2)
    if not angles:
        return 0.0
    angle = float(np.median(angles))
    return angle if abs(angle) <= np.pi / 4 else 0.0


def _deskewed_boxes(polygons: Sequence[np.ndarray]) -> np.ndarray:
    """Axis-aligned boxes ``(N, 4)`` ``x1, y1, x2, y2`` of the polygons in
    the page's frame (turned back by :func:`skew_angle`)."""
    angle = skew_angle(polygons)
    cos, sin = np.cos(angle), np.sin(angle)
    turn = np.array([[cos, -sin], [sin, cos]])  # points @ turn: by -angle
    boxes = []
    for points in polygons:
        upright = points @ turn
        boxes.append([*upright.min(axis=0), *upright.max(axis=0)])
    return np.array(boxes, dtype=np.float64).reshape(-1, 4)


def _overlap(a1, a2, b1, b2) -> float:
    return min(a2, b2) - max(a1, b1)


def group_lines(polygons: Sequence[Sequence[float]],
                texts: Optional[Sequence[str]] = None,
                unknown_token: str = '[UNK]',
                min_overlap: float = 0.5,
                max_height_ratio: float = 2.0,
                max_gap: float = 2.5) -> List[List[int]]:
    """Group word boxes into lines, in reading order.

    Args:
        polygons: Word polygons ``[x1, y1, x2, y2, ...]`` (pixels, at
            least 3 points each).
        texts: The words' readings: a line whose readings are Arabic
            together (:func:`~cllstr_mm.utils.scripts.detect_script`) is
            ordered right to left, and so is a row of blocks whose readings
            are. None: all left to right.
        unknown_token: The recogniser's unknown-character token, which
            votes for no script.
        min_overlap: Vertical overlap, as a share of the smaller height,
            for a word to join a line.
        max_height_ratio: Largest ratio of heights within a line.
        max_gap: Largest horizontal gap within a line, and vertical gap
            within a block, in line heights.

    Returns:
        Lines in reading order, each the indexes of its words in reading
        order.
    """
    if not len(polygons):
        return []
    points = [np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in polygons]
    boxes = _deskewed_boxes(points)
    heights = np.maximum(boxes[:, 3] - boxes[:, 1], 1e-6)

    def reads_rtl(words):
        return texts is not None and detect_script(
            ' '.join(texts[i] for i in words), unknown_token) in RTL_SCRIPTS

    # 1. lines by vertical overlap, words taken top to bottom
    lines: List[List[int]] = []
    for word in np.argsort((boxes[:, 1] + boxes[:, 3]) / 2, kind='stable'):
        best, best_share = None, min_overlap
        for number, line in enumerate(lines):
            top, bottom = boxes[line, 1].mean(), boxes[line, 3].mean()
            height = bottom - top
            ratio = max(height, heights[word]) / min(height, heights[word])
            share = _overlap(top, bottom, boxes[word, 1], boxes[word, 3]) \
                / min(height, heights[word])
            if ratio <= max_height_ratio and share >= best_share:
                best, best_share = number, share
        if best is None:
            lines.append([word])
        else:
            lines[best].append(word)

    # 2. cut lines at wide gaps
    pieces: List[List[int]] = []
    for line in lines:
        line = sorted(line, key=lambda i: boxes[i, 0])
        height = np.median(heights[line])
        piece, right = [line[0]], boxes[line[0], 2]
        for word in line[1:]:
            if boxes[word, 0] - right > max_gap * height:
                pieces.append(piece)
                piece = []
            piece.append(word)
            right = max(right, boxes[word, 2])
        pieces.append(piece)

    def extent(piece):
        return (boxes[piece, 0].min(), boxes[piece, 1].min(),
                boxes[piece, 2].max(), boxes[piece, 3].max())

    # 3. blocks of lines, each under the last line of its block
    blocks: List[List[List[int]]] = []
    for piece in sorted(pieces, key=lambda p: extent(p)[1]):
        x1, y1, x2, _ = extent(piece)
        height = np.median(heights[piece])
        best, best_gap = None, max_gap * height
        for number, block in enumerate(blocks):
            bx1, _, bx2, by2 = extent(block[-1])
            gap = y1 - by2
            if _overlap(x1, x2, bx1, bx2) > 0 and -height / 2 <= gap \
                    <= best_gap:
                best, best_gap = number, gap
        if best is None:
            blocks.append([piece])
        else:
            blocks[best].append(piece)

    # 4. rows of side-by-side blocks, top to bottom
    spans = [(min(extent(p)[1] for p in block),
              max(extent(p)[3] for p in block)) for block in blocks]
    rows: List[List[int]] = []
    for number in np.argsort([top for top, _ in spans], kind='stable'):
        top, bottom = spans[number]
        for row in rows:
            rtop = min(spans[b][0] for b in row)
            rbottom = max(spans[b][1] for b in row)
            if _overlap(top, bottom, rtop, rbottom) >= 0.5 * min(
                    bottom - top, rbottom - rtop):
                row.append(number)
                break
        else:
            rows.append([number])

    ordered = []
    for row in rows:
        words = [w for b in row for p in blocks[b] for w in p]
        row = sorted(row, key=lambda b: min(extent(p)[0] for p in blocks[b]))
        if reads_rtl(words):
            row = row[::-1]
        for block in row:
            for piece in blocks[block]:
                order = sorted(piece, key=lambda i: boxes[i, 0] + boxes[i, 2])
                ordered.append(order[::-1] if reads_rtl(piece) else order)
    return ordered


def line_box(polygons: Sequence[np.ndarray]) -> List[float]:
    """``[x1, y1, x2, y2]``, the image-axis box around the polygons."""
    points = np.concatenate([np.asarray(p, np.float64).reshape(-1, 2)
                             for p in polygons])
    return [round(float(v), 1)
            for v in (*points.min(axis=0), *points.max(axis=0))]


def read_lines(polygons: Sequence[Sequence[float]],
               texts: Sequence[str],
               unknown_token: str = '[UNK]') -> List[Dict]:
    """A page's readings as lines in reading order (:func:`group_lines`).

    Words read as empty text are left out.

    Args:
        polygons: Word polygons ``[x1, y1, ...]`` (a detector's
            ``det_polygons``).
        texts: Their readings (``rec_texts``), in the same order.
        unknown_token: The recogniser's unknown-character token, which
            votes for no script.

    Returns:
        One dict per line: ``text``, its words' readings in reading order
        joined by spaces, or without spaces in a Chinese or Japanese line;
        ``lang``, the line's script by :func:`~cllstr_mm.utils.scripts.detect_script`
        of its readings (None when none votes); ``words``, indexes into
        ``texts`` in reading order; ``box``, ``[x1, y1, x2, y2]`` around
        its words (pixels).
    """
    words = [i for i, text in enumerate(texts) if text.strip()]
    lines = []
    for line in group_lines([polygons[i] for i in words],
                            [texts[i] for i in words], unknown_token):
        indexes = [words[i] for i in line]
        lang = detect_script(' '.join(texts[i] for i in indexes),
                             unknown_token)
        joiner = '' if lang in NO_SPACE_SCRIPTS else ' '
        lines.append(
            dict(
                text=joiner.join(texts[i].strip() for i in indexes),
                lang=lang,
                words=indexes,
                box=line_box([polygons[i] for i in indexes])))
    return lines
