"""The problem-row report a clerk opens in Excel: which rows were not generated, where, and why."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from baodao.files import atomic_path
from baodao.office.sources import RowProblem
from baodao.office.xlsx import put_text
from baodao.text import shown

HEADERS = ("行号", "姓名（名称）", "列", "填写的内容", "原因")
WIDTHS = (8, 14, 28, 36, 60)


def write_problem_report(problems: Sequence[RowProblem], out: Path, source: Path) -> Path:
    """One line per problem, sorted by row, with the data file named at the top."""
    wb = Workbook()
    ws = wb.active
    ws.title = "未生成的行"
    put_text(ws.cell(1, 1), f"数据文件：{shown(source)}")
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for p in sorted(problems, key=lambda p: p.row):
        ws.append([p.row])
        r = ws.max_row
        for c, text in enumerate((p.who, p.column, p.value, p.reason), start=2):
            put_text(ws.cell(r, c), text)
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDE", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out
