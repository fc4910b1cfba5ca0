"""Small python-docx touches the 004 (郑州双报到) layouts share: per-paragraph alignment and right tab stops in cells."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm

from form_templates.builder.dsl import FormBuilder

BLANK_DATE = "    年    月    日"
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def date_tag(b: FormBuilder, name: str) -> str:
    """A date field that prints as an empty “年 月 日” on a blank form."""
    return b.tag(name, BLANK_DATE)


def align_lines(table, row: int, col: int, aligns: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    """Align single paragraphs of a cell (the DSL aligns a whole cell): signature lines sit on the right."""
    paragraphs = table.rows[row].cells[col].paragraphs
    for index, how in aligns.items():
        paragraphs[index].paragraph_format.alignment = _ALIGN[how]


def right_tab(table, row: int, col: int, index: int, at_mm: float) -> None:  # type: ignore[no-untyped-def]
    """A right tab stop in one paragraph of a cell, so “签名：\\t（盖章）” puts its second half flush right."""
    p = table.rows[row].cells[col].paragraphs[index]
    p.paragraph_format.tab_stops.add_tab_stop(Mm(at_mm), WD_TAB_ALIGNMENT.RIGHT)


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
