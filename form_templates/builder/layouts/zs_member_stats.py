"""在职党员到居住地社区统计表: one row per member of a unit, with its spreadsheet twin."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg
from baodao.form_templates.builder.layouts._zs_kit import date_tag

SIZES = {"body_size": 12.0, "table_size": 10.5}
WIDTHS = [12, 16, 42, 19, 28, 19, 20]
XLSX = {"widths": [6.0, 11.0, 30.0, 11.0, 26.0, 11.0, 22.0]}
LEFT = ("community", "posts", "remarks")


def build(b: FormBuilder) -> None:
    b.title(after=6)
    b.para(
        [b.label("unit") + "：", Seg(b.tag("unit", "                              "), underline=True)],
        indent=False,
        after=4,
    )
    columns = [c.name for c in b.spec.field("members").columns]
    head = Row([Cell(b.column_label("members", c), head=True) for c in columns], height=11, repeat=True)
    rows = b.loop_rows(
        "members", [Cell(b.cell_tag("members", c), align="left" if c in LEFT else "center") for c in columns]
    )
    rows[1].height = 10
    b.table(WIDTHS, [head, *rows])
    for note in b.spec.notes:
        b.note(note, size=10.5, before=1)
    b.para(
        [
            b.label("filled_by") + "：",
            Seg(b.tag("filled_by", "          "), underline=True),
            "    " + b.label("phone") + "：",
            Seg(b.tag("phone", "              "), underline=True),
            "    " + b.label("filled_on") + "：",
            Seg(date_tag(b, "filled_on"), underline=True),
        ],
        indent=False,
        before=10,
    )
