"""Fills the spreadsheet twin of a table form; user text never becomes a live formula."""

from __future__ import annotations

from copy import copy
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from baodao.files import atomic_path
from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar
from baodao.text import without_controls

FORMULA_STARTS = ("=", "+", "-", "@")


def fill_xlsx(template: Path, spec: FormSpec, record: Record, out: Path) -> Path:
    """Write ``record`` into a copy of ``template`` at the places ``spec.xlsx`` names."""
    layout = spec.xlsx
    if layout is None:
        raise ValueError(f"{spec.key} has no spreadsheet layout")
    wb = load_workbook(template)
    ws = wb.active
    for name, ref in layout.cells:
        f = spec.field(name)
        value = record.get(name)
        # One item per line: an item may itself contain 、 (“如烘焙、茶道等活动”).
        put(ws[ref], f, "\n".join(map(str, value)) if isinstance(value, list) else value)
    table = spec.field(layout.table)
    value = record.get(layout.table)
    rows = [r for r in (value if isinstance(value, list) else []) if isinstance(r, dict)]
    blank = table.rows or 0
    for i, row in enumerate(rows):
        r = layout.first_row + i
        if i >= blank:
            _copy_row_style(ws, layout.first_row, r, len(table.columns))
        for c, col in enumerate(table.columns, start=1):
            put(ws.cell(r, c), col, row.get(col.name))
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out


def put(cell: Cell, f: FieldSpec, value: Scalar | None) -> None:
    """One value into one cell: dates as dates, integers as numbers, text always as text."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = 'yyyy"年"m"月"d"日"'
    elif isinstance(value, int) and f.type == "integer":
        cell.value = value
    else:
        put_text(cell, str(value))


def put_text(cell: Cell, text: str) -> None:
    """Text that stays text: a value typed by the public that starts with = + - @ never becomes a formula;
    control characters, which XLSX cannot hold, are left out."""
    text = without_controls(text)
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _copy_row_style(ws: Worksheet, source_row: int, target_row: int, ncols: int) -> None:
    for c in range(1, ncols + 1):
        src, dst = ws.cell(source_row, c), ws.cell(target_row, c)
        dst._style = copy(src._style)
    ws.row_dimensions[target_row].height = ws.row_dimensions[source_row].height
