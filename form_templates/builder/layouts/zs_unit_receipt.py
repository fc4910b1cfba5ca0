"""郑州市卫生健康委员会直属单位到驻在街道社区党组织报到回执单: filled and sealed by the community."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts._zs_kit import BLANK_DATE, align_lines, date_tag, pad, right_tab

SIZES = {"body_size": 14.0, "table_size": 12.0}
WIDTHS = [42, 42, 30, 42]


def build(b: FormBuilder) -> None:
    # The title is too long for one 小二 line; break it where the phrase breaks, not where the margin does.
    title = b.spec.title
    cut = title.index("到驻在")
    b.title(title[:cut] + "\n" + title[cut:], after=12)
    table = b.table(
        WIDTHS,
        [
            Row([Cell(b.label("unit_name")), Cell(b.tag("unit_name"), span=3)], height=13),
            Row([Cell(b.label("organization")), Cell(b.tag("organization"), span=3)], height=13),
            Row([Cell(b.label("reported_on")), Cell(date_tag(b, "reported_on"), span=3)], height=13),
            Row(
                [
                    Cell(b.label("handler")),
                    Cell(b.tag("handler")),
                    Cell(b.label("phone")),
                    Cell(b.tag("phone")),
                ],
                height=13,
            ),
            Row(
                [
                    Cell(
                        span=4,
                        align="left",
                        lines=[
                            "    该单位党组织已到我街道（社区）党组织报到，特此回执。",
                            "",
                            "",
                            "",
                            "负责同志签字：\t驻在街道社区党组织（盖章）      ",
                            "",
                            "{{ sealed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    )
                ],
                height=60,
            ),
        ],
    )
    align_lines(table, 4, 0, {6: "right"})
    right_tab(table, 4, 0, 4, b.width_mm - 3)
    pad(table, 4, 0, 8)
    for note in b.spec.notes:
        b.note(note, size=12, before=4)
