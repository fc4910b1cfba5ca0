"""附件1 机关企事业单位党组织到社区报到“三张清单”: one row per project, the unit's own cells merged down."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder import docx_kit as kit
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg
from baodao.form_templates.builder.xlsx_kit import finish_sheet, save_workbook
from baodao.form_templates.spec import FormSpec

SIZES = {"table_size": 10.5}
TABLE = "projects"
MONTHS = ("plan_july", "plan_august", "plan_september", "plan_october", "plan_november", "plan_december")
# The seed prints 服务计划 as one column holding the six month lines; it is a heading, not a field.
PLAN_HEADING = "服务计划"
INSTRUCTION_PT = 8.0  # a heading's bracketed instruction (（150字以内）)
ROWS_MM = 106.0  # the one ruled project row fills the page; each further project gets as much


# -- helpers shared with rc_a2 ---------------------------------------------------------------------
# The record's own fields (单位名称, 资源清单 …) span all its project rows, as the seed's merged cells do.
# The first project gets a row of its own that starts those vertical merges; the rows looped over the
# other projects continue them. Every merge is plain Word XML, so the template stays editable in Word/WPS.
FIRST = f"{TABLE}[0]"


def list_lines(b: FormBuilder, name: str, sep: str = "", blanks: int = 3, room: int = 4) -> list[str]:
    """A numbered list; a blank form prints the seed's “1. 2. 3.” with room to write after each."""
    b.spec.field(name)
    blank = ", ".join(["''"] * blanks)
    mark = f"{{{{ '{sep}' if item and not loop.last else '' }}}}" if sep else ""
    return [
        f"{{%p for item in ({name} or [{blank}]) %}}",
        f"{{{{ loop.index }}}}.{{{{ item }}}}{mark}{{{{ '' if item else '\\n' * {room} }}}}",
        "{%p endfor %}",
    ]


def with_room(tag: str, value: str, lines: int) -> str:
    """``tag`` followed by empty lines while ``value`` is blank: writing space on a form filled in by hand."""
    return f"{tag}{{{{ '' if {value} else '\\n' * {lines} }}}}"


def _vmerge(tc, restart: bool) -> None:  # type: ignore[no-untyped-def]
    el = OxmlElement("w:vMerge")
    if restart:
        el.set(qn("w:val"), "restart")
    tc.get_or_add_tcPr().find(qn("w:tcW")).addnext(el)


def top_cell(content: str = "", lines: list[str] | None = None) -> Cell:
    """A cell of running text or a list, read from its top-left corner."""
    return Cell(content, align="left", valign="top", lines=lines or [])


def single_spacing(b: FormBuilder) -> None:
    """Single line spacing written on every paragraph that sets none, so the form keeps its look when a
    notice (whose Normal style is the 公文's exact 28.95 pt) takes it in as an attachment."""
    for el in b.doc.element.body.iter(qn("w:p")):
        fmt = Paragraph(el, b.doc._body).paragraph_format
        if fmt.line_spacing_rule is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def head_cell(text: str) -> Cell:
    """A column heading whose bracketed instruction goes on a line of its own: 主要内容 / （150字以内）."""
    label, bracket, rest = text.partition("（")
    # the instruction a size smaller, as printed forms set it, so it keeps to one line in a narrow column
    return Cell(lines=[label, Seg(bracket + rest, size=INSTRUCTION_PT)] if bracket else [label], head=True)


def project_table(
    b: FormBuilder,
    widths: list[float],
    head: list[Row],
    first: list[Cell],
    more: list[Cell],
    merged: list[int],
    height: float,
) -> None:
    """The header rows, the first project's row, then a row looped over the other projects.

    ``merged`` columns hold the record's own fields: filled in ``first``, left empty in ``more`` and merged
    into the first row's cells. A project's row never breaks across pages.
    """
    b.spec.field(TABLE)
    span = len(widths)
    rows = [
        *head,
        Row(first, height=height),
        Row([Cell(f"{{%tr for row in {TABLE}[1:] %}}", span=span)]),
        Row(more, height=height),
        Row([Cell("{%tr endfor %}", span=span)]),
    ]
    table = b.table(widths, rows)
    first_row, looped = len(head), len(head) + 2
    for r in (first_row, looped):
        kit.set_cant_split(table.rows[r])
    for c in merged:  # raw w:tc elements: these rows have no spans, and python-docx would follow the merge
        _vmerge(table.rows[first_row]._tr.tc_lst[c], restart=True)
        _vmerge(table.rows[looped]._tr.tc_lst[c], restart=False)
    kit.set_cell_padding(table)
    single_spacing(b)


# -- the form --------------------------------------------------------------------------------------
def project_cells(b: FormBuilder, var: str, first: bool) -> list[Cell]:
    """One project's row; the unit's own cells are filled only in the first project's row."""
    col = b.spec.field(TABLE)
    plan = [with_room(f"{col.column(m).label}：{b.cell_tag(TABLE, m, var)}", f"{var}.{m}", 2) for m in MONTHS]
    return [
        Cell(b.tag("unit_name") if first else ""),
        Cell(b.tag("community") if first else ""),
        top_cell(lines=list_lines(b, "resources")) if first else Cell(),
        top_cell(lines=list_lines(b, "needs")) if first else Cell(),
        Cell(b.cell_tag(TABLE, "project_name", var)),
        top_cell(b.cell_tag(TABLE, "content", var)),
        top_cell(lines=plan),
        Cell(b.cell_tag(TABLE, "liaison", var)),
        Cell(b.cell_tag(TABLE, "phone", var)),
        Cell(b.tag("remarks") if first else ""),
    ]


