"""附件2 城市社区共驻共建“三张清单”: one row per project, the community's own cells merged down."""

from __future__ import annotations

from pathlib import Path

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts.rc_a1 import (
    FIRST,
    TABLE,
    grouped_xlsx,
    head_cell,
    list_lines,
    project_table,
    top_cell,
)
from baodao.form_templates.spec import FormSpec

# Twelve columns across the landscape page: 10 pt keeps every heading and mobile number on one line.
SIZES = {"table_size": 10.0}
ROWS_MM = 53.0  # each of the seed's two ruled project rows
PROJECT_COLUMNS = ("project_name", "partner_units", "content", "measures", "secretary", "phone", "deadline")
TOP = ("content", "measures")


def project_cells(b: FormBuilder, var: str, first: bool) -> list[Cell]:
    """One project's row; the community's own cells are filled only in the first project's row."""
    own = [
        Cell(b.tag("street") if first else ""),
        Cell(b.tag("community") if first else ""),
        top_cell(lines=list_lines(b, "resources", sep="；")) if first else Cell(),
        top_cell(lines=list_lines(b, "needs", sep="；")) if first else Cell(),
    ]
    tag = [b.cell_tag(TABLE, n, var) for n in PROJECT_COLUMNS]
    project = [top_cell(t) if n in TOP else Cell(t) for n, t in zip(PROJECT_COLUMNS, tag, strict=True)]
    return [*own, *project, Cell(b.tag("remarks") if first else "")]


def build(b: FormBuilder) -> None:
    b.title(after=8)
    head = [Cell(b.label(n), rowspan=2, head=True) for n in ("street", "community", "resources", "needs")]
    head += [
        Cell(b.label(TABLE), span=len(PROJECT_COLUMNS), head=True),
        Cell(b.label("remarks"), rowspan=2, head=True),
    ]
    sub = [head_cell(b.column_label(TABLE, n)) for n in PROJECT_COLUMNS]
    project_table(
        b,
        [15, 15, 25, 25, 16, 15, 22, 27, 15, 22, 19, 9],
        [Row(head, height=9, repeat=True), Row(sub, height=9, repeat=True)],
        project_cells(b, FIRST, first=True),
        project_cells(b, "row", first=False),
        [0, 1, 2, 3, 11],
        ROWS_MM,
    )


def build_xlsx(spec: FormSpec, path: Path) -> None:
    grouped_xlsx(spec, path, [22, 22, 40, 45, 10, 15, 14], [], blank_rows=4)
