"""Builds the spreadsheet twin of a table form: title, fields above the table, header row, ruled rows."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from baodao.form_templates.package import write_reproducible
from baodao.form_templates.spec import FormSpec

_W3CDTF = re.compile(rb">\d{4}-\d\d-\d\dT[\d:]+Z<")

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def build_table_xlsx(
    spec: FormSpec, path: Path, widths: list[float] | None = None, blank_rows: int | None = None
) -> None:
    """Write ``path``: the table field named by ``spec.xlsx`` laid out as the spec says."""
    layout = spec.xlsx
    if layout is None:
        raise ValueError(f"{spec.key}: the spec has no xlsx layout")
    table = spec.field(layout.table)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.key
    ncols = len(table.columns)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1, spec.title).font = Font(name="方正小标宋简体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    for name, ref in layout.cells:
        label_cell = ws[ref].offset(column=-1)
        label_cell.value = spec.field(name).label + "："
        label_cell.font = Font(name="黑体", size=11)
        label_cell.alignment = Alignment(horizontal="right", vertical="center")
        ws[ref].font = Font(name="仿宋_GB2312", size=11)
    for c, col in enumerate(table.columns, start=1):
        cell = ws.cell(layout.header_row, c, col.printed_label or col.label)
        cell.font = Font(name="黑体", size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = GRID
        width = widths[c - 1] if widths else max(8.0, 2.2 * len(col.label) + 2)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[layout.header_row].height = 30
    for r in range(layout.first_row, layout.first_row + (blank_rows or table.rows or 15)):
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.border = GRID
            cell.font = Font(name="仿宋_GB2312", size=11)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 22
    finish_sheet(wb, ws, spec, layout.header_row)
    save_workbook(wb, path)


def finish_sheet(wb: Workbook, ws: Worksheet, spec: FormSpec, title_from: int) -> None:
    """A4 in the form's orientation, one page wide, header rows repeated, panes frozen, key recorded."""
    assert spec.xlsx is not None
    ws.print_title_rows = f"{title_from}:{spec.xlsx.header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = spec.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = ws.cell(spec.xlsx.first_row, 1)
    wb.properties.title = spec.title
    wb.properties.keywords = spec.key


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save reproducibly: openpyxl stamps the save time into docProps/core.xml, so fix it."""
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        core = zf.read("docProps/core.xml")
    core = _W3CDTF.sub(rb">2019-01-01T00:00:00Z<", core)
    write_reproducible(buffer.getvalue(), path, {"docProps/core.xml": core})
