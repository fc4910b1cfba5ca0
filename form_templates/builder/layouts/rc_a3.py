"""附件3 市直单位驻区共建报到名单: each community with the units that report to it."""

from __future__ import annotations

from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row
from baodao.form_templates.builder.layouts.rc_a1 import single_spacing

SIZES = {"table_size": 10.5}
TABLE = "assignments"
XLSX = {"widths": [14.0, 90.0]}


def build(b: FormBuilder) -> None:
    b.title(after=8)
    labels = [Cell(b.column_label(TABLE, n), head=True) for n in ("community", "units")]
    head = Row(labels, height=11, repeat=True)
    rows = b.loop_rows(
        TABLE, [Cell(b.cell_tag(TABLE, "community")), Cell(b.cell_tag(TABLE, "units"), align="left")]
    )
    rows[1].height = 11
    table = b.table([24, 132], [head, *rows])
    # Seventeen communities on one page: a long list of units wraps to two lines inside the same 11 mm.
    for cell in table.rows[2].cells:
        for p in cell.paragraphs:
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            p.paragraph_format.line_spacing = Pt(13.5)
    single_spacing(b)
