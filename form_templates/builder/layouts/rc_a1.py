"""附件1 机关企事业单位党组织到社区报到“三张清单”: one row per project, the unit's own cells merged down."""

from __future__ import annotations

from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from form_templates.builder.dsl import Cell, FormBuilder, Row
from form_templates.spec import FormSpec

SIZES = {"body_size": 16.0, "table_size": 10.5}
TABLE = "projects"
MONTHS = ("plan_july", "plan_august", "plan_september", "plan_october", "plan_november", "plan_december")
# The seed prints 服务计划 as one column holding the six month lines; it is a heading, not a field.
PLAN_HEADING = "服务计划"
ROWS_MM = 112.0


# -- helpers shared with rc_a2 ---------------------------------------------------------------------
def first_only(b: FormBuilder, name: str) -> str:
    """A record-level value printed in a project row: only the first row shows it, the rest merge into it."""
    b.spec.field(name)
    return f"{{{{ {name} if loop.first else '' }}}}"


def list_lines(b: FormBuilder, name: str, blanks: int = 3, sep: str = "") -> list[str]:
    """A numbered list in the first project row; a blank form prints the seed's “1. 2. 3.” to write on."""
    b.spec.field(name)
    blank = ", ".join(["''"] * blanks)
    mark = f"{{{{ '{sep}' if item and not loop.last else '' }}}}" if sep else ""
    return [
        "{%p if loop.first %}",
        f"{{%p for item in ({name} or [{blank}]) %}}",
        "{{ loop.index }}.{{ item }}" + mark,
        "{%p endfor %}",
        "{%p else %}",
        "",
        "{%p endif %}",
    ]


def merge_down(table, row: int, columns: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Cells of the looped row that every copy after the first continues, as the seed's merged cells do."""
    cells = table.rows[row].cells
    for c in columns:
        tcpr = cells[c]._tc.get_or_add_tcPr()
        vmerge = OxmlElement("w:vMerge")
        vmerge.set(qn("w:val"), "{% if loop.first %}restart{% else %}continue{% endif %}")
        anchor = tcpr.find(qn("w:gridSpan"))
        if anchor is None:
            anchor = tcpr.find(qn("w:tcW"))
        if anchor is None:
            tcpr.insert(0, vmerge)
        else:
            anchor.addnext(vmerge)


def share_height(table, row: int, table_field: str, total_mm: float) -> None:  # type: ignore[no-untyped-def]
    """The looped rows share ``total_mm`` (a minimum), so one project or several still fill one page."""
    twips = round(Mm(total_mm).twips)
    trpr = table.rows[row]._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), f"{{{{ {twips} // ({table_field}|length or 1) }}}}")
    height.set(qn("w:hRule"), "atLeast")
    trpr.append(height)


def narrow_margins(table, mm: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    """Slimmer cell padding, so four-character labels and mobile numbers keep to one line."""
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def loop_row(b: FormBuilder, cells: list[Cell], total_mm: float) -> list[Row]:
    rows = b.loop_rows(TABLE, cells)
    rows[1].height = None  # share_height sets it from the number of projects
    return rows


def finish(b: FormBuilder, table, data_row: int, merged: list[int], total_mm: float) -> None:  # type: ignore[no-untyped-def]
    merge_down(table, data_row, merged)
    share_height(table, data_row, TABLE, total_mm)
    narrow_margins(table)


# -- the form --------------------------------------------------------------------------------------
def build(b: FormBuilder) -> None:
    b.heading(b.spec.appendix)
    b.title(after=8)
    col = b.spec.field(TABLE)
    head = [Cell(b.label(n), rowspan=2, head=True) for n in ("unit_name", "community", "resources", "needs")]
    head += [Cell(b.label(TABLE), span=5, head=True), Cell(b.label("remarks"), rowspan=2, head=True)]
    sub = [Cell(b.column_label(TABLE, n), head=True) for n in ("project_name", "content")]
    sub += [Cell(PLAN_HEADING, head=True)]
    sub += [Cell(b.column_label(TABLE, n), head=True) for n in ("liaison", "phone")]
    plan = [f"{col.column(m).label}：{b.cell_tag(TABLE, m)}" for m in MONTHS]
    data = [
        Cell(first_only(b, "unit_name")),
        Cell(first_only(b, "community")),
        Cell(lines=list_lines(b, "resources"), align="left", valign="top"),
        Cell(lines=list_lines(b, "needs"), align="left", valign="top"),
        Cell(b.cell_tag(TABLE, "project_name")),
        Cell(b.cell_tag(TABLE, "content"), align="justify", valign="top"),
        Cell(lines=plan, align="left", valign="top"),
        Cell(b.cell_tag(TABLE, "liaison")),
        Cell(b.cell_tag(TABLE, "phone")),
        Cell(first_only(b, "remarks")),
    ]
    table = b.table(
        [19, 19, 30, 30, 21, 38, 32, 15, 24, 13],
        [Row(head, height=9, repeat=True), Row(sub, height=9, repeat=True), *loop_row(b, data, ROWS_MM)],
    )
    finish(b, table, 3, [0, 1, 2, 3, 9], ROWS_MM)


# -- the spreadsheet twin --------------------------------------------------------------------------
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPEN_BELOW = Border(left=THIN, right=THIN, top=THIN)
OPEN_ABOVE = Border(left=THIN, right=THIN, bottom=THIN)
HEAD_FONT, BODY_FONT = Font(name="黑体", size=11), Font(name="仿宋_GB2312", size=11)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)


def grouped_xlsx(spec: FormSpec, path: Path, widths: list[float], groups: list[tuple[int, int, str]],
                 blank_rows: int, list_height: float = 48) -> None:
    """The record's own fields above, then the table under a group row (项目清单 / 服务计划) as the seed draws it.

    ``groups`` are (first column, last column, text) on the row above the header row; columns outside every
    group leave that row open, so their header reads as one cell while the labels stay on the header row.
    A list field's cell holds one item per line.
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
        label.font, label.alignment = HEAD_FONT, Alignment(horizontal="right", vertical="top")
        row_refs = sorted(ws[r].column for r in refs.values() if ws[r].row == value.row)
        nxt = [c for c in row_refs if c > value.column]
        last = (nxt[0] - 2) if nxt else ncols
        if last > value.column:
            ws.merge_cells(start_row=value.row, start_column=value.column, end_row=value.row, end_column=last)
        value.font, value.alignment = BODY_FONT, WRAP
        if spec.field(name).type == "list":
            ws.row_dimensions[value.row].height = list_height
    group_row = layout.header_row - 1
    grouped: set[int] = set()
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
    ws.print_title_rows = f"{group_row}:{layout.header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = spec.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = ws.cell(layout.first_row, 1)
    wb.properties.title = spec.title
    wb.properties.keywords = spec.key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.replace(path)


def build_xlsx(spec: FormSpec, path: Path) -> None:
    table = spec.field(TABLE)
    names = [c.name for c in table.columns]
    first, last = names.index(MONTHS[0]) + 1, names.index(MONTHS[-1]) + 1
    grouped_xlsx(spec, path, [22, 40, 14, 14, 14, 14, 14, 14, 10, 15],
                 [(first, last, PLAN_HEADING)], blank_rows=3)
