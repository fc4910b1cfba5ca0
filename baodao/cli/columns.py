"""Plain-text tables that line up in a terminal although Chinese characters are two columns wide."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Each row padded to its column's widest cell, two spaces apart; the last column is not padded."""
    widths = [max([width(headers[i])] + [width(r[i]) for r in rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [c + " " * (widths[i] - width(c)) for i, c in enumerate(cells[:-1])]
        return "  ".join([*padded, cells[-1]]).rstrip()

    return [line(headers), *(line(r) for r in rows)]
