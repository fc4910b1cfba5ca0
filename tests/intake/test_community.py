"""Forms in a community's own layout (the standards let each community change its templates) read right.

Each layout here differs from baodao's: other label positions and widths, merged cells, blank rows, and
each way of ticking a box: ☑ typed, √ written, a Wingdings symbol, a Word checkbox control, a legacy form
field. None carries baodao's id, so each is told by its title and labels.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable

from baodao.intake.model import ReadRecord
from baodao.intake.run import read_file
from tests.intake.test_readers import append_xml, checkbox_control, legacy_checkbox

WINGDINGS2_TICKED = '<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>'
WINGDINGS2_EMPTY = '<w:r><w:sym w:font="Wingdings 2" w:char="F0A3"/></w:r>'


def read(path: Path) -> ReadRecord:
    outcome = read_file(path)
    assert isinstance(outcome, ReadRecord), getattr(outcome, "reason", outcome)
    return outcome


def grid_table(doc: DocxDocument, rows: list[list[str]]) -> DocxTable:
    table: DocxTable = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def test_registration_card_in_a_communitys_layout(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("新安社区在职党员社区报到证（社区自用）")
    doc.add_paragraph("报到地党组织：中共新安社区委员会        编号：XA-2025-017")
    table = grid_table(
        doc,
        [
            ["姓  名", "赵磊", "性别", ""],
            ["年龄", "41", "学历", "硕士研究生"],
            ["工作单位及职务", "区审计局 科长", "", ""],
            ["联系方式", "13803710017", "家庭住址", "新安路17号"],
            ["所属社区", "新安社区", "入党时间", "2001年5月"],
            ["技能特长", "", "", ""],
            ["服务意向（至少填报2个）", "1、政策宣讲\n2、法律援助", "", ""],
        ],
    )
    table.cell(2, 1).merge(table.cell(2, 3))
    table.cell(5, 1).merge(table.cell(5, 3))
    gender = table.cell(0, 3).paragraphs[0]
    append_xml(
        gender,
        checkbox_control(True)
        + "<w:r><w:t xml:space='preserve'>男 </w:t></w:r>"
        + checkbox_control(False)
        + "<w:r><w:t>女</w:t></w:r>",
    )
    skills = table.cell(5, 1).paragraphs[0]
    for option, ticked in (("写作", False), ("法律", True), ("摄影", True), ("外语", False)):
        append_xml(
            skills, f"<w:r><w:t>{option}</w:t></w:r>" + (WINGDINGS2_TICKED if ticked else WINGDINGS2_EMPTY)
        )
    path = tmp_path / "新安社区报到证.docx"
    doc.save(str(path))
    got = read(path)
    assert got.form == "zz-b1" and got.form_id == "XA-2025-017"
    fields = got.fields
    assert fields["name"] == "赵磊" and fields["gender"] == "男" and fields["age"] == 41
    assert fields["organization"] == "中共新安社区委员会" and fields["number"] == "XA-2025-017"
    assert fields["employer_and_post"] == "区审计局 科长" and fields["phone"] == "13803710017"
    assert fields["joined_party_on"] == "2001-05-01" and fields["education"] == "硕士研究生"
    assert fields["skills"] == ["摄影", "法律"]  # in the order the form prints its options
    assert fields["intentions"] == ["政策宣讲", "法律援助"]
    assert got.issues == []


def test_activity_card_rated_with_a_written_tick(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("驻地单位党组织与社区结对共建活动卡")
    grid_table(
        doc,
        [
            ["驻地单位党组织名称", "区供电公司党支部", "单位地址", "蕰川路1号"],
            ["驻地单位参与社区服务的表现", "□优秀  √良好  □一般  □较差", "", ""],
            ["社区党组织评语", "积极参与社区服务。", "", ""],
        ],
    )
    path = tmp_path / "活动卡.docx"
    doc.save(str(path))
    got = read(path)
    assert got.form == "yp-a3"
    assert got.fields["performance"] == "良好"
    assert got.fields["unit_organization_name"] == "区供电公司党支部"
    assert got.fields["unit_address"] == "蕰川路1号"


def test_summary_with_its_own_columns_and_blank_rows(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("在职党员志愿服务情况汇总表")
    doc.add_paragraph("单位党组织：区审计局机关党委")
    doc.add_paragraph("社区党组织：新安社区党委")
    doc.add_paragraph("统计时段：2025年上半年")
    table = grid_table(
        doc,
        [
            ["序号", "姓名", "社区评语", "是否报到", "积分情况", "评星情况"],
            ["1", "赵磊", "表现突出", "是", "52", "5星"],
            ["2", "", "", "", "", ""],
            ["3", "王芳", "按时参加", "否", "0", "0"],
            ["", "", "", "", "", ""],
            ["合计", "", "", "", "52", ""],
        ],
    )
    table.cell(5, 1).merge(table.cell(5, 3))
    path = tmp_path / "汇总表.docx"
    doc.save(str(path))
    got = read(path)
    assert got.form == "zz-f1"
    assert got.fields["members"] == [
        {"name": "赵磊", "reported": "是", "points": 52, "stars": 5, "comment": "表现突出"},
        {"name": "王芳", "reported": "否", "points": 0, "stars": 0, "comment": "按时参加"},
    ]


def test_project_grid_ticked_with_legacy_form_fields(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("党员参与村居服务项目表")
    table = grid_table(
        doc,
        [
            ["姓名", "陈静", "性别", "女", "年龄", "29"],
            ["联系电话", "13803710029", "个人特长", "摄影", "", ""],
            ["可以提供志愿服务的时间段", "周末", "", "", "", ""],
            ["党员志愿服务公益项目类别", "环境整治", "", "家电维修", "", ""],
        ],
    )
    for col, ticked in ((2, True), (4, False)):
        append_xml(
            table.cell(3, col).paragraphs[0], legacy_checkbox("<w:default w:val='1'/>" if ticked else "")
        )
    path = tmp_path / "项目表.docx"
    doc.save(str(path))
    got = read(path)
    assert got.form == "yp-a5"
    assert got.fields["name"] == "陈静" and got.fields["age"] == 29
    assert got.fields["project_categories"] == ["环境整治"]
