"""The layout language form layouts are written in: titles, paragraphs, ruled tables, cut lines.

A layout names fields only through the spec (``b.label("name")``, ``b.tag("name")``), so the printed
labels and the jinja tags cannot drift from the spec that generation and intake read.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder import docx_kit as kit
from baodao.form_templates.package import write_reproducible
from baodao.form_templates.png import blank_png
from baodao.form_templates.spec import FormSpec

Align = Literal["left", "center", "right", "justify", "distribute"]
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "distribute": WD_ALIGN_PARAGRAPH.DISTRIBUTE,
}


@dataclass(frozen=True)
class Seg:
    """A piece of a paragraph with its own look: an underlined blank, a bold word, another face."""

    text: str
    underline: bool = False
    bold: bool = False
    font: str | None = None
    size: float | None = None


Text = str | Seg | Sequence[str | Seg]

# Text with an underline is raised by this share of its size over its underline (see FormBuilder._fill).
UNDERLINE_RAISE = 0.2
UNDERLINE_ANCHOR = "\u2009"
# A form the seed attaches to its notice prints “附件N” above its title; a notice replaces it with its own.
APPENDIX_LABEL = re.compile(r"附件\d+")
_NOTE_HEAD = re.compile(r"(注[：:])?(\d+[.、．])?")


def _em_width(text: str) -> float:
    """Width in characters: CJK and full-width count one, others half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


# Space above and below a cell's text, so no glyph comes within a point of the cell's rules.
CELL_CLEARANCE_PT = 2.0

# The issued form's QR code and id: a 15 mm square in the top margin, over the right edge of the text.
QR_MM = 15.0
QR_PICTURE_NAME = "baodao-qr"
ID_FRAME_W_MM = 45.0
ID_FRAME_TOP_MM = {False: 10.0, True: 5.0}
ID_TEXT_PT = 7.5


@dataclass
class Cell:
    """One cell of a ruled table: its text (one entry per paragraph), spans and look."""

    content: Text = ""
    span: int = 1
    rowspan: int = 1
    head: bool = False
    align: Align = "center"
    valign: Literal["top", "center", "bottom"] = "center"
    size: float | None = None
    vertical: bool = False
    borders: dict[str, str] = field(default_factory=dict)
    lines: Sequence[Text] = field(default_factory=list)  # several paragraphs, used instead of content


@dataclass
class Row:
    """A table row; ``height`` in mm is a minimum unless ``exact``."""

    cells: list[Cell]
    height: float | None = None
    exact: bool = False
    repeat: bool = False


