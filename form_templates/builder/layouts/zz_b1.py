"""表B.1 在职党员社区报到证: a ruled card of ten columns under 报到地党组织 and 编号."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg

SIZES = {"table_size": 10.5}
TICKS_PER_LINE = 3


def build(b: FormBuilder) -> None:
    b.title()
    b.para([b.label("organization") + "：", Seg(b.tag("organization"), underline=True)], indent=False)
    b.para([b.label("number") + "：", Seg(b.tag("number"), underline=True)], indent=False, after=4)
    pairs = ["name", "gender", "age", "education", "joined_party_on"]
    first = [c for n in pairs for c in (Cell(b.label(n)), Cell(b.tag(n)))]
    options = b.spec.field("skills").options
    # Whole options per line: CJK text may break anywhere, which would part a word from its box.
    tick_lines = [
        " ".join(o + b.tick("skills", o) for o in options[i : i + TICKS_PER_LINE])
        for i in range(0, len(options), TICKS_PER_LINE)
    ]
    b.table(
        [12, 19, 12, 9, 12, 10, 12, 21, 21, 28],
        [
            Row(first, height=12),
            Row(
                [
                    Cell(b.label("employer_and_post"), span=2),
                    Cell(b.tag("employer_and_post"), span=4),
                    Cell(b.label("phone"), span=2),
                    Cell(b.tag("phone"), span=2),
                ],
                height=12,
            ),
            Row(
                [
                    Cell(b.label("home_address"), span=2),
                    Cell(b.tag("home_address"), span=4),
                    Cell(b.label("community"), span=2),
                    Cell(b.tag("community"), span=2),
                ],
                height=12,
            ),
            Row(
                [
                    Cell(b.label("skills"), span=5),
                    Cell(b.label("intentions"), span=3),
                    Cell(b.label("unit_opinion"), span=2),
                ],
                height=14,
            ),
            Row(
                [
                    Cell(span=5, align="left", valign="top", lines=tick_lines),
                    Cell(
                        span=3,
                        align="left",
                        valign="top",
                        lines=[
                            "{%p for item in intentions %}",
                            "{{ loop.index }}. {{ item }}",
                            "{%p endfor %}",
                        ],
                    ),
                    Cell(
                        span=2,
                        valign="top",
                        lines=[
                            b.tag("unit_opinion"),
                            "",
                            "",
                            "（盖章）",
                            "{{ unit_sealed_on or '    年    月    日' }}",
                        ],
                    ),
                ],
                height=95,
            ),
        ],
    )
