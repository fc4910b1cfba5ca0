"""意见反馈单: a 居住地社区党组织 tells a member's 机关党组织 of outstanding conduct or a negative report."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts._zs_kit import BLANK_DATE, align_lines, pad, right_tab

SIZES = {"body_size": 14.0, "table_size": 12.0}
WIDTHS = [34, 44, 34, 44]


def build(b: FormBuilder) -> None:
    b.title(after=10)
    table = b.table(
        WIDTHS,
        [
            Row([Cell(b.label("recipient")), Cell(b.tag("recipient"), span=3)], height=11),
            Row([Cell(b.label("member_name")), Cell(b.tag("member_name"), span=3)], height=11),
            Row([Cell(b.label("employer")), Cell(b.tag("employer"), span=3)], height=11),
            Row([Cell(b.label("community")), Cell(b.tag("community"), span=3)], height=11),
            Row(
                [Cell(b.label("feedback_type")), Cell(b.ticks("feedback_type", sep="            "), span=3)],
                height=11,
            ),
            Row(
                [Cell(b.label("facts")), Cell(b.tag("facts"), span=3, align="justify", valign="top")],
                height=60,
            ),
            Row(
                [
                    Cell(b.label("community_opinion"), rowspan=2),
                    Cell(
                        b.tag("community_opinion"),
                        span=3,
                        align="justify",
                        valign="top",
                        borders={"bottom": "nil"},
                    ),
                ],
                height=32,
            ),
            Row(
                [
                    Cell(
                        span=3,
                        align="left",
                        valign="bottom",
                        borders={"top": "nil"},
                        lines=[
                            "负责同志签字：\t社区党组织（盖章）    ",
                            "{{ sealed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    )
                ],
                height=20,
            ),
            Row(
                [
                    Cell(b.label("handler")),
                    Cell(b.tag("handler")),
                    Cell(b.label("handler_phone")),
                    Cell(b.tag("handler_phone")),
                ],
                height=11,
            ),
        ],
    )
    align_lines(table, 7, 1, {1: "right"})
    right_tab(table, 7, 1, 0, b.width_mm * 122 / 156 - 3)
    pad(table, 6, 1, 3)
    pad(table, 7, 1, 4)
    for note in b.spec.notes:
        b.note(note, size=10.5, before=2)
