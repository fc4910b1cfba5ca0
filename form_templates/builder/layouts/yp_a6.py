"""附件6 党员参与村居志愿活动卡: the member's ruled 服务记录 beside the 村居党组织评语 column."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row

SIZES = {"body_size": 14.0, "table_size": 10.5}
T = "service_records"


def build(b: FormBuilder) -> None:
    b.title(after=12)
    records = b.loop_rows(
        T,
        [
            Cell(b.cell_tag(T, "date"), span=2),
            Cell(b.cell_tag(T, "category"), span=3),
            Cell(b.cell_tag(T, "content"), span=3, align="left"),
        ],
    )
    records[1].height = 20
    particulars = [
        c for n in ("name", "gender", "age", "employer") for c in (Cell(b.label(n)), Cell(b.tag(n)))
    ]
    table = b.table(
        [12, 22, 12, 9, 12, 9, 12, 30, 38],
        [
            Row([*particulars, Cell(b.label("village_comment"))], height=14),
            Row(
                [
                    Cell(b.label(T), span=8),
                    # the comment column runs beside every record row, so its seal sits at the foot
                    Cell(
                        rowspan=2 + len(records),
                        valign="bottom",
                        lines=[
                            b.tag("village_comment"),
                            "",
                            "村（居）党组织盖章",
                            "",
                            b.tag("sealed_on", blank="    年    月    日"),
                            "",
                        ],
                    ),
                ],
                height=11,
            ),
            Row(
                [
                    Cell(b.column_label(T, "date"), span=2),
                    Cell(b.column_label(T, "category"), span=3),
                    Cell(b.column_label(T, "content"), span=3),
                ],
                height=11,
            ),
            *records,
        ],
    )
    comment = table.rows[1].cells[8].paragraphs
    comment[0].alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    b.note(b.spec.notes[0], size=12, before=8)
