"""郑州市直机关在职党员到居住地社区报到单: the slip with its 15-post tick grid, then the 回执联."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts._zs_kit import (
    BLANK_DATE,
    align_lines,
    date_tag,
    number_line,
    pad,
    receipt_break,
    right_tab,
    stacked_label,
)

SIZES = {"body_size": 12.0, "table_size": 10.5}
WIDTHS = [30, 21, 21, 21, 21, 21, 21]
PER_ROW = 3


def _post_grid(b: FormBuilder) -> list[Row]:
    """Three posts a row; only the grid's outer edges are ruled, so it reads as one checkbox list."""
    boxes = b.ticks("claimed_posts", sep="\x00").split("\x00")
    count = -(-len(boxes) // PER_ROW)
    boxes += [""] * (count * PER_ROW - len(boxes))
    rows = []
    for r in range(count):
        cells = [Cell(lines=stacked_label(b, "claimed_posts"), rowspan=count)] if r == 0 else []
        for c in range(PER_ROW):
            edges = {
                "top": "nil" if r else "single",
                "bottom": "nil" if r < count - 1 else "single",
                "left": "nil" if c else "single",
                "right": "nil" if c < PER_ROW - 1 else "single",
            }
            cells.append(Cell(boxes[r * PER_ROW + c], span=2, align="left", borders=edges))
        rows.append(Row(cells, height=6.5))
    return rows


def build(b: FormBuilder) -> None:
    b.title(after=2)
    number_line(b)
    grid = _post_grid(b)
    slip = b.table(
        WIDTHS,
        [
            Row(
                [
                    Cell(b.label("name")),
                    Cell(b.tag("name"), span=2),
                    Cell(b.label("gender")),
                    Cell(b.ticks("gender", sep="        "), span=3),
                ],
                height=8,
            ),
            Row([Cell(b.label("employer_and_post")), Cell(b.tag("employer_and_post"), span=6)], height=8),
            Row([Cell(b.label("party_organization")), Cell(b.tag("party_organization"), span=6)], height=8),
            Row(
                [
                    Cell(b.label("community")),
                    Cell(b.tag("community"), span=3),
                    Cell(b.label("phone")),
                    Cell(b.tag("phone"), span=2),
                ],
                height=8,
            ),
            Row([Cell(b.label("home_address")), Cell(b.tag("home_address"), span=6)], height=8),
            *grid,
            Row(
                [
                    Cell(lines=stacked_label(b, "specialty")),
                    Cell(b.tag("specialty"), span=3),
                    Cell(b.label("reported_on")),
                    Cell(date_tag(b, "reported_on"), span=2),
                ],
                height=9,
            ),
            Row(
                [
                    Cell(
                        span=7,
                        align="justify",
                        lines=[
                            "    本人自愿以普通党员和个人身份到居住地社区党组织报到，认领志愿服务岗位，"
                            "积极参加社区党组织开展的活动，自觉接受社区党组织和居民群众监督。",
                            "党员签名：\t所在党组织（盖章）        ",
                            "{{ unit_sealed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    )
                ],
                height=18,
            ),
        ],
    )
    last = 6 + len(grid)
    align_lines(slip, last, 0, {2: "right"})
    right_tab(slip, last, 0, 1, b.width_mm - 3)
    pad(slip, last, 0)
    receipt_break(b)
    receipt = b.table(
        WIDTHS,
        [
            Row(
                [
                    Cell(b.label("receipt_member_name")),
                    Cell(b.tag("receipt_member_name"), span=2),
                    Cell(b.label("receipt_reported_on")),
                    Cell(date_tag(b, "receipt_reported_on"), span=3),
                ],
                height=8,
            ),
            Row([Cell(b.label("receipt_employer")), Cell(b.tag("receipt_employer"), span=6)], height=8),
            Row(
                [
                    Cell(b.label("receipt_community_organization")),
                    Cell(b.tag("receipt_community_organization"), span=6),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(b.label("receipt_handler")),
                    Cell(b.tag("receipt_handler"), span=2),
                    Cell(b.label("receipt_phone")),
                    Cell(b.tag("receipt_phone"), span=3),
                ],
                height=8,
            ),
            Row(
                [
                    Cell(
                        span=7,
                        align="left",
                        lines=[
                            "    该同志已到我社区党组织报到，特此回执。",
                            "社区党组织（盖章）        ",
                            "{{ receipt_sealed_on or '" + BLANK_DATE + "' }}    ",
                        ],
                    )
                ],
                height=15,
            ),
        ],
    )
    align_lines(receipt, 4, 0, {1: "right", 2: "right"})
    pad(receipt, 4, 0)
    b.note(b.spec.notes[2], before=1)
