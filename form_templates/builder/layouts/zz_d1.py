"""表D.1 （半年度）在职党员志愿服务积分评星登记表: member and unit blocks, then records in two columns."""

from __future__ import annotations

from baodao.form_templates.builder import docx_kit as kit
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg

SIZES = {"table_size": 10.5}
TOP_WIDTHS = [12, 36, 43, 12, 12, 18, 23]
WIDTHS = [12, 18, 30, 12, 12, 18, 30, 12]
RECORD = ("served_on", "content", "points")
H = 10


def record_cells(b: FormBuilder) -> list[Cell]:
    """One printed line: record i on the left, record i + half on the right (half = rows per side).

    The loop runs over half the padded list, so 20 printed rows give 10 a side and a longer list
    grows both sides instead of dropping records.
    """
    for col in RECORD:
        b.spec.field("services").column(col)
    right = "i + loop.length"
    guard = f"if {right} < services|length else ''"
    left_cells = [Cell("{{ i + 1 }}")] + [
        Cell(f"{{{{ services[i].{c} }}}}", align="left" if c == "content" else "center") for c in RECORD
    ]
    right_cells = [Cell(f"{{{{ {right} + 1 {guard} }}}}")] + [
        Cell(f"{{{{ services[{right}].{c} {guard} }}}}", align="left" if c == "content" else "center")
        for c in RECORD
    ]
    return left_cells + right_cells


def build(b: FormBuilder) -> None:
    b.title(after=2)
    b.para(
        [b.label("half_year") + "：", Seg(b.tag("half_year", "\u3000" * 8), underline=True)],
        align="center",
        indent=False,
        size=12.0,
        after=4,
    )

    def lab(name: str, span: int = 1) -> Cell:
        return Cell(b.label(name), span=span)

    def val(name: str, span: int = 1) -> Cell:
        return Cell(b.tag(name), span=span)

    stars = "{{ half_year_stars ~ '星' if half_year_stars else '' }}"
    b.spec.field("half_year_stars")
    titles = ("序号", *(b.column_label("services", c) for c in RECORD))
    head = [Cell(t, head=True, borders={"top": "nil"}) for t in titles]
    top = b.table(
        TOP_WIDTHS,
        [
            Row(
                [
                    Cell("志愿者个人信息", rowspan=3, vertical=True),
                    lab("name"),
                    val("name"),
                    lab("gender"),
                    val("gender"),
                    lab("age"),
                    val("age"),
                ],
                height=H,
            ),
            Row(
                [lab("employer_and_post"), val("employer_and_post", 3), lab("mobile"), val("mobile")],
                height=H,
            ),
            Row([lab("skills"), val("skills", 3), lab("post"), val("post")], height=H),
            Row(
                [
                    Cell("所在单位信息", rowspan=4, vertical=True),
                    lab("branch"),
                    val("branch", 3),
                    lab("secretary"),
                    val("secretary"),
                ],
                height=H,
            ),
            Row(
                [
                    Cell("书记联系方式", rowspan=2),
                    lab("secretary_office_phone"),
                    val("secretary_office_phone", 4),
                ],
                height=H,
            ),
            Row([lab("secretary_mobile"), val("secretary_mobile", 4)], height=H),
            Row([lab("email"), val("email", 5)], height=H),
        ],
    )
    kit.set_cell_padding(top)
    records = b.table(
        WIDTHS,
        [
            Row(head + [Cell(c.content, head=True, borders={"top": "nil"}) for c in head], height=H),
            Row([Cell("{%tr for i in range((services|length + 1) // 2) %}", span=8)]),
            Row(record_cells(b), height=H),
            Row([Cell("{%tr endfor %}", span=8)]),
            Row(
                [
                    lab("half_year_points", span=2),
                    val("half_year_points", 2),
                    lab("half_year_stars", span=2),
                    Cell(stars, span=2),
                ],
                height=12,
            ),
        ],
    )
    kit.set_cell_padding(records)
