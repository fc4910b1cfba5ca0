"""表F.1 在职党员志愿服务情况汇总表: whose summary it is, then 15 numbered rows and a “.....” row."""

from __future__ import annotations

from form_templates.builder.dsl import Cell, FormBuilder, Row

SIZES = {"table_size": 10.5}
XLSX = {"widths": [14.0, 10.0, 12.0, 12.0, 48.0]}
WIDTHS = [13, 20, 20, 20, 20, 63]


def build(b: FormBuilder) -> None:
    b.title()
    def line(name: str, span: int = 1) -> Cell:
        return Cell(b.label(name) + "：" + b.tag(name), span=span, align="left", size=12.0)

    b.table([100, 56], [Row([line("unit_org"), line("period")], height=7),
                        Row([line("community_org", span=2)], height=7)], borders=False)
    b.spacer(2)
    b.cell_tag("members", "stars")
    record = b.loop_rows("members", [
        Cell("{{ loop.index }}"),
        Cell(b.cell_tag("members", "name")),
        Cell(b.cell_tag("members", "reported")),
        Cell(b.cell_tag("members", "points")),
        Cell("{{ row.stars ~ '星' if row.stars else '' }}"),
        Cell(b.cell_tag("members", "comment"), align="left"),
    ])
    record[1].height = 10
    head = [Cell("序号", head=True)] + [Cell(b.column_label("members", c), head=True)
                                         for c in ("name", "reported", "points", "stars", "comment")]
    b.table(WIDTHS, [Row(head, height=10, repeat=True), *record,
                     Row([Cell("....."), *(Cell("") for _ in range(5))], height=10)])
