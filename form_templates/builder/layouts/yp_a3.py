"""附件3 驻地单位党组织与社区结对共建活动卡: the unit, its 表现 ticked once, the sealed 评语."""

from __future__ import annotations

from docx.shared import Mm

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row

SIZES = {"body_size": 14.0, "table_size": 12.0}


def build(b: FormBuilder) -> None:
    b.title(after=12)
    table = b.table(
        [59, 41, 22, 34],
        [
            Row(
                [
                    Cell(b.label("unit_organization_name")),
                    Cell(b.tag("unit_organization_name")),
                    Cell(b.label("unit_address")),
                    Cell(b.tag("unit_address")),
                ],
                height=20,
            ),
            Row(
                [
                    Cell(b.label("performance")),
                    Cell(b.ticks("performance", sep="\u3000\u3000\u3000"), span=3),
                ],
                height=24,
            ),
            # the seal sits in its own borderless row so a long 评语 never runs over it
            Row(
                [
                    Cell(b.label("community_comment"), rowspan=2),
                    Cell(
                        b.tag("community_comment"),
                        span=3,
                        align="left",
                        valign="top",
                        borders={"bottom": "nil"},
                    ),
                ],
                height=110,
            ),
            Row(
                [
                    Cell(
                        span=3,
                        align="right",
                        valign="bottom",
                        borders={"top": "nil"},
                        lines=["社区党组织（盖章）", "", b.tag("sealed_on", blank="    年    月    日"), ""],
                    )
                ],
                height=36,
            ),
        ],
    )
    for p in table.rows[2].cells[1].paragraphs:
        p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.line_spacing = 1.5
    for p in table.rows[3].cells[1].paragraphs:
        p.paragraph_format.right_indent = Mm(14)
    b.note(b.spec.notes[0], size=12, before=8)
