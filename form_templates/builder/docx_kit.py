"""Low-level python-docx helpers for the template builder: page set-up, fonts, borders, cell merging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)

# GB/T 9704-2012: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm on A4.
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
TOP_MM, BINDING_MM, BODY_W_MM, BODY_H_MM = 37.0, 28.0, 156.0, 225.0

# Font names as Chinese templates write them; fonts/fonts.conf maps them to installed faces.
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
SONGTI = "宋体"

# 字号 in points.
SIZE_2HAO, SIZE_XIAO2, SIZE_3HAO, SIZE_4HAO, SIZE_XIAO4, SIZE_5HAO = 22.0, 18.0, 16.0, 14.0, 12.0, 10.5


def setup_section(section, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    """A4 with the GB/T 9704 margins; a landscape page keeps 订口 on its bound (top) edge."""
    right = PAGE_W_MM - BINDING_MM - BODY_W_MM
    bottom = PAGE_H_MM - TOP_MM - BODY_H_MM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
        section.top_margin, section.bottom_margin = Mm(BINDING_MM), Mm(right)
        section.left_margin, section.right_margin = Mm(TOP_MM), Mm(bottom)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(bottom)
        section.left_margin, section.right_margin = Mm(BINDING_MM), Mm(right)
    section.header_distance, section.footer_distance = Mm(15), Mm(18)


def body_width_mm(landscape: bool) -> float:
    return BODY_H_MM if landscape else BODY_W_MM


def set_run_font(
    run: Any,
    east_asia: str,
    size: float | None = None,
    bold: bool | None = None,
    color: str | None = None,
) -> None:
    """Set a run's face for Chinese and Latin alike, so digits and letters use the mapped CJK face too."""
    run.font.name = east_asia
    _set_faces(run._element.get_or_add_rPr(), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        from docx.shared import RGBColor

        run.font.color.rgb = RGBColor.from_string(color)


def set_style_font(style, east_asia: str, size: float) -> None:  # type: ignore[no-untyped-def]
    style.font.name = east_asia
    style.font.size = Pt(size)
    _set_faces(style.element.get_or_add_rPr(), east_asia)


def _set_faces(rpr: Any, face: str) -> None:
    """One face for every script: python-docx's font.name sets only the Latin slots."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), face)


def set_cell_borders(cell, **edges: str) -> None:  # type: ignore[no-untyped-def]
    """Set borders of one cell, e.g. bottom="dashed", top="nil"; sizes in eighths of a point."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    for edge in ("top", "left", "bottom", "right"):
        if edge not in edges:
            continue
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            borders.append(el)
        val = edges[edge]
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), "6")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")


def set_table_borders(table, val: str = "single", size: int = 4) -> None:  # type: ignore[no-untyped-def]
    """Give every edge of a table the same border (val="nil" for none)."""
    tblpr = table._tbl.tblPr
    borders = tblpr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tblpr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            borders.append(el)
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")


def set_table_layout_fixed(table, widths_mm: Sequence[float]) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths, so Word, WPS and LibreOffice lay the table out alike."""
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    table.autofit = False
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)


def set_row_height(row, mm: float, exact: bool = False) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def set_repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    """Repeat this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_cant_split(row) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def set_vertical_text(cell) -> None:  # type: ignore[no-untyped-def]
    """Stack the text of a narrow label cell top to bottom, as printed forms do."""
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:textDirection")
    el.set(qn("w:val"), "tbRlV")
    tcpr.append(el)


def set_char_spacing(run, twentieths_pt: int) -> None:  # type: ignore[no-untyped-def]
    rpr = run._element.get_or_add_rPr()
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(twentieths_pt))
    rpr.append(el)


def set_raise(run: Any, points: float) -> None:
    """Raise a run above its baseline (Word's 字符位置 提升), in half points as DOCX keeps it."""
    rpr = run._element.get_or_add_rPr()
    el = OxmlElement("w:position")
    el.set(qn("w:val"), str(round(points * 2)))
    rpr.append(el)


def set_paragraph_border(
    paragraph: Any,
    edge: str,
    val: str = "single",
    size: int = 6,
    color: str = "000000",
    space: int = 1,
) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    borders.append(el)


def set_cell_padding(table: Any, mm: float = 1.0) -> None:
    """Left and right padding of every cell (Word's default is 1.9 mm): lets long labels keep to one line."""
    _set_cell_margins(table, {"left": mm, "right": mm})


def set_cell_clearance(table: Any, points: float) -> None:
    """Top and bottom padding of every cell: FandolFang's glyphs reach below their em box, and a full
    cell would put them on its bottom rule."""
    _set_cell_margins(table, {"top": points / 72 * 25.4, "bottom": points / 72 * 25.4})


def _set_cell_margins(table: Any, edges_mm: dict[str, float]) -> None:
    tblpr = table._tbl.tblPr
    margins = tblpr.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        tblpr.append(margins)
    for edge in ("top", "left", "bottom", "right"):  # the schema's order
        el = margins.find(qn(f"w:{edge}"))
        if edge not in edges_mm:
            if el is not None:
                margins.remove(el)
                margins.append(el)
            continue
        if el is None:
            el = OxmlElement(f"w:{edge}")
        else:
            margins.remove(el)
        margins.append(el)
        el.set(qn("w:w"), str(round(edges_mm[edge] * 56.6929)))
        el.set(qn("w:type"), "dxa")


def set_frame(paragraph: Any, x_mm: float, y_mm: float, width_mm: float) -> None:
    """Make ``paragraph`` a frame placed on the page (not in the text flow), like Word's 图文框."""
    frame = OxmlElement("w:framePr")
    for attr, value in (("w", width_mm), ("x", x_mm), ("y", y_mm)):
        frame.set(qn(f"w:{attr}"), str(round(value * 56.6929)))
    frame.set(qn("w:hRule"), "auto")
    frame.set(qn("w:wrap"), "around")
    frame.set(qn("w:hAnchor"), "page")
    frame.set(qn("w:vAnchor"), "page")
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, frame)
