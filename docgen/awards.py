"""Documents the rules call for that no seed drew: the 十星 荣誉证书 (003 §3.6.2) and the 先锋榜 (§3.5.6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from baodao.files import atomic_path
from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder import docx_kit as kit

RED = "C00000"


@dataclass(frozen=True)
class Certificate:
    name: str
    unit: str
    period: str  # “2025年上半年”
    points: int
    issuer: str
    date: str  # as printed, “2025年7月10日”


@dataclass(frozen=True)
class Pioneer:
    name: str
    unit: str
    points: int
    stars: int


@dataclass(frozen=True)
class HonourRoll:
    community: str
    period: str
    pioneers: Sequence[Pioneer]
    issuer: str
    date: str


def _award_line(
    doc: DocxDocument,
    text: str,
    font: str,
    size: float,
    align: str = "justify",
    color: str | None = None,
    before: float = 0,
    indent: bool = False,
) -> None:
    """One paragraph of a certificate or honour roll at 1.5 lines: ``align`` "justify" (the default,
    filling the line), "center" or "right". (The 公文's own is official._grid_paragraph, on its grid.)"""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    fmt.space_before, fmt.space_after = Pt(before), Pt(0)
    fmt.line_spacing = 1.5
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    kit.set_run_font(p.add_run(text), font, size, color=color)


def write_certificates(certificates: Sequence[Certificate], out: Path) -> Path:
    """One landscape page per ten-star volunteer: the wording a community gives with its flowers."""
    doc = Document()
    kit.setup_section(doc.sections[0], landscape=True)
    _page_border(doc.sections[0])
    for i, c in enumerate(certificates):
        _award_line(doc, "荣 誉 证 书", kit.XIAOBIAOSONG, 48, "center", RED, before=0 if i else 24)
        _award_line(doc, f"{c.name}同志（{c.unit}）：", kit.FANGSONG, kit.SIZE_2HAO, before=30)
        body = (
            f"你在{c.period}在职党员志愿服务积分评星中，积分{c.points}分，被评定为“十星级党员志愿者”。"
            "特发此证，以资鼓励。"
        )
        _award_line(doc, body, kit.FANGSONG, kit.SIZE_2HAO, indent=True)
        _signature(doc, c.issuer, c.date, kit.SIZE_2HAO, 36, last=i + 1 == len(certificates))
    return _save(doc, out)


def write_honour_rolls(rolls: Sequence[HonourRoll], out: Path) -> Path:
    """One page per community: its starred volunteers, most stars first, for the notice board."""
    doc = Document()
    kit.setup_section(doc.sections[0], landscape=False)
    for i, roll in enumerate(rolls):
        _award_line(
            doc, f"{roll.community}在职党员志愿服务先锋榜", kit.XIAOBIAOSONG, kit.SIZE_2HAO, "center", RED
        )
        _award_line(doc, f"（{roll.period}）", kit.KAITI, kit.SIZE_3HAO, "center")
        table = doc.add_table(rows=1, cols=5)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        kit.set_table_borders(table)
        kit.set_table_layout_fixed(table, [14, 24, 72, 18, 28])
        for cell, text in zip(table.rows[0].cells, ("名次", "姓名", "工作单位", "积分", "星级"), strict=True):
            _cell(cell, text, kit.HEITI)
        rank, previous = 0, None
        for n, p in enumerate(roll.pioneers, start=1):
            if (p.stars, p.points) != previous:
                rank, previous = n, (p.stars, p.points)
            row = table.add_row()
            texts = (str(rank), p.name, p.unit, str(p.points), "★" * p.stars)
            for cell, text in zip(row.cells, texts, strict=True):
                _cell(cell, text, kit.FANGSONG, RED if text.startswith("★") else None)
        _signature(doc, roll.issuer, roll.date, kit.SIZE_3HAO, 18, last=i + 1 == len(rolls))
    return _save(doc, out)


def _signature(doc: DocxDocument, issuer: str, date: str, size: float, before: float, last: bool) -> None:
    """Issuer over date at the right; a page break after them unless this is the last page."""
    _award_line(doc, issuer, kit.FANGSONG, size, "right", before=before)
    _award_line(doc, date, kit.FANGSONG, size, "right")
    if not last:
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _save(doc: DocxDocument, out: Path) -> Path:
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out


def _page_border(section) -> None:  # type: ignore[no-untyped-def]
    """A red double rule round the page, as printed certificates have."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("val", "double"), ("sz", "18"), ("space", "28"), ("color", RED)):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    sect = section._sectPr
    # w:pgBorders belongs after w:pgMar in the schema's sequence; Word rejects it elsewhere.
    sect.find(qn("w:pgMar")).addnext(borders)


def _cell(cell, text: str, font: str, color: str | None = None) -> None:  # type: ignore[no-untyped-def]
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kit.set_run_font(p.add_run(text), font, kit.SIZE_4HAO, color=color)
