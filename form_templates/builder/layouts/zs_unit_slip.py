"""市直机关党组织到街道社区报到单: unit, contacts and the 三个清单, with the 回执联 below a cut line."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts._zs_kit import (
    BLANK_DATE,
    align_lines,
    date_tag,
    items,
    number_line,
    pad,
    receipt_break,
    right_tab,
    stacked_label,
)

SIZES = {"body_size": 12.0, "table_size": 10.5}
WIDTHS = [34, 44, 34, 44]
RECEIPT_WIDTHS = [34, 36, 17, 21, 19, 29]


def build(b: FormBuilder) -> None:
    b.title(after=2)
    number_line(b)
    slip = b.table(
        WIDTHS,
        [
            Row([Cell(b.label("party_org_name")), Cell(b.tag("party_org_name"), span=3)], height=8),
            Row(
                [
                    Cell(b.label("street")),
                    Cell(b.tag("street")),
                    Cell(b.label("community")),
                    Cell(b.tag("community")),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(b.label("leader")),
                    Cell(b.tag("leader")),
                    Cell(b.label("leader_phone")),
                    Cell(b.tag("leader_phone")),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(b.label("contact")),
                    Cell(b.tag("contact")),
                    Cell(b.label("contact_phone")),
                    Cell(b.tag("contact_phone")),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(b.label("member_count")),
                    Cell(b.tag("member_count")),
                    Cell(b.label("reported_on")),
                    Cell(date_tag(b, "reported_on")),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(lines=stacked_label(b, "resources")),
                    Cell(span=3, align="left", valign="top", lines=items("resources")),
                ],
                height=24,
            ),
            Row(
                [
                    Cell(lines=stacked_label(b, "needs")),
                    Cell(span=3, align="left", valign="top", lines=items("needs")),
                ],
                height=20,
            ),
            Row(
                [
                    Cell(b.label("projects")),
                    Cell(span=3, align="left", valign="top", lines=items("projects")),
                ],
                height=14,
            ),
            Row(
                [
                    Cell(
                        span=4,
                        align="left",
                        lines=[
                            "负责同志签字：\t单位党组织（盖章）        ",
                            "{{ unit_sealed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    )
                ],
                height=16,
            ),
        ],
    )
    align_lines(slip, 8, 0, {1: "right"})
    right_tab(slip, 8, 0, 0, b.width_mm - 3)
    pad(slip, 8, 0, 8)
    receipt_break(b)
    receipt = b.table(
        RECEIPT_WIDTHS,
        [
            Row([Cell(b.label("receipt_unit_name")), Cell(b.tag("receipt_unit_name"), span=5)], height=8),
            Row(
                [Cell(b.label("receipt_organization")), Cell(b.tag("receipt_organization"), span=5)], height=8
            ),
            Row(
                [
                    Cell(b.label("receipt_received_on")),
                    Cell(date_tag(b, "receipt_received_on")),
                    Cell(b.label("receipt_handler")),
                    Cell(b.tag("receipt_handler")),
                    Cell(b.label("receipt_phone")),
                    Cell(b.tag("receipt_phone")),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(
                        span=6,
                        align="left",
                        lines=[
                            "    该单位党组织已到我街道（社区）党组织报到，特此回执。",
                            "",
                            "负责同志签字：\t街道社区党组织（盖章）        ",
                            "{{ receipt_sealed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    )
                ],
                height=18,
            ),
        ],
    )
    align_lines(receipt, 3, 0, {3: "right"})
    right_tab(receipt, 3, 0, 2, b.width_mm - 3)
    pad(receipt, 3, 0)
    b.note(b.spec.notes[2], before=1)
