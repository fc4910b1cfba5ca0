"""表G.1 在职党员志愿服务情况意见反馈表: 15 numbered rows of opinions and their handling, then “.....”."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row

SIZES = {"table_size": 10.5}
XLSX = {"widths": [22.0, 44.0, 18.0, 30.0]}
WIDTHS = [13, 38, 50, 24, 31]
COLUMNS = ("proposer", "content", "department", "result")


def build(b: FormBuilder) -> None:
    b.title(after=10)
    record = b.loop_rows(
        "opinions",
        [
            Cell("{{ loop.index }}"),
            *(
                Cell(b.cell_tag("opinions", c), align="center" if c == "department" else "left")
                for c in COLUMNS
            ),
        ],
    )
    record[1].height = 10
    head = [Cell("序号", head=True)] + [Cell(b.column_label("opinions", c), head=True) for c in COLUMNS]
    b.table(
        WIDTHS,
        [
            Row(head, height=12, repeat=True),
            *record,
            Row([Cell("....."), *(Cell("") for _ in COLUMNS)], height=10),
        ],
    )