def build(b: FormBuilder) -> None:
    b.title(after=8)
    head = [Cell(b.label(n), rowspan=2, head=True) for n in ("unit_name", "community", "resources", "needs")]
    head += [Cell(b.label(TABLE), span=5, head=True), Cell(b.label("remarks"), rowspan=2, head=True)]
    sub = [head_cell(b.column_label(TABLE, n)) for n in ("project_name", "content")]
    sub += [Cell(PLAN_HEADING, head=True)]
    sub += [head_cell(b.column_label(TABLE, n)) for n in ("liaison", "phone")]
    heads = [Row(head, height=9, repeat=True), Row(sub, height=9, repeat=True)]
    project_table(
        b,
        [19, 19, 30, 30, 21, 38, 32, 15, 24, 13],
        heads,
        project_cells(b, FIRST, first=True),
        project_cells(b, "row", first=False),
        [0, 1, 2, 3, 9],
        ROWS_MM,
    )


# -- the spreadsheet twin --------------------------------------------------------------------------
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPEN_BELOW = Border(left=THIN, right=THIN, top=THIN)
OPEN_ABOVE = Border(left=THIN, right=THIN, bottom=THIN)
HEAD_FONT, BODY_FONT = Font(name="黑体", size=11), Font(name="仿宋_GB2312", size=11)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)


def grouped_xlsx(
    spec: FormSpec,
    path: Path,
    widths: list[float],
    groups: list[tuple[int, int, str]],
    blank_rows: int,
    list_height: float = 48,
) -> None:
    """The record's own fields above, then the table under its caption (项目清单) as the seed draws it.

    ``groups`` are (first column, last column, text) on the row above the header row (服务计划); columns
    outside every group leave that row open, so their header reads as one cell while every label stays on
    the header row that intake reads.
    """
    layout = spec.xlsx
    assert layout is not None
    table = spec.field(layout.table)
    ncols = len(table.columns)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.key
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1, spec.title).font = Font(name="方正小标宋简体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    refs = dict(layout.cells)
    for name, ref in layout.cells:
        value = ws[ref]
        label = value.offset(column=-1)
        label.value = spec.field(name).label + "："
        label.font, label.alignment = HEAD_FONT, CENTER
        row_refs = sorted(ws[r].column for r in refs.values() if ws[r].row == value.row)
        nxt = [c for c in row_refs if c > value.column]
        last = (nxt[0] - 2) if nxt else ncols
        if last > value.column:
            ws.merge_cells(start_row=value.row, start_column=value.column, end_row=value.row, end_column=last)
        value.font, value.alignment = BODY_FONT, WRAP
        for c in range(label.column, last + 1):
            ws.cell(value.row, c).border = GRID
        is_list = spec.field(name).type == "list"
        ws.row_dimensions[value.row].height = list_height if is_list else 22
    group_row = layout.header_row - 1
    caption_row = group_row - 1 if groups else group_row
    ws.merge_cells(start_row=caption_row, start_column=1, end_row=caption_row, end_column=ncols)
    ws.cell(caption_row, 1, table.printed_label or table.label)
    ws.cell(caption_row, 1).font, ws.cell(caption_row, 1).alignment = HEAD_FONT, CENTER
    for c in range(1, ncols + 1):
        ws.cell(caption_row, c).border = GRID
    ws.row_dimensions[caption_row].height = 22
    grouped: set[int] = set(range(1, ncols + 1)) if not groups else set()
    for first, last, text in groups:
        ws.merge_cells(start_row=group_row, start_column=first, end_row=group_row, end_column=last)
        ws.cell(group_row, first, text)
        for c in range(first, last + 1):
            ws.cell(group_row, c).border = GRID
            grouped.add(c)
        ws.cell(group_row, first).font, ws.cell(group_row, first).alignment = HEAD_FONT, CENTER
    for c, column in enumerate(table.columns, start=1):
        cell = ws.cell(layout.header_row, c, column.printed_label or column.label)
        cell.font, cell.alignment = HEAD_FONT, CENTER
        cell.border = GRID if c in grouped else OPEN_ABOVE
        if c not in grouped:
            ws.cell(group_row, c).border = OPEN_BELOW
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    ws.row_dimensions[layout.header_row].height = 30
    for r in range(layout.first_row, layout.first_row + blank_rows):
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.border, cell.font, cell.alignment = GRID, BODY_FONT, WRAP
        ws.row_dimensions[r].height = 90
    finish_sheet(wb, ws, spec, caption_row)
    save_workbook(wb, path)


def build_xlsx(spec: FormSpec, path: Path) -> None:
    table = spec.field(TABLE)
    names = [c.name for c in table.columns]
    first, last = names.index(MONTHS[0]) + 1, names.index(MONTHS[-1]) + 1
    grouped_xlsx(
        spec, path, [22, 40, 14, 14, 14, 14, 14, 14, 10, 15], [(first, last, PLAN_HEADING)], blank_rows=3
    )
