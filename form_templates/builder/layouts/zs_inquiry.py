"""共驻共建情况征询单: the 市直工委's year-end letter to a 街道社区党组织, then one table row per 市直单位."""

from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg
from baodao.form_templates.builder.layouts._zs_kit import BLANK_DATE, date_tag

SIZES = {"body_size": 12.0, "table_size": 10.5}
WIDTHS = [12, 26, 19, 16, 28, 19, 12, 24]
COUNTS = ("joint_meetings", "theme_days", "volunteer_activities")
ISSUER = "中共郑州市委市直机关工作委员会"


def build(b: FormBuilder) -> None:
    b.title(after=6)
    b.para([Seg(b.tag("community_organization", "                    "), underline=True), "："], indent=False)
    b.para(
        [
            "为全面了解掌握市直各单位开展共驻共建情况，根据《推进市直机关与驻在街道社区党组织共驻共建工作方案》"
            "要求，现就驻在你街道（社区）的市直单位党组织",
            Seg(b.tag("year", "      "), underline=True),
            "年度报到、参加街道党建联席会或社区联合党委会、组织联合主题党日活动、开展社区志愿服务活动等情况"
            "向你们征询。请如实填写下表，作出评价并提出意见建议，经负责同志签字、加盖公章后，于",
            Seg(date_tag(b, "reply_by"), underline=True),
            "前反馈市直工委。",
        ],
        line=22,
    )
    b.para("感谢你们对市直机关共驻共建工作的支持！", line=22)
    b.para(ISSUER + "    ", align="right", indent=False, before=4, line=22)
    b.para(date_tag(b, "issued_on") + "      ", align="right", indent=False, line=22, after=6)
    columns = [c.name for c in b.spec.field("units").columns]
    # The three counts share one “活动次数” heading, so every column label stays on a single line.
    top = []
    for c in columns:
        if c == COUNTS[0]:
            top.append(Cell("活动次数", span=len(COUNTS), head=True))
        elif c not in COUNTS:
            top.append(Cell(b.column_label("units", c), rowspan=2, head=True))
    sub = [Cell(b.column_label("units", c), head=True) for c in COUNTS]
    head = [Row(top, height=8, repeat=True), Row(sub, height=8, repeat=True)]
    body = [
        Cell(b.cell_tag("units", c), align="left" if c in ("unit_name", "suggestions") else "center")
        for c in columns
    ]
    rows = b.loop_rows("units", body)
    rows[1].height = 9
    b.table(WIDTHS, [*head, *rows])
    for note in b.spec.notes:
        b.note(note, size=10.5, before=1)
    sign = b.para(
        [
            b.label("filled_by") + "：",
            Seg(b.tag("filled_by", "          "), underline=True),
            "  " + b.label("phone") + "：",
            Seg(b.tag("phone", "              "), underline=True),
            "\t负责同志签字：",
            Seg("                ", underline=True),
        ],
        indent=False,
        size=12,
        before=10,
    )
    sign.paragraph_format.tab_stops.add_tab_stop(Mm(b.width_mm), WD_TAB_ALIGNMENT.RIGHT)
    b.para(
        b.label("community_organization") + "（盖章）    ", align="right", indent=False, size=12, before=10
    )
    b.para("{{ replied_on or '" + BLANK_DATE + "' }}      ", align="right", indent=False, size=12, before=4)
