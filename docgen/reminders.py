"""催交提醒单: slips to cut apart and hand out, one per overdue form or unreported member, three a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from baodao.files import atomic_path
from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder import docx_kit as kit

PER_PAGE = 3  # a slip a third of a page: large enough to read at arm's length, cut with two strokes


@dataclass(frozen=True)
class Reminder:
    """One slip: whom it is for, which form (or 报到) and what to do by when."""

    name: str
    unit: str
    form: str  # the form's title, or “到居住地社区报到”
    number: str  # the form's 编号, or the member's roster number ("" none)
    due: str  # as printed, “2026年3月31日”, or ""
    todo: str  # one sentence: what the person should do
    issuer: str
    date: str  # the day the slip is printed, as printed


def write_reminders(reminders: Sequence[Reminder], out: Path) -> Path:
    """The slips in a DOCX, each in a dashed box (the cutting line), three to an A4 page."""
    doc = Document()
    kit.setup_section(doc.sections[0], landscape=False)
    width = kit.body_width_mm(landscape=False)
    for i, slip in enumerate(reminders):
        table = doc.add_table(rows=1, cols=1)
        kit.set_table_layout_fixed(table, [width])
        kit.set_table_borders(table, "dashed", 8)
        kit.set_row_height(table.rows[0], 74, exact=True)
        kit.set_cant_split(table.rows[0])
        cell = table.rows[0].cells[0]
        _line(cell.paragraphs[0], "催交提醒", kit.HEITI, kit.SIZE_3HAO, center=True)
        for label, value in (
            ("姓名", slip.name),
            ("单位", slip.unit),
            ("表单", slip.form),
            ("编号", slip.number or "—"),
            ("应交回日期", slip.due or "—"),
        ):
            _line(cell.add_paragraph(), f"{label}：{value}", kit.FANGSONG, kit.SIZE_4HAO)
        _line(cell.add_paragraph(), slip.todo, kit.FANGSONG, kit.SIZE_4HAO)
        _line(cell.add_paragraph(), f"{slip.issuer}　{slip.date}", kit.KAITI, kit.SIZE_XIAO4, right=True)
        gap = doc.add_paragraph()
        gap.paragraph_format.space_after = Pt(0)
        if (i + 1) % PER_PAGE == 0 and i + 1 < len(reminders):
            gap.add_run().add_break(WD_BREAK.PAGE)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out


def _line(p, text: str, font: str, size: float, center: bool = False, right: bool = False) -> None:  # type: ignore[no-untyped-def]
    fmt = p.paragraph_format
    side = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else side
    fmt.space_before, fmt.space_after = Pt(0), Pt(2)
    kit.set_run_font(p.add_run(text), font, size)
