"""Text on a straightened scan: an area cut into lines by its ink, each line recognized on its own.

Recognition alone, on a tight line, is both faster and surer than letting the engine find the text on
the whole page (bench/scan.py measures both): the layout already says where a value may be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PIL import Image

from baodao.intake.align import INK_LEVEL, NpImage, Placement
from baodao.intake.layout import BBox
from baodao.intake.ocr import Engine

LINE_GAP_PT = 1.5  # ink rows closer than this (points) belong to one line of text
MIN_LINE_PT = 4.0  # a line of text is at least this tall (points); less is a speck or a rule's trace
PAD_PX = 6  # white kept around a line of text for the recognizer
RULE_SHARE = 0.6  # a row or column of the crop this full of ink is a table rule, not writing
WRAP_ROOM = 1.6  # a line ending closer than this many characters to the area's right edge filled it
_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_CLOCK = re.compile(r"(?<=\d)：(?=\d)")  # a time of day (19:00), which the recognizer may read full-width
RULE_TRACES = "|丨[]"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class TextLine:
    """A recognized line, and whether it ran to the right edge of its area (so the next line may be
    the same text, wrapped)."""

    text: str
    confidence: float
    full: bool


def read_lines(placement: Placement, area: BBox, ocr: Engine, one_line: bool = False) -> list[TextLine]:
    """The lines of text inside ``area`` (template points), top to bottom, each with its confidence.

    With ``one_line``, only the line nearest the middle of the area: the room after a “label：” line is
    looked at with a margin above and below, where the neighbouring lines' writing may reach.
    """
    x0, y0, x1, y1 = placement.box(area)
    h, w = placement.pixels.shape
    region = (slice(max(0, y0), min(h, y1)), slice(max(0, x0), min(w, x1)))
    crop = placement.pixels[region]
    if crop.size == 0:
        return []
    rows, cols = _rules_in(crop)
    crop = _blanked(crop, rows, cols)
    # What the recognizer sees: a photo's gentler copy where there is one, the same crop otherwise.
    seen = crop if placement.soft is None else _blanked(placement.soft[region], rows, cols)
    found = text_lines(crop, placement.sx)
    if one_line and found:
        middle = crop.shape[0] / 2
        found = [min(found, key=lambda band: abs((band[0] + band[1]) / 2 - middle))]
    lines = []
    for top, bottom, left, right in found:
        # Faint strokes (a full stop, a light pen) fall short of INK_LEVEL at the ends of a line: give
        # the recognizer half a character's room either side, as far as the area goes.
        room = (bottom - top) // 2
        piece = seen[top:bottom, max(0, left - room) : right + room]
        piece = np.pad(piece, PAD_PX, constant_values=255)
        read = ocr.line(Image.fromarray(piece))
        if read.text.strip():
            full = crop.shape[1] - right < WRAP_ROOM * (bottom - top)
            lines.append(TextLine(tidy(read.text), read.confidence, full))
    return lines


def joined(lines: list[TextLine]) -> str:
    """The lines as one text: a line that ran to the edge and the next are joined when both sides of the
    break are Chinese or digits (a wrap, as in a printed cell); any other break was made on purpose."""
    if not lines:
        return ""
    parts = [lines[0].text]
    for prev, line in pairwise(lines):
        wrapped = prev.full and _joinable(prev.text[-1]) and _joinable(line.text[0])
        parts += ["" if wrapped else "\n", line.text]
    return "".join(parts)


def _joinable(ch: str) -> bool:
    return bool(_CJK.match(ch)) or ch.isdigit()


def text_lines(crop: NpImage, scale: float) -> list[tuple[int, int, int, int]]:
    """Where the lines of text are in ``crop``: (top, bottom, left, right) in its pixels."""
    ink = crop < INK_LEVEL
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)  # one dark pixel in a row is noise, not writing
    if rows.size == 0:
        return []
    bands = np.split(rows, np.flatnonzero(np.diff(rows) > LINE_GAP_PT * scale) + 1)
    found = []
    for band in bands:
        top, bottom = int(band[0]), int(band[-1]) + 1
        if bottom - top < MIN_LINE_PT * scale:
            continue
        cols = np.flatnonzero(ink[top:bottom].any(axis=0))
        found.append((top, bottom, int(cols[0]), int(cols[-1]) + 1))
    return found


def _rules_in(crop: NpImage) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns of the crop that a line runs nearly across (a table rule the inset did not
    cut off), which neither line finding nor the recognizer should see."""
    ink = crop < INK_LEVEL
    return ink.mean(axis=1) > RULE_SHARE, ink.mean(axis=0) > RULE_SHARE


def _blanked(crop: NpImage, rows: np.ndarray, cols: np.ndarray) -> NpImage:
    clean = crop.copy()
    clean[rows] = 255
    clean[:, cols] = 255
    return clean


def tidy(text: str) -> str:
    """OCR gives ASCII colons and brackets beside Chinese; the forms print full-width ones."""
    text = _CLOCK.sub(":", _COLON.sub("：", text))
    # A bar or bracket at either end is what is left of a table rule the line was cut next to.
    return text.replace("(", "（").replace(")", "）").strip().strip(RULE_TRACES).strip()
