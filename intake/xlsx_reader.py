"""Reads an XLSX into a Grid: one table per sheet, merged ranges as spans, values as the form prints them."""

from __future__ import annotations

import warnings
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from baodao.errors import DataError
from baodao.intake.grid import Cell, Grid, Table, normalize_ticks
from baodao.intake.keywords import FORM_KEY_PROPERTY, form_key_in

MAX_MERGE_SPAN = 200  # rows or columns a filled merged range may add to the table beyond its text


def read_xlsx(path: Path) -> Grid:
    """The first sheet, then every other visible sheet that holds anything, each as one Table."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (data-validation extensions, slicers …);
            # none of them holds a value, and a clerk's terminal is no place for them.
            warnings.simplefilter("ignore", UserWarning)
            wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(f"无法读取 {path.name}：不是完整的 XLSX 文件（{exc}）") from exc
    try:
        grid = Grid(kind="xlsx", title=(wb.properties.title or "").strip())
        key = form_key_in(wb.properties.keywords or "")
        if key:
            grid.properties[FORM_KEY_PROPERTY] = key
        for i, ws in enumerate(wb.worksheets):
            # Hidden sheets hold lookup lists for drop-downs, not anything a person filled in.
            if i > 0 and ws.sheet_state != "visible":
                continue
            table = _sheet_table(ws)
            if i == 0 or table.cells:
                grid.blocks.append(table)
        return grid
    finally:
        wb.close()


def _sheet_table(ws: Worksheet) -> Table:
    """The sheet's used area, empty rows and columns at its edges trimmed; a merged range is one cell."""
    texts: dict[tuple[int, int], str] = {}
    # Only the cells the file holds: iter_rows() would create every cell of the rectangle, millions when
    # a sheet's formatting reaches its last row.
    for (r, c), cell in ws._cells.items():
        text = cell_text(cell.value)
        if text.strip():
            texts[(r, c)] = text
    if not texts:
        return Table([], 0, 0)
    top, bottom = min(r for r, _ in texts), max(r for r, _ in texts)
    left, right = min(c for _, c in texts), max(c for _, c in texts)
    for rng in ws.merged_cells.ranges:
        if (rng.min_row, rng.min_col) in texts:
            # A filled merged range is kept whole, up to a sane size: a title merged across whole
            # columns must not turn into a million empty rows.
            bottom = max(bottom, min(rng.max_row, rng.min_row + MAX_MERGE_SPAN - 1))
            right = max(right, min(rng.max_col, rng.min_col + MAX_MERGE_SPAN - 1))
    # Each position covered by a merged range belongs to the range's top-left (clipped to the used area).
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        r0, c0 = max(rng.min_row, top), max(rng.min_col, left)
        r1, c1 = min(rng.max_row, bottom), min(rng.max_col, right)
        if r0 > r1 or c0 > c1:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[(r, c)] = (rng.min_row, rng.min_col, r1 - r0 + 1, c1 - c0 + 1)
    cells: list[Cell] = []
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            merged = owner.get((r, c))
            if merged is None:
                cells.append(Cell(texts.get((r, c), ""), r - top, c - left))
            elif (r, c) == (max(merged[0], top), max(merged[1], left)):
                text = texts.get((merged[0], merged[1]), "")
                cells.append(Cell(text, r - top, c - left, rowspan=merged[2], colspan=merged[3]))
    return Table(cells, n_rows=bottom - top + 1, n_cols=right - left + 1)


def cell_text(value: object) -> str:
    """A cell value as text: dates as YYYY-MM-DD, whole numbers without “.0”, ticks normalized."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Date cells come back as datetimes at midnight; a real time of day is kept.
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat("minutes")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_ticks(str(value).replace("\r\n", "\n"))
