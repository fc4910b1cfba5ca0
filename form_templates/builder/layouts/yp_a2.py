"""附件2 驻地单位党组织到社区服务情况表: unit particulars above a ruled 日期 / 服务内容 record."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row

SIZES = {"body_size": 14.0, "table_size": 12.0}


def build(b: FormBuilder) -> None:
    b.title(after=4)
    records = b.loop_rows(
        "service_records",
        [
            Cell(b.cell_tag("service_records", "date")),
            Cell(b.cell_tag("service_records", "content"), span=3, align="left"),
        ],
    )
    records[1].height = 11
    b.table(
        [43, 49, 26, 38],
        [
            Row(
                [
                    Cell(b.label("unit_organization_name")),
                    Cell(b.tag("unit_organization_name")),
                    Cell(b.label("serving_member_count")),
                    Cell(b.tag("serving_member_count")),
                ],
                height=13,
            ),
            Row(
                [
                    Cell(b.label("organization_leader")),
                    Cell(b.tag("organization_leader")),
                    Cell(b.label("phone")),
                    Cell(b.tag("phone")),
                ],
                height=11,
            ),
            Row(
                [Cell(b.label("parent_organization")), Cell(b.tag("parent_organization"), span=3)], height=11
            ),
            Row([Cell(b.label("service_records"), span=4)], height=11),
            Row(
                [
                    Cell(b.column_label("service_records", "date")),
                    Cell(b.column_label("service_records", "content"), span=3),
                ],
                height=10,
            ),
            *records,
            Row(
                [Cell(b.label("remarks")), Cell(b.tag("remarks"), span=3, align="left", valign="top")],
                height=18,
            ),
        ],
    )
    b.note(b.spec.notes[0], size=12, before=6)
    b.note(b.spec.notes[1], size=12, before=2)