class FormBuilder:
    """Builds one form template: ``b = FormBuilder(spec)``; ``b.title()``; ``b.table(...)``; ``b.save(p)``."""

    def __init__(
        self, spec: FormSpec, body_size: float = kit.SIZE_4HAO, table_size: float = kit.SIZE_XIAO4
    ) -> None:
        self.spec = spec
        self.landscape = spec.orientation == "landscape"
        self.body_size, self.table_size = body_size, table_size
        self._note_label = 0.0  # the width of the last note's “注：”, in characters
        self.doc = Document()
        kit.setup_section(self.doc.sections[0], self.landscape)
        kit.set_style_font(self.doc.styles["Normal"], kit.FANGSONG, body_size)
        normal = self.doc.styles["Normal"].paragraph_format
        normal.space_before, normal.space_after = Pt(0), Pt(0)
        normal.line_spacing = 1.0

    # -- fields ---------------------------------------------------------------------------------
    @property
    def width_mm(self) -> float:
        return kit.body_width_mm(self.landscape)

    def label(self, name: str, printed: bool = True) -> str:
        """The label of field ``name`` as printed (with its instructions when ``printed``)."""
        f = self.spec.field(name)
        return (f.printed_label or f.label) if printed else f.label

    def column_label(self, table: str, column: str) -> str:
        col = self.spec.field(table).column(column)
        return col.printed_label or col.label

    def tag(self, name: str, blank: str = "") -> str:
        """The jinja tag printing field ``name``; ``blank`` is printed when the value is empty."""
        self.spec.field(name)  # a typo in a layout fails the build, not a clerk's print run
        return f"{{{{ {name} or '{blank}' }}}}" if blank else f"{{{{ {name} }}}}"

    def tick(self, name: str, option: str) -> str:
        """The box of one option: ■ when the record chose it, else □ (a filter: no sandbox call per box)."""
        if option not in self.spec.field(name).options:
            raise ValueError(f"{self.spec.key}: “{option}” is not an option of {name}")
        return f"{{{{ {name}|tick('{option}') }}}}"

    def ticks(self, name: str, box_after: bool = False, sep: str = "  ") -> str:
        """The printed checkbox list of a choice field, each box ticked by the ``tick`` filter."""
        f = self.spec.field(name)
        parts = []
        for option in f.options:
            box = self.tick(name, option)
            parts.append(f"{option}{box}" if box_after else f"{box}{option}")
        return sep.join(parts)

    # -- paragraphs -----------------------------------------------------------------------------
    def _paragraph(self) -> Paragraph:
        return self.doc.add_paragraph()

    def _fill(self, paragraph, content: Text, font: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
        """Add ``content``'s runs to ``paragraph``.

        LibreOffice draws an underline half the font's descent under the baseline, where FandolFang's
        glyphs still reach: the underline would strike them. So in a paragraph with an underline every
        run is raised by a fifth of its size, and each underlined piece starts and ends with an unraised,
        underlined thin space: on a line, the underline of raised and unraised text together is drawn at
        the unraised text's place, clear below the raised glyphs (one at each end, so a value that wraps
        keeps one on both its lines).
        """
        pieces = [
            p if isinstance(p, Seg) else Seg(p)
            for p in ([content] if isinstance(content, (str, Seg)) else content)
        ]
        raise_text = any(seg.underline and seg.text for seg in pieces)
        for seg in pieces:
            if not seg.text:
                continue
            run_size = seg.size or size
            if seg.underline:
                self._underline_anchor(paragraph, seg.font or font, run_size)
            run = paragraph.add_run(seg.text)
            kit.set_run_font(run, seg.font or font, run_size, bold=seg.bold or bold or None)
            if raise_text:
                kit.set_raise(run, UNDERLINE_RAISE * run_size)
            if seg.underline:
                run.font.underline = True
                self._underline_anchor(paragraph, seg.font or font, run_size)

    @staticmethod
    def _underline_anchor(paragraph, font: str, size: float) -> None:  # type: ignore[no-untyped-def]
        anchor = paragraph.add_run(UNDERLINE_ANCHOR)
        kit.set_run_font(anchor, font, size)
        anchor.font.underline = True

    def para(
        self,
        content: Text,
        align: Align = "justify",
        indent: bool = True,
        size: float | None = None,
        font: str = kit.FANGSONG,
        bold: bool = False,
        before: float = 0,
        after: float = 0,
        line: float | None = None,
        keep_next: bool = False,
    ) -> Paragraph:
        """A body paragraph; ``indent`` is the usual two-character first-line indent."""
        p = self._paragraph()
        size = size or self.body_size
        self._fill(p, content, font, size, bold)
        fmt = p.paragraph_format
        fmt.alignment = _ALIGN[align]
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if line is not None:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(line)
        fmt.keep_with_next = keep_next
        return p

    def title(self, text: str | None = None, size: float = kit.SIZE_XIAO2, after: float = 6) -> None:
        """The form's title in 小标宋, centred (the spec's title unless given), under its “附件N” when
        the seed prints the form as an attachment of its notice."""
        if APPENDIX_LABEL.fullmatch(self.spec.appendix or ""):
            self.heading(self.spec.appendix, size=kit.SIZE_3HAO)
        self.para(
            text or self.spec.title,
            align="center",
            indent=False,
            size=size,
            font=kit.XIAOBIAOSONG,
            after=after,
            keep_next=True,
        )

    def subtitle(self, text: str) -> None:
        self.para(text, align="center", indent=False, size=self.body_size, font=kit.KAITI, after=6)

    def heading(self, text: str, size: float | None = None) -> None:
        """A 黑体 heading such as “附件1” or “一、指导思想”."""
        self.para(
            text, align="left", indent=False, size=size or self.body_size, font=kit.HEITI, keep_next=True
        )

    def note(self, text: Text, size: float = kit.SIZE_5HAO, before: float = 3) -> None:
        """A note below a table (注：…), small, with a hanging indent: the lines of “注：1.…” and of the
        “2.…” after it run on under the text, not under “注：” or the number."""
        p = self.para(text, align="left", indent=False, size=size, before=before)
        if not isinstance(text, str):
            return
        m = _NOTE_HEAD.match(text)
        label, number = (m.group(1) or "", m.group(2) or "") if m else ("", "")
        if label:
            self._note_label = _em_width(label)
        elif not number:
            return
        fmt = p.paragraph_format
        hang = _em_width(label + number) * size
        fmt.left_indent = Pt((0 if label else self._note_label * size) + hang)
        fmt.first_line_indent = Pt(-hang)

    def spacer(self, mm: float) -> None:
        p = self._paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Mm(mm)

    def page_break(self) -> None:
        self._paragraph().add_run().add_break(WD_BREAK.PAGE)

    def cut_line(self, label: str = "回    执", size: float | None = None) -> None:
        """The dashed line a receipt is torn off along, through the middle of its label.

        Two rows of equal height: the side cells' dashes are the upper row's bottom border, the label
        spans both rows, centred, so the line runs through its middle.
        """
        size = size or self.body_size
        side = (self.width_mm - 30) / 2
        table = self.doc.add_table(rows=2, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        kit.set_table_borders(table, "nil")
        kit.set_table_layout_fixed(table, [side, 30, side])
        half_mm = size * 1.5 / 2 * 25.4 / 72
        for row in table.rows:
            kit.set_row_height(row, half_mm, exact=True)
        for edge_cell in (table.cell(0, 0), table.cell(0, 2)):
            kit.set_cell_borders(edge_cell, bottom="dashed")
        mid = table.cell(0, 1).merge(table.cell(1, 1))
        p = mid.paragraphs[0]
        self._fill(p, label, kit.HEITI, size)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mid.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        # The receipt carries its slip's id, so a returned 回执 can be matched on its own.
        receipt_id = table.cell(1, 2).paragraphs[0]
        receipt_id.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        kit.set_run_font(receipt_id.add_run("{{ form_id }}"), kit.FANGSONG, ID_TEXT_PT)
        for c in (table.cell(0, 0), mid, table.cell(0, 2), table.cell(1, 0), table.cell(1, 2)):
            fmt = c.paragraphs[0].paragraph_format
            fmt.space_before = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE

    # -- tables ---------------------------------------------------------------------------------
    def table(self, widths_mm: Sequence[float], rows: Sequence[Row | Sequence[Cell]], borders: bool = True):  # type: ignore[no-untyped-def]
        """A ruled table; cells flow left to right, skipping places a ``rowspan`` above has taken.

        Column widths are scaled to the body width, so a layout gives proportions as it likes.
        """
        scale = self.width_mm / sum(widths_mm)
        widths = [w * scale for w in widths_mm]
        norm = [r if isinstance(r, Row) else Row(list(r)) for r in rows]
        table = self.doc.add_table(rows=len(norm), cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        kit.set_table_borders(table, "single" if borders else "nil")
        kit.set_table_layout_fixed(table, widths)
        kit.set_cell_clearance(table, CELL_CLEARANCE_PT)
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(norm):
            c = 0
            for cell in row.cells:
                while (r, c) in taken:
                    c += 1
                if c + cell.span > len(widths):
                    raise ValueError(f"{self.spec.key}: row {r} overflows the table at column {c}")
                self._place(table, r, c, cell)
                taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.span))
                c += cell.span
            if row.height is not None:
                kit.set_row_height(table.rows[r], row.height, row.exact)
            if row.repeat:
                kit.set_repeat_header(table.rows[r])
        return table

    def _place(self, table, r: int, c: int, cell: Cell) -> None:  # type: ignore[no-untyped-def]
        target = table.cell(r, c)
        if cell.span > 1 or cell.rowspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.span - 1))
        paragraphs = cell.lines or [cell.content]
        font = kit.HEITI if cell.head else kit.FANGSONG
        size = cell.size or self.table_size
        first = True
        for content in paragraphs:
            p = target.paragraphs[0] if first else target.add_paragraph()
            first = False
            self._fill(p, content, font, size)
            p.paragraph_format.alignment = _ALIGN[cell.align]
        target.vertical_alignment = {
            "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
            "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
            "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
        }[cell.valign]
        if cell.vertical:
            kit.set_vertical_text(target)
        if cell.borders:
            kit.set_cell_borders(target, **cell.borders)

    def loop_rows(self, table_field: str, cells: Sequence[Cell], var: str = "row") -> list[Row]:
        """The three rows docxtpl needs to repeat a record row: for, the row itself, endfor.

        Generation pads the list to the field's printed ``rows``, so a blank form keeps its ruled lines.
        """
        f = self.spec.field(table_field)
        if f.type != "table":
            raise ValueError(f"{self.spec.key}: {table_field} is not a table field")
        width = sum(c.span for c in cells)
        return [
            Row([Cell(f"{{%tr for {var} in {table_field} %}}", span=width)]),
            Row(list(cells), height=8),
            Row([Cell("{%tr endfor %}", span=width)]),
        ]

    def cell_tag(self, table_field: str, column: str, var: str = "row") -> str:
        self.spec.field(table_field).column(column)
        return f"{{{{ {var}.{column} }}}}"

    # -- the issued form's id ------------------------------------------------------------------------
    def _id_frame(self) -> None:
        """The QR code and form id in the top margin's right corner, in a frame outside the text flow.

        Both sit inside ``{%r if form_id %}``, so a blank form prints nothing there; generation swaps the
        stand-in picture for the form's own QR code.
        """
        p = self.doc.add_paragraph()
        body = self.doc.element.body
        body.remove(p._p)
        body.insert(0, p._p)
        kit.set_frame(p, x_mm=self._frame_x(), y_mm=ID_FRAME_TOP_MM[self.landscape], width_mm=ID_FRAME_W_MM)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_run("{%r if form_id %}")
        picture = p.add_run().add_picture(io.BytesIO(blank_png()), width=Mm(QR_MM), height=Mm(QR_MM))
        picture._inline.docPr.set("name", QR_PICTURE_NAME)
        p.add_run().add_break()
        kit.set_run_font(p.add_run("{{ form_id }}"), kit.FANGSONG, ID_TEXT_PT)
        p.add_run("{%r endif %}")

    def _frame_x(self) -> float:
        left = kit.TOP_MM if self.landscape else kit.BINDING_MM
        return left + self.width_mm - ID_FRAME_W_MM

    # -- output ---------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        props = self.doc.core_properties
        props.title = self.spec.title
        props.subject = f"{self.spec.key} · {self.spec.appendix}"
        props.author = "baodao"
        props.keywords = self.spec.key
        self._id_frame()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        write_reproducible(buffer.getvalue(), path)
