"""附件1 驻地单位党组织与社区联系报到单: pledge, ruled slip, and the 回执 torn off below, on one page."""

from __future__ import annotations

from docx.shared import Mm

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg

SIZES = {"body_size": 14.0, "table_size": 12.0}
BLANK_DATE = "    年    月    日"


def build(b: FormBuilder) -> None:
    b.title(after=4)
    b.para(
        [
            Seg(b.tag("addressee_organization", blank="\u3000" * 8), underline=True),
            b.label("addressee_organization") + "：",
        ],
        indent=False,
        after=2,
    )
    b.para(
        "我单位党组织和全体党员愿意在社区党组织的统筹协调下，积极参与社区公益项目和志愿服务，为构建条块结合、"
        "资源共享、优势互补、共驻共建的区域化党建新格局贡献我们的力量。",
        line=24,
        after=6,
    )

    def pair(left: str, right: str) -> Row:
        return Row(
            [Cell(b.label(left)), Cell(b.tag(left)), Cell(b.label(right)), Cell(b.tag(right))], height=10
        )

    offered = b.label("resources_offered")  # broken where a 9-character label line ends
    table = b.table(
        [43, 49, 26, 38],
        [
            Row(
                [
                    Cell(b.label("unit_organization_name")),
                    Cell(b.tag("unit_organization_name")),
                    Cell(b.label("serving_member_count")),
                    Cell(b.tag("serving_member_count")),
                ],
                height=12,
            ),
            pair("unit_address", "postcode"),
            pair("organization_leader", "leader_phone"),
            Row([Cell(b.label("parent_committee")), Cell(b.tag("parent_committee"), span=3)], height=10),
            pair("contact_person", "contact_phone"),
            Row(
                [
                    Cell(lines=[offered[:9], offered[9:]]),
                    Cell(b.tag("resources_offered"), span=3, align="left", valign="top"),
                ],
                height=22,
            ),
            Row(
                [
                    Cell(b.label("suggestions")),
                    Cell(b.tag("suggestions"), span=3, align="left", valign="top"),
                ],
                height=19,
            ),
            Row(
                [
                    Cell(
                        span=4,
                        align="right",
                        valign="center",
                        lines=["驻地单位党组织：（盖章）", "", b.tag("sealed_on", blank=BLANK_DATE)],
                    )
                ],
                height=19,
            ),
        ],
    )
    for p in table.rows[-1].cells[0].paragraphs:
        p.paragraph_format.right_indent = Mm(12)
    b.para(
        "以下《回执》由社区党组织填写盖章后，由驻地单位党组织在7月8日前交本单位上级党组织汇总留存。",
        before=8,
        after=4,
        line=22,
    )
    b.cut_line()
    b.para(
        [
            "本党组织已于",
            b.tag("receipt_received_on", blank=BLANK_DATE),
            "收到",
            Seg(b.tag("receipt_unit_name", blank="\u3000" * 8), underline=True),
            "单位党组织的报到单，本党组织将积极联系，共同推进社区发展。",
        ],
        before=6,
        line=24,
    )
    seal = b.para("社区党组织盖章", align="right", indent=False, before=12)
    seal.paragraph_format.right_indent = Mm(12)
