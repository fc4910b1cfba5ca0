"""Finding a field's value in a grid by its label: the cell beside or below it, or “label：value” text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from baodao.form_templates.spec import FieldSpec
from baodao.form_templates.text import bare_label, squash
from baodao.intake.grid import TICKED, UNTICKED, Cell, Grid, Table

_COLON = "：:"


def norm(text: str) -> str:
    """Text as labels are compared: no spaces, no bracketed instructions, no box glyphs, no trailing colon."""
    return bare_label(text).strip(TICKED + UNTICKED).rstrip(_COLON)


@dataclass(frozen=True)
class Found:
    """A value's text and where it was found (for messages)."""

    text: str
    where: str


class LabelIndex:
    """Every cell of a grid by its normalized text, and the set of all labels a form prints."""

    def __init__(self, grid: Grid, labels: set[str]) -> None:
        self.grid = grid
        self.labels = {norm(label) for label in labels if norm(label)}
        self.cells: list[tuple[Table, Cell, str]] = [
            (table, cell, norm(cell.text)) for table in grid.tables for cell in table.cells
        ]

    def beside(self, f: FieldSpec, nth: int = 0) -> Found | None:
        """The value cell of ``f``: right of its label cell, else below it.

        ``nth`` picks among cells printing the same label (two 联系电话 on one slip), in reading order.
        """
        wanted = {norm(t) for t in f.labels}
        seen = -1
        for table, cell, text in self.cells:
            if text not in wanted:
                continue
            seen += 1
            if seen < nth:
                continue
            for candidate in (
                table.at(cell.row, cell.col + cell.colspan),
                table.at(cell.row + cell.rowspan, cell.col),
            ):
                if (
                    candidate is not None
                    and candidate is not cell
                    and norm(candidate.text) not in self.labels
                ):
                    return Found(candidate.text.strip(), f"第{cell.row + 1}行“{f.label}”旁")
        return None

    def inline(self, f: FieldSpec) -> Found | None:
        """“label：value” in a paragraph or cell line; the value ends where another printed label begins."""
        for line in self._lines():
            for label in f.labels:
                at = _label_at(line, label)
                if at is not None:
                    value = self.cut_at_labels(line[at:])
                    return Found(value.strip().rstrip("，,；;"), f"“{f.label}：”后")
        return None

    def cut_at_labels(self, value: str) -> str:
        """``value`` up to where a printed “label：” begins (PDF lines join texts set side by side)."""
        cuts = (_label_at(value, other, anywhere=True, start=False) for other in self.labels)
        cut = min((i for i in cuts if i is not None), default=None)
        return value if cut is None else value[:cut]

    def _lines(self) -> list[str]:
        lines = [p.text for p in self.grid.paragraphs]
        lines += [line for _, cell, _ in self.cells for line in cell.text.split("\n")]
        return [line for line in lines if any(c in line for c in _COLON)]


def _label_at(line: str, label: str, anywhere: bool = False, start: bool = True) -> int | None:
    """Where the value after “label：” begins in ``line`` (or where the label begins, for cutting)."""
    pattern = r"\s*".join(map(re.escape, norm(label)))
    # A label starts its line or follows a space or punctuation: never the tail of a longer word.
    prefix = "" if anywhere else r"(?:^|(?<=[\s\u3000，,；;。]))"
    m = re.search(prefix + f"({pattern})" + r"[\s\u3000]*(?:[（(][^）)]*[）)])?[\s\u3000]*[:：]", line)
    if m is None:
        return None
    return m.end() if start else m.start(1)


def ticked_options(text: str, options: tuple[str, ...]) -> list[str] | None:
    """The options ticked in ``text`` (boxes before or after their words), or None if it has no boxes."""
    flat = squash(text)
    if TICKED not in flat and UNTICKED not in flat:
        return None
    spots: list[tuple[str, int, int]] = []
    for option in sorted(options, key=len, reverse=True):
        start = 0
        while (at := flat.find(option, start)) >= 0:
            if not any(s <= at < e for _, s, e in spots):
                spots.append((option, at, at + len(option)))
                break
            start = at + 1
    after = sum(1 for _, _, e in spots if e < len(flat) and flat[e] in (TICKED, UNTICKED))
    before = sum(1 for _, s, _ in spots if s > 0 and flat[s - 1] in (TICKED, UNTICKED))
    chosen = []
    for option, s, e in sorted(spots, key=lambda x: x[1]):
        mark = flat[e] if after >= before and e < len(flat) else (flat[s - 1] if s > 0 else "")
        if mark == TICKED:
            chosen.append(option)
    return chosen
