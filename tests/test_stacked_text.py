"""Text written top to bottom: which crops are columns of characters,
where their characters are cut, and how they are laid side by side."""
import numpy as np

from cllstr_mm.apis.stacked_text import (character_pitch, stacked_rows,
                                         unstack)


def column(blocks: int = 4, width: int = 20, pitch: int = 24,
           height: int = 100) -> np.ndarray:
    """A white column ``(height, width, 3)`` with ``blocks`` black 16x16
    'characters', the k-th at rows ``2 + pitch * k`` to ``18 + pitch * k``
    and columns 2 to 18."""
    image = np.full((height, width, 3), 255, np.uint8)
    for k in range(blocks):
        image[2 + pitch * k:18 + pitch * k, 2:18] = 0
    return image


def test_the_pitch_is_the_period_of_the_rows_ink():
    ink = (column()[..., 0] == 0).sum(axis=1)
    pitch, periodicity = character_pitch(ink, width=20)
    assert pitch == 24
    assert periodicity > 0.5
    # a flat profile has no period
    assert character_pitch(np.ones(100), width=20) == (0, 0.0)


def test_a_column_is_cut_in_the_blank_rows_between_its_characters():
    # hand-computed: first inked row 2; each cut the first blank row within
    # 0.3 pitch (7 rows) of the last cut plus 24: 19 (window 19-33),
    # 42 (window 36-50), 66 (window 59-73); the last cell ends after the
    # last inked row (89), within 1.5 pitches of 66
    assert stacked_rows(column()) == [(2, 19), (19, 42), (42, 66), (66, 90)]


def test_a_tall_glyph_or_a_short_crop_is_not_a_column():
    bar = np.full((90, 20, 3), 255, np.uint8)
    bar[5:85, 6:14] = 0  # one tall stroke: a 1, an I
    assert stacked_rows(bar) == []
    # four characters, but 5 widths tall where 6 are asked
    assert stacked_rows(column(), min_aspect=6) == []
    # one character in a tall crop
    assert stacked_rows(column(blocks=1)) == []
    # an empty crop (a region beyond the image's edge)
    assert stacked_rows(np.zeros((30, 0, 3), np.uint8)) == []


def test_unstacked_cells_stand_side_by_side_on_the_background():
    image = column()
    rows = stacked_rows(image)
    strip = unstack(image, rows)
    # tallest cell 24 rows; gap int(median(17, 23, 24, 24) / 5) = 4
    assert strip.shape == (24, 4 * 20 + 3 * 4, 3)
    ink = strip[..., 0] == 0
    # each block stands in its own cell's columns, 16 wide, 16 tall
    for k in range(4):
        cell = ink[:, k * 24:k * 24 + 20]
        assert cell.sum() == 16 * 16
        assert ink[:, k * 24 + 20:k * 24 + 24].sum() == 0  # the gap
    # the shorter first cell (17 rows) is centred, padded with white
    assert (strip[:3, :20] == 255).all()
