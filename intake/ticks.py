"""Tick boxes read by the ink inside them: a pen's √ or × fills part of the box, an empty box stays white.

OCR cannot do this: it reads □ as 口 and misses ☒. Measured on the issue's scans: ticked boxes hold
0.13–0.35 ink, empty ones at most 0.016. Between the two bands a box is doubtful and goes to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from baodao.intake.align import INK_LEVEL, NpImage, Placement

EMPTY_MAX = 0.03  # empty boxes measured ≤ 0.016: a speck of noise or a stray hair line stays under this
TICKED_MIN = 0.07  # ticked boxes measured ≥ 0.13: a short, light tick still clears this
INNER = 0.22  # share of the box cut from each side: inside the printed square, clear of its border
SEARCH = 0.35  # how far (share of the box) the square is looked for around where the template puts it
# The printed square's side, as a share of its character box: measured 0.93–1.00 in the bundled faces
# (it sits about a quarter of the box lower than the box, which SEARCH covers).
SQUARE_MIN, SQUARE_MAX = 0.85, 1.05
PHOTO_OUTLINE_LEVEL = 170  # grey below this is a square's side in a photo (measured: 138–150 blurred)


class Tick(Enum):
    TICKED = "ticked"
    EMPTY = "empty"
    DOUBTFUL = "doubtful"


@dataclass(frozen=True)
class BoxReading:
    state: Tick
    ink: float  # share of the box's inside that is ink


def read_tick(placement: Placement, box: tuple[float, float, float, float]) -> BoxReading:
    """Whether the printed box at ``box`` (template points) holds a mark."""
    # A phone's blur leaves a printed square's thin sides mid-grey: in a photo they are looked for
    # at a lighter level than ink.
    outline_level = INK_LEVEL if placement.soft is None else PHOTO_OUTLINE_LEVEL
    x0, y0, x1, y1 = _square(placement.pixels, placement.box(box), outline_level)
    cut_x, cut_y = int((x1 - x0) * INNER), int((y1 - y0) * INNER)
    inside = placement.pixels[y0 + cut_y : y1 - cut_y, x0 + cut_x : x1 - cut_x]
    ink = float((inside < INK_LEVEL).mean()) if inside.size else 0.0
    if ink >= TICKED_MIN:
        return BoxReading(Tick.TICKED, ink)
    if ink <= EMPTY_MAX:
        return BoxReading(Tick.EMPTY, ink)
    return BoxReading(Tick.DOUBTFUL, ink)


def _square(
    pixels: NpImage, near: tuple[int, int, int, int], level: int = INK_LEVEL
) -> tuple[int, int, int, int]:
    """The printed square's own bounds near ``near``: where its four sides carry the most ink.

    The glyph's square is not quite where its character box is, and alignment may be a few pixels off;
    both are settled by looking for the outline itself.
    """
    x0, y0, x1, y1 = near
    size = max(x1 - x0, y1 - y0)
    reach = max(2, int(size * SEARCH))
    top, left = max(0, y0 - reach), max(0, x0 - reach)
    area = (pixels[top : y1 + reach, left : x1 + reach] < level).astype(np.int32)
    if area.shape[0] < 4 or area.shape[1] < 4:
        return near
    cum_x = np.pad(area.cumsum(axis=1), ((0, 0), (1, 0)))  # cum_x[y, x] = ink in row y left of x
    cum_y = np.pad(area.cumsum(axis=0), ((1, 0), (0, 0)))
    best = (-1.0, near)
    # Each size the square may have is placed where its outline holds the most ink.
    smallest, largest = max(3, int(size * SQUARE_MIN)), min(int(size * SQUARE_MAX) + 1, *area.shape)
    for side in range(smallest, largest + 1):
        n_y, n_x = area.shape[0] - side + 1, area.shape[1] - side + 1
        runs_x = cum_x[:, side:] - cum_x[:, :-side]  # ink in each row from x to x + side
        runs_y = cum_y[side:, :] - cum_y[:-side, :]  # ink in each column from y to y + side
        score = (
            runs_x[:n_y, :n_x]
            + runs_x[side - 1 : side - 1 + n_y, :n_x]
            + runs_y[:n_y, :n_x]
            + runs_y[:n_y, side - 1 : side - 1 + n_x]
        ) / (4.0 * side)
        dy, dx = np.unravel_index(int(np.argmax(score)), score.shape)
        if float(score[dy, dx]) > best[0] + 0.02:  # a larger square must outline clearly better
            x, y = left + int(dx), top + int(dy)
            best = (float(score[dy, dx]), (x, y, x + side, y + side))
    return best[1]
