"""附件4 党员与村居党组织联系报到单: the framed pledge slip, and the 回执 torn off below, on one page."""

from __future__ import annotations

from docx.shared import Mm

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Align, Cell, FormBuilder, Row, Seg

SIZES = {"body_size": 14.0, "table_size": 14.0}
BLANK_DATE = "    年    月    日"
BLANK = "\u3000" * 8  # ideographic spaces: LibreOffice drops the underline of trailing ASCII blanks in cells
INNER = {"top": "nil", "bottom": "nil"}


def build(b: FormBuilder) -> None:
    b.title(after=10)

    def line(content: list[str | Seg], align: Align = "left", height: float = 11, **edges: str) -> Row:
        return Row([Cell(content, align=align, borders={**INNER, **edges})], height=height)

    def entry(name: str) -> Row:
        return line([b.label(name) + "：", Seg(b.tag(name, blank=BLANK), underline=True)])

    table = b.table(
        [156],
        [
            Row(
                [
                    Cell(
                        [
                            Seg(b.tag("addressee_organization", blank=BLANK), underline=True),
                            b.label("addressee_organization") + "：",
                        ],
                        align="left",
                        borders={"bottom": "nil"},
                    )
                ],
                height=16,
            ),
            line(
                [
                    "\u3000\u3000我是共产党员，按照要求主动向居住地党组织报到，我愿意按居住地党组织的要求，在家园创先争优，"
                    "发挥共产党员的先锋模范作用，为建设和谐文明社区，贡献应有的力量。"
                ],
                align="justify",
                height=40,
            ),
            line(
                [b.label("member_name") + "：", Seg(b.tag("member_name", blank=BLANK), underline=True)],
                height=12,
            ),
            line([b.tag("reported_on", blank=BLANK_DATE)], height=16),
            entry("member_organization"),
            entry("home_address"),
            line(
                [b.label("phone") + "：", Seg(b.tag("phone", blank=BLANK), underline=True)],
                height=16,
                bottom="single",
            ),
        ],
    )
    for i, row in enumerate(table.rows):
        for p in row.cells[0].paragraphs:
            # signature lines sit right by indent: right alignment would hang the trailing blank
            p.paragraph_format.left_indent = Mm(88 if i in (2, 3) else 4)
            p.paragraph_format.line_spacing = 1.5
    b.para(
        "以下《回执》由村居党组织填写盖章后，由党员本人在7月8日前交所在单位党组织汇总留存。",
        before=16,
        after=6,
        line=24,
    )
    b.cut_line()
    b.para(
        [
            "本党组织已于",
            b.tag("receipt_received_on", blank=BLANK_DATE),
            "收到",
            Seg(b.tag("receipt_member_name", blank="\u3000" * 5), underline=True),
            "同志的报到单，本党组织将安排该同志参与社区有关工作。",
        ],
        before=10,
        line=26,
    )
    seal = b.para(
        [
            Seg(b.tag("receipt_village_organization", blank="\u3000" * 7), underline=True),
            b.label("receipt_village_organization") + "盖章",
        ],
        align="right",
        indent=False,
        before=18,
    )
    seal.paragraph_format.right_indent = Mm(10)
