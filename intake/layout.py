"""Where things stand on a form's blank page: ruled cells with their printed text, lines, and tick boxes.

A scanned return is read against this. It is taken from each template rendered blank by LibreOffice (the
same renderer that prints the forms) and kept beside the template as ``layout.json``; ``make templates``
rebuilds it, and a test checks that each one names the hash of the template it was made from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber

from baodao.errors import TemplateError
from baodao.form_templates.catalog import Form, get_form
from baodao.intake.grid import UNTICKED, normalize_ticks
from baodao.intake.pdf_reader import inside_any, ruled_table

LAYOUT_FILE = "layout.json"
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points, from the page's top left


@dataclass(frozen=True)
class CellLayout:
    """A ruled cell: its rectangle, its grid place, and what the blank form prints in it."""

    box: BBox
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True)
class TableLayout:
    box: BBox
    n_rows: int
    n_cols: int
    cells: tuple[CellLayout, ...]
    rules: tuple[float, ...]  # the y of every horizontal rule, top to bottom


@dataclass(frozen=True)
class LineLayout:
    """A line of text outside the tables, as the blank form prints it."""

    box: BBox
    text: str


@dataclass(frozen=True)
class PageLayout:
    width: float
    height: float
    tables: tuple[TableLayout, ...]
    lines: tuple[LineLayout, ...]
    ticks: tuple[BBox, ...]  # every empty box (□) printed, in reading order

    @property
    def right_margin(self) -> float:
        """Where text may run to on the right: the widest table's edge, else the GB/T 9704 margin."""
        edges = [t.box[2] for t in self.tables]
        return max(edges) if edges else self.width - 26 * 72 / 25.4

    def order(self) -> list[LineLayout | TableLayout]:
        """Lines and tables top to bottom, as intake's PDF reader orders them."""
        placed: list[tuple[float, LineLayout | TableLayout]] = [(t.box[1], t) for t in self.tables]
        placed += [(line.box[1], line) for line in self.lines]
        return [block for _, block in sorted(placed, key=lambda item: item[0])]


@dataclass(frozen=True)
class FormLayout:
    form: str
    template_sha256: str
    pages: tuple[PageLayout, ...]


def template_hash(form: Form) -> str:
    return hashlib.sha256(form.docx.read_bytes()).hexdigest()


@cache
def layout_of(key: str) -> FormLayout:
    """The committed layout of form ``key``; TemplateError when it is missing or out of date."""
    form = get_form(key)
    path = form.folder / LAYOUT_FILE
    if not path.exists():
        raise TemplateError(f"表单 {key} 没有版面文件 {path.name}，无法读取扫描件：请运行 make templates")
    layout = layout_from_json(json.loads(path.read_text(encoding="utf-8")))
    if layout.template_sha256 != template_hash(form):
        raise TemplateError(f"表单 {key} 的版面文件与模板不一致（模板已改动）：请运行 make templates")
    return layout


@dataclass(frozen=True)
class Layouts:
    """Which layout a return is laid over: the layout of the template version its form was made from,
    found by form key and id (the id its QR code carries), else the bundled template's.

    The store fills ``by_form`` from the register (intake does not know the database)."""

    by_form: Mapping[tuple[str, str], FormLayout] = field(default_factory=dict)

    def of(self, key: str, form_id: str | None) -> FormLayout:
        if form_id is not None:
            found = self.by_form.get((key, form_id))
            if found is not None:
                return found
        return layout_of(key)


def read_layout(pdf_path: Path, form: Form) -> FormLayout:
    """The layout of ``form`` from its blank page(s) rendered to PDF."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = tuple(_page(page) for page in pdf.pages)
    return FormLayout(form.key, template_hash(form), pages)


def _page(page: Any) -> PageLayout:
    found = page.find_tables()
    boxes: list[BBox] = [_box(t.bbox) for t in found]
    tables = tuple(_table(page, t, box) for t, box in zip(found, boxes, strict=True))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not inside_any(obj, boxes))
    lines = tuple(
        LineLayout(
            _box((ln["x0"], ln["top"], ln["x1"], ln["bottom"])), normalize_ticks(str(ln["text"])).strip()
        )
        for ln in outside.extract_text_lines(strip=True, return_chars=False)
        if str(ln["text"]).strip()
    )
    ticks = [c for c in page.chars if normalize_ticks(str(c["text"])) == UNTICKED]
    # Reading order: by line (a box's top within half its height), then left to right.
    ticks.sort(key=lambda c: (round(float(c["top"]) / 4), float(c["x0"])))
    return PageLayout(
        float(page.width),
        float(page.height),
        tables,
        lines,
        tuple(_box((c["x0"], c["top"], c["x1"], c["bottom"])) for c in ticks),
    )


def _table(page: Any, found: Any, bbox: BBox) -> TableLayout:
    """A ruled table with each cell's rectangle, its cells placed as intake's PDF reader places them."""
    ruled = ruled_table(page, found, bbox)
    cells = tuple(
        CellLayout(_box(box), cell.row, cell.col, cell.rowspan, cell.colspan, cell.text)
        for cell, box in ruled.cells
    )
    return TableLayout(bbox, ruled.n_rows, ruled.n_cols, cells, tuple(round(y, 2) for y in ruled.rules))


def _box(values: Any) -> BBox:
    x0, top, x1, bottom = (round(float(v), 2) for v in values)
    return (x0, top, x1, bottom)


def layout_from_json(data: dict[str, Any]) -> FormLayout:
    """A layout as layout.json (or a template version's stored layout) holds it."""
    pages = tuple(
        PageLayout(
            p["width"],
            p["height"],
            tuple(
                TableLayout(
                    _box(t["box"]),
                    t["n_rows"],
                    t["n_cols"],
                    tuple(
                        CellLayout(_box(c["box"]), c["row"], c["col"], c["rowspan"], c["colspan"], c["text"])
                        for c in t["cells"]
                    ),
                    tuple(t["rules"]),
                )
                for t in p["tables"]
            ),
            tuple(LineLayout(_box(ln["box"]), ln["text"]) for ln in p["lines"]),
            tuple(_box(b) for b in p["ticks"]),
        )
        for p in data["pages"]
    )
    return FormLayout(data["form"], data["template_sha256"], pages)
