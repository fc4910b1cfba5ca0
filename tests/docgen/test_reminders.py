"""催交提醒 slips: each says whom, which form, its 编号, by when and what to do; three to a page."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from baodao.docgen.reminders import PER_PAGE, Reminder, write_reminders


def slip(n: int) -> Reminder:
    return Reminder(
        f"党员{n}",
        "郑州市中心血站",
        "在职党员社区报到证",
        f"SJ-{n}",
        "2026年3月31日",
        "请填好后尽快交回新安社区党委。",
        "新安社区党委",
        "2026年4月10日",
    )


def test_each_slip_is_a_box_with_its_lines_and_a_page_holds_three(tmp_path: Path) -> None:
    doc = Document(str(write_reminders([slip(n) for n in range(1, 5)], tmp_path / "slips.docx")))
    boxes = [t.rows[0].cells[0] for t in doc.tables]
    assert len(boxes) == 4
    assert [p.text for p in boxes[3].paragraphs] == [
        "催交提醒",
        "姓名：党员4",
        "单位：郑州市中心血站",
        "表单：在职党员社区报到证",
        "编号：SJ-4",
        "应交回日期：2026年3月31日",
        "请填好后尽快交回新安社区党委。",
        "新安社区党委　2026年4月10日",
    ]
    body = list(doc.element.body)
    breaks = [i for i, el in enumerate(body) if el.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")]
    tables = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")]
    assert len(breaks) == 1 and tables[PER_PAGE - 1] < breaks[0] < tables[PER_PAGE]
    border = doc.tables[0]._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top"))
    assert border.get(qn("w:val")) == "dashed"  # the line to cut along


def test_a_slip_without_number_or_due_date_prints_a_dash(tmp_path: Path) -> None:
    bare = Reminder("吕华", "", "到居住地社区报到", "", "", "请到社区报到。", "血站党组织", "2026年4月10日")
    cell = Document(str(write_reminders([bare], tmp_path / "one.docx"))).tables[0].rows[0].cells[0]
    lines = [p.text for p in cell.paragraphs]
    assert "编号：—" in lines and "应交回日期：—" in lines and "单位：" in lines
