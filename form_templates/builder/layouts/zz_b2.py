"""表B.2 在职党员社区报到回执单: a ruled slip addressed to the member's unit, with the fill-in sentence."""

from __future__ import annotations

from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg

SIZES = {"table_size": 14.0}
U = "\u3000"
BLANK = U * 5


def blank_date(b: FormBuilder, name: str) -> list[str | Seg]:
    """The date printed in the sentence, or the seed's 年 月 日 blanks when there is none.

    A date written in is not underlined: the underline's anchors (FormBuilder._fill) would come between
    “{% if %}” and the tag, where intake reads the sentence's if/else as one pattern.
    """
    b.spec.field(name)
    gap = Seg(U * 2, underline=True)
    return [
        Seg(f"{{% if {name} %}}"),
        Seg(b.tag(name)),
        Seg("{% else %}"),
        Seg(U * 3, underline=True),
        "年",
        gap,
        "月",
        gap,
        "日",
        Seg("{% endif %}"),
    ]


def build(b: FormBuilder) -> None:
    b.title()
    b.para(
        [b.label("organization") + "：", Seg(b.tag("organization", BLANK * 3), underline=True)], indent=False
    )
    b.para([b.label("number") + "：", Seg(b.tag("number", BLANK * 2), underline=True)], indent=False, after=4)
    b.spec.field("projects")
    sentence: list[str | Seg] = [
        U * 2 + "贵单位",
        Seg(b.tag("member_name", BLANK), underline=True),
        "同志已于",
        *blank_date(b, "reported_on"),
        "到我社区报到，并申报",
        Seg(f"{{{{ projects|join('、') or '{BLANK * 2}' }}}}", underline=True),
        "等志愿服务项目。特此回复。",
    ]
    open_below = {"bottom": "nil"}
    open_above = {"top": "nil"}
    table = b.table(
        [78, 78],
        [
            Row(
                [
                    Cell(
                        [Seg(b.tag("addressee_unit", BLANK * 3), underline=True), "："],
                        span=2,
                        align="left",
                        valign="center",
                        borders=open_below,
                    )
                ],
                height=16,
            ),
            Row(
                [Cell(sentence, span=2, align="justify", valign="top", borders={**open_above, **open_below})],
                height=36,
            ),
            Row(
                [
                    Cell(
                        span=2,
                        align="right",
                        valign="top",
                        borders=open_above,
                        lines=["（盖章）" + U * 3, b.tag("sealed_on", f"{U * 2}年{U * 2}月{U * 2}日") + U],
                    )
                ],
                height=34,
            ),
            Row(
                [
                    Cell(b.label("handler") + "：" + b.tag("handler"), align="left"),
                    Cell(b.label("phone") + "：" + b.tag("phone"), align="left"),
                ],
                height=12,
            ),
        ],
    )
    for p in table.cell(1, 0).paragraphs:
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(30)
    for text in b.spec.notes:
        b.note(text)
