"""机关党组织到街道社区开展活动记录: one activity a sheet, signed and sealed by the 街道社区党组织."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts._zs_kit import (
    BLANK_DATE,
    align_lines,
    date_tag,
    left_tab,
    pad,
    right_tab,
)

SIZES = {"body_size": 14.0, "table_size": 12.0}
WIDTHS = [36, 44, 30, 46]


def build(b: FormBuilder) -> None:
    b.title(after=10)
    boxes = b.ticks("category", sep="\x00").split("\x00")
    categories = ["\t".join(boxes[i : i + 2]) for i in range(0, len(boxes), 2)]
    table = b.table(
        WIDTHS,
        [
            Row([Cell(b.label("organizer")), Cell(b.tag("organizer"), span=3)], height=11),
            Row([Cell(b.label("held_on")), Cell(date_tag(b, "held_on"), span=3)], height=11),
            Row([Cell(b.label("place")), Cell(b.tag("place"), span=3)], height=11),
            Row([Cell(b.label("category")), Cell(span=3, align="left", lines=categories)], height=13),
            Row(
                [Cell(b.label("content")), Cell(b.tag("content"), span=3, align="justify", valign="top")],
                height=54,
            ),
            Row(
                [
                    Cell(b.label("participant_count")),
                    Cell(b.tag("participant_count")),
                    Cell(b.label("recorder")),
                    Cell(b.tag("recorder")),
                ],
                height=11,
            ),
            Row(
                [
                    Cell(b.label("participants")),
                    Cell("{{ participants|join('、') }}", span=3, align="justify", valign="top"),
                ],
                height=28,
            ),
            Row(
                [Cell(b.label("uploaded"), span=2), Cell(b.ticks("uploaded", sep="        "), span=2)],
                height=11,
            ),
            Row(
                [Cell(b.label("community_organization")), Cell(b.tag("community_organization"), span=3)],
                height=11,
            ),
            Row(
                [
                    Cell(lines=["街道社区党组织", "确认意见"]),
                    Cell(
                        span=3,
                        align="left",
                        lines=[
                            "    经核实，以上活动情况属实。",
                            "",
                            "",
                            "负责同志签字：\t（盖章）      ",
                            "{{ confirmed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    ),
                ],
                height=34,
            ),
        ],
    )
    align_lines(table, 9, 1, {4: "right"})
    right_tab(table, 9, 1, 3, b.width_mm * 120 / 156 - 3)
    pad(table, 9, 1, 6)
    left_tab(table, 3, 1, 74)
    for note in b.spec.notes:
        b.note(note, size=10.5, before=2)
