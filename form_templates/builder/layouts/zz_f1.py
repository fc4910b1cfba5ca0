"""表F.1 在职党员志愿服务情况汇总表: whose summary it is, then 15 numbered rows and a “.....” row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.xlsx_kit import build_table_xlsx, save_workbook
from baodao.form_templates.spec import FormSpec

SIZES = {"table_size": 10.5}
XLSX_WIDTHS = [14.0, 10.0, 12.0, 12.0, 48.0]
WIDTHS = [13, 20, 20, 20, 20, 63]


def build(b: FormBuilder) -> None:
    b.title()

    def line(name: str, span: int = 1) -> Cell:
        return Cell(b.label(name) + "：" + b.tag(name), span=span, align="left", size=12.0)

    b.table(
        [100, 56],
        [Row([line("unit_org"), line("period")], height=7), Row([line("community_org", span=2)], height=7)],
        borders=False,
    )
    b.spacer(2)
    b.cell_tag("members", "stars")
    record = b.loop_rows(
        "members",
        [
            Cell("{{ loop.index }}"),
            Cell(b.cell_tag("members", "name")),
            Cell(b.cell_tag("members", "reported")),
            Cell(b.cell_tag("members", "points")),
            Cell("{{ row.stars ~ '星' if row.stars else '' }}"),
            Cell(b.cell_tag("members", "comment"), align="left"),
        ],
    )
    record[1].height = 10
    head = [Cell("序号", head=True)] + [
        Cell(b.column_label("members", c), head=True)
        for c in ("name", "reported", "points", "stars", "comment")
    ]
    b.table(
        WIDTHS,
        [
            Row(head, height=10, repeat=True),
            *record,
            Row([Cell("....."), *(Cell("") for _ in range(5))], height=10),
        ],
    )


def build_xlsx(spec: FormSpec, path: Path) -> None:
    """The standard spreadsheet twin, with 评星情况 (a number of stars) shown as “3星” like the DOCX."""
    build_table_xlsx(spec, path, widths=XLSX_WIDTHS)
    assert spec.xlsx is not None
    table = spec.field(spec.xlsx.table)
    column = 1 + [c.name for c in table.columns].index("stars")
    wb = load_workbook(path)
    ws = wb.active
    for r in range(spec.xlsx.first_row, spec.xlsx.first_row + (table.rows or 0)):
        ws.cell(r, column).number_format = '0"星"'
    save_workbook(wb, path)
