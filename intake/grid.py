"""The one shape every returned file is read into: paragraphs and tables of cells with their spans.

Readers (DOCX, XLSX, PDF) produce a Grid; one extractor reads any form's fields from it with the spec.
Tick marks are normalized on the way in: whatever a person or a program used (☑ ☒ √ ✓ ■, a Wingdings
symbol, a Word checkbox control, a legacy form field), a ticked box reads as TICKED and an empty one as
UNTICKED.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TICKED, UNTICKED = "■", "□"
# Characters people and programs use for a ticked or an empty box, as plain text.
TICKED_CHARS = frozenset("■☑☒√✓✔✅▣⊠⊗▪●")
UNTICKED_CHARS = frozenset("□☐◻▢○")


@dataclass(frozen=True)
class Cell:
    """One real cell (a merged cell appears once), at its top-left grid position, with its spans.

    ``text`` holds the cell's paragraphs joined by "\\n", ticks normalized to TICKED/UNTICKED.
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """A table as a grid: ``cells`` in reading order; ``at`` finds the cell covering a position."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    _index: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    self._index[(r, c)] = cell

    def at(self, row: int, col: int) -> Cell | None:
        return self._index.get((row, col))

    def row_cells(self, row: int) -> list[Cell]:
        """The distinct cells covering ``row``, left to right."""
        seen: list[Cell] = []
        for c in range(self.n_cols):
            cell = self.at(row, c)
            if cell is not None and (not seen or seen[-1] is not cell):
                seen.append(cell)
        return seen


@dataclass(frozen=True)
class Paragraph:
    """A paragraph outside tables (ticks normalized)."""

    text: str


Block = Paragraph | Table


@dataclass
class Grid:
    """A returned file as read: its blocks in document order, and what identifies the form instance.

    ``properties`` are the DOCX custom properties (baodao.form_key, baodao.form_id) or XLSX keywords;
    ``qr_payloads`` are decoded QR codes found in the file (for baodao's, “BD1|key|id”).
    """

    kind: Literal["docx", "xlsx", "pdf"]
    blocks: list[Block] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    qr_payloads: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def all_text(self) -> str:
        """Every paragraph and cell, in order, one per line: for titles, labels and sentences."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines += [cell.text for cell in block.cells]
        return "\n".join(lines)


def normalize_ticks(text: str) -> str:
    """Every ticked-box character as TICKED and every empty box as UNTICKED."""
    return "".join(TICKED if ch in TICKED_CHARS else UNTICKED if ch in UNTICKED_CHARS else ch for ch in text)
