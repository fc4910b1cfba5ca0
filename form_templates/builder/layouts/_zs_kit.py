"""Small python-docx touches the 004 (郑州双报到) layouts share: alignment and tab stops inside cells."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import FormBuilder

BLANK_DATE = "    年    月    日"
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def date_tag(b: FormBuilder, name: str) -> str:
    """A date field that prints as an empty “年 月 日” on a blank form."""
    return b.tag(name, BLANK_DATE)


def align_lines(table, row: int, col: int, aligns: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    """Align single paragraphs of a cell (the DSL aligns a whole cell): signature lines sit on the right."""
    paragraphs = table.rows[row].cells[col].paragraphs
    for index, how in aligns.items():
        paragraphs[index].paragraph_format.alignment = _ALIGN[how]


def right_tab(table, row: int, col: int, index: int, at_mm: float) -> None:  # type: ignore[no-untyped-def]
    """A right tab stop in one paragraph of a cell: “签名：\\t（盖章）” puts its second half flush right."""
    p = table.rows[row].cells[col].paragraphs[index]
    p.paragraph_format.tab_stops.add_tab_stop(Mm(at_mm), WD_TAB_ALIGNMENT.RIGHT)


def left_tab(table, row: int, col: int, at_mm: float) -> None:  # type: ignore[no-untyped-def]
    """A left tab stop in every paragraph of a cell, so two columns of checkbox options line up."""
    for p in table.rows[row].cells[col].paragraphs:
        p.paragraph_format.tab_stops.add_tab_stop(Mm(at_mm), WD_TAB_ALIGNMENT.LEFT)


def stacked_label(b: FormBuilder, name: str) -> list[str]:
    """A label and its bracketed instruction on lines of their own, for a narrow label cell."""
    printed = b.label(name)
    label, _, rest = printed.partition("（")
    return [label, "（" + rest] if rest else [label]


def pad(table, row: int, col: int, points: float = 3) -> None:  # type: ignore[no-untyped-def]
    """Breathing room above the first and below the last line of a text block cell."""
    from docx.shared import Pt

    paragraphs = table.rows[row].cells[col].paragraphs
    paragraphs[0].paragraph_format.space_before = Pt(points)
    paragraphs[-1].paragraph_format.space_after = Pt(points)


def number_line(b: FormBuilder, name: str = "number") -> None:
    """“编号：____” flush right; the blank is ideographic spaces, which a right-aligned line does not trim."""
    from baodao.form_templates.builder.dsl import Seg

    b.para(
        [b.label(name) + "：", Seg(b.tag(name, "\u3000" * 7), underline=True)],
        align="right",
        indent=False,
        after=2,
    )


def receipt_break(b: FormBuilder) -> None:
    """The slip's notes, the cut line, and the receipt's own 编号 line, so the 回执联 matches its slip."""
    for note in b.spec.notes[:2]:
        b.note(note, before=1)
    b.spacer(2)
    b.cut_line(label="回  执  联")
    b.spacer(1)
    number_line(b)


def items(name: str) -> list[str]:
    """A numbered list as cell paragraphs; the closing empty paragraph keeps an empty list's cell valid."""
    return [f"{{%p for item in {name} %}}", "{{ loop.index }}. {{ item }}", "{%p endfor %}", ""]
