"""Lists a clerk works through in Excel (抽查名单, 逾期未交回, 未报到): one titled sheet per list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from baodao.files import atomic_path
from baodao.office.xlsx import put_text

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Sheet:
    """A sheet: its tab name, the title printed above, column headers, rows of plain text or numbers."""

    name: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str | int | float | None]]
    widths: Sequence[int] = ()


def write_sheets(sheets: Sequence[Sheet], out: Path) -> Path:
    """Write ``out`` atomically: every sheet bordered, headers bold and repeated on each printed page."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        ws.append([sheet.title])
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.append(list(sheet.headers))
        for cell in ws[2]:
            cell.font, cell.border = Font(bold=True), _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in sheet.rows:
            ws.append([None] * len(sheet.headers))
            r = ws.max_row
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                if isinstance(value, str):
                    put_text(cell, value)
                else:
                    cell.value = value
                cell.border = _BOX
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        for i, header in enumerate(sheet.headers, start=1):
            width = sheet.widths[i - 1] if i <= len(sheet.widths) else max(10, len(header) * 2 + 4)
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A3"
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out
