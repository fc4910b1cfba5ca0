"""The DOCX, XLSX and PDF readers give the cells, spans, ticks and identifiers a person sees in the file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree
from openpyxl import Workbook

from baodao.docgen.render import render_docx
from baodao.errors import DataError
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.intake.docx_reader import read_docx
from baodao.intake.grid import TICKED, UNTICKED, Grid, Paragraph, Table
from baodao.intake.pdf_reader import read_pdf
from baodao.intake.xlsx_reader import read_xlsx
from baodao.office.pdf import convert_to_pdf
from baodao.office.programs import font_environment, soffice_binary
from baodao.office.xlsx import fill_xlsx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_DECLS = (
    f'xmlns:w="{W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
LONG_NAME = "司马李晓燕"
SENTENCE = "同意到社区报到。请按时参加（社区）活动"
SKILL_TICKS = {"写作": TICKED, "法律": TICKED, "医疗保健": TICKED, "主持": UNTICKED, "其它": UNTICKED}


# -- files ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def zz_b1_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    form = get_form("zz-b1")
    out = tmp_path_factory.mktemp("zz-b1") / "zz-b1.docx"
    return render_docx(form.docx, form.spec, sample_record(form.spec), out, form_id="SJ-1")


@dataclass(frozen=True)
class Converted:
    resaved_docx: Path  # zz-b1 opened and saved again by LibreOffice as Word 2007 XML
    zz_b1_pdf: Path
    narrow_pdf: Path


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory, zz_b1_docx: Path) -> Converted:
    """Everything LibreOffice makes for these tests: two runs, started side by side."""
    binary = soffice_binary()
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    narrow = narrow_cell_docx(out / "narrow.docx")
    # The two runs open their own copies: each LibreOffice locks the files it has open.
    own_copy = shutil.copy(zz_b1_docx, out / "zz-b1.docx")
    with tempfile.TemporaryDirectory(prefix="baodao-test-lo-") as work:
        env = font_environment() | {"HOME": work, "SAL_USE_VCLPLUGIN": "svp"}
        resave = subprocess.Popen(
            [
                binary,
                f"-env:UserInstallation={Path(work, 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(out / "resaved"),
                str(own_copy),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            zz_b1_pdf, narrow_pdf = convert_to_pdf([zz_b1_docx, narrow], out / "pdf")
        finally:
            try:
                resave.wait(timeout=120)
            except subprocess.TimeoutExpired:
                resave.kill()
                raise
    resaved = out / "resaved" / zz_b1_docx.name
    assert resaved.exists()
    return Converted(resaved, zz_b1_pdf, narrow_pdf)


def narrow_cell_docx(path: Path) -> Path:
    """Fixed-width tables: a long name in a 14 mm cell (it must wrap), two typed lines in a wide cell, and
    a sentence whose wrap the line-breaking rules move (“报” ends a line, “到。” starts the next)."""
    doc = Document()
    table = fixed_table(doc, 2, (20, 14, 80))
    texts = [["姓名", LONG_NAME, "工作单位及职务"], ["住址", "新安路", "上街区卫生健康委员会"]]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            set_cell(table, r, c, text)
    table.cell(1, 2).add_paragraph("科员")
    doc.add_paragraph("单位党组织意见：")  # keeps the tables apart; adjacent tables would merge into one
    opinion = fixed_table(doc, 1, (14, 32))  # pdfplumber takes no single cell for a table
    set_cell(opinion, 0, 0, "意见")
    set_cell(opinion, 0, 1, SENTENCE)
    doc.save(str(path))
    return path


def fixed_table(doc: DocxDocument, rows: int, widths_mm: tuple[int, ...]) -> DocxTable:
    table: DocxTable = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.autofit = False  # a fixed layout: LibreOffice keeps the widths instead of fitting the text
    for col, mm in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(mm)
        for cell in col.cells:
            cell.width = Mm(mm)
    return table


def set_cell(table: DocxTable, r: int, c: int, text: str) -> None:
    cell = table.cell(r, c)
    cell.text = text
    for run in cell.paragraphs[0].runs:
        run.font.size = Pt(10.5)
        run._r.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W}}}eastAsia", "宋体")


def hand_built_docx(path: Path) -> Path:
    """A DOCX with what people and Word put in returned forms: merges, nested tables, controls, ticks."""
    doc = Document()
    doc.add_paragraph("报到地党组织：新安社区")
    name = doc.add_paragraph("姓名：")
    append_xml(
        name,
        '<w:sdt><w:sdtPr><w:alias w:val="姓名"/><w:text/></w:sdtPr>'
        "<w:sdtContent><w:r><w:t>王芳</w:t></w:r></w:sdtContent></w:sdt>",
    )
    gender = doc.add_paragraph("性别：男")
    append_xml(gender, '<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>')
    gender.add_run(" 女")
    append_xml(gender, '<w:r><w:sym w:font="Wingdings 2" w:char="F0A3"/></w:r>')
    gender.add_run(" 未知")
    append_xml(gender, '<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>')
    status = doc.add_paragraph("党员")
    append_xml(status, checkbox_control(checked=True))
    status.add_run(" 群众")
    append_xml(status, checkbox_control(checked=False))
    status.add_run(" 已报到")
    append_xml(status, legacy_checkbox('<w:default w:val="0"/><w:checked/>'))
    status.add_run(" 已培训")
    append_xml(status, legacy_checkbox('<w:default w:val="1"/>'))
    status.add_run(" 已离职")
    append_xml(status, legacy_checkbox('<w:default w:val="1"/><w:checked w:val="0"/>'))
    letters = doc.add_paragraph("志愿者")
    append_xml(
        letters,
        '<w:r><w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr><w:t>R</w:t></w:r>',
    )
    letters.add_run(" 党员√ 团员☐")
    degree = doc.add_paragraph("学历：")
    entries = "".join(f'<w:listEntry w:val="{e}"/>' for e in ("高中", "大学本科", "研究生"))
    append_xml(degree, legacy_field(f'<w:ddList><w:result w:val="1"/>{entries}</w:ddList>', "FORMDROPDOWN"))
    nation = doc.add_paragraph("民族：")
    append_xml(
        nation,
        "<w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr>"
        "<w:sdtContent><w:r><w:t>单击或点击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt>",
    )
    phone = doc.add_paragraph("联系电话：")
    append_xml(
        phone,
        '<w:del w:id="1" w:author="a"><w:r><w:delText>13900000000</w:delText></w:r></w:del>',
    )
    append_xml(phone, '<w:ins w:id="2" w:author="a"><w:r><w:t>13800000000</w:t></w:r></w:ins>')
    lines = doc.add_paragraph("第一行")
    append_xml(lines, "<w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>尾</w:t></w:r>")
    boxed = doc.add_paragraph("见框：")
    box = "<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>"
    append_xml(
        boxed,
        f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}'
        f"</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    controlled = doc.add_paragraph("备注：无")
    wrap_in_control(controlled._p)

    table = doc.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "工作单位及职务"
    table.cell(0, 2).text = "上街区卫生健康委员会 科员"
    table.cell(0, 3).text = "科员"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "家庭住址"
    table.cell(1, 1).merge(table.cell(2, 2)).text = "新安路18号"
    table.cell(1, 3).text = "邮编"
    table.cell(2, 3).text = "450041"
    table.cell(3, 0).text = "积分"
    detail = table.cell(3, 1)
    detail.text = "明细"
    inner = detail.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "服务次数", (0, 1): "5", (1, 0): "星级", (1, 1): "3"}.items():
        inner.cell(r, c).text = text
    table.cell(3, 2).text = "合计36分"
    wrap_in_control(table.rows[3]._tr)  # a repeating-section control around a row
    wrap_in_control(table.cell(0, 2)._tc)  # a control around one cell
    doc.add_paragraph("（完）")
    doc.save(str(path))
    return path


def append_xml(paragraph: DocxParagraph, xml: str) -> None:
    """Append WordprocessingML written as Word writes it (``xml`` may hold several runs)."""
    holder = etree.fromstring(f"<w:p {NS_DECLS}>{xml}</w:p>")
    for child in list(holder):
        paragraph._p.append(child)


def wrap_in_control(element: etree._Element) -> None:
    sdt = etree.fromstring(f"<w:sdt {NS_DECLS}><w:sdtPr/><w:sdtContent/></w:sdt>")
    element.addprevious(sdt)
    sdt[1].append(element)


def checkbox_control(checked: bool) -> str:
    glyph = "☒" if checked else "☐"
    return (
        f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr>'
        f"<w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def legacy_checkbox(state: str) -> str:
    return legacy_field(f"<w:checkBox><w:sizeAuto/>{state}</w:checkBox>", "FORMCHECKBOX")


def legacy_field(data: str, code: str) -> str:
    """A pre-2007 form field as Word writes it: begin (with its w:ffData), field code, end."""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="F"/><w:enabled/>{data}'
        f'</w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def paragraph_texts(grid: Grid) -> list[str]:
    return [p.text for p in grid.paragraphs]


def cell_starting(table: Table, prefix: str) -> str:
    return next(c.text for c in table.cells if c.text.startswith(prefix))


# -- DOCX -------------------------------------------------------------------------------------------------
def assert_zz_b1_cells(table: Table) -> None:
    assert (table.n_rows, table.n_cols) == (5, 10)
    assert [c.text for c in table.row_cells(0)[:4]] == ["姓名", "李晓燕", "性别", "女"]
    label = table.at(1, 0)
    assert label is not None and label.text == "工作单位及职务"
    assert (label.rowspan, label.colspan) == (1, 2) and table.at(1, 1) is label
    value = table.at(1, 2)
    assert value is not None and value.text == "上街区卫生健康委员会 科员" and value.colspan == 4
    skills = cell_starting(table, "写作")
    for skill, mark in SKILL_TICKS.items():
        assert skill + mark in skills
    assert skills.count(TICKED) == 3 and skills.count("\n") == 7


def test_docx_generated_form(zz_b1_docx: Path) -> None:
    grid = read_docx(zz_b1_docx)
    assert grid.kind == "docx" and grid.title == "在职党员社区报到证"
    assert "报到地党组织：中共上街区济源路街道新安社区委员会" in paragraph_texts(grid)
    assert "SJ-1" in paragraph_texts(grid)  # the printed id beside the QR code
    [table] = grid.tables
    assert_zz_b1_cells(table)
    assert cell_starting(table, "1.") == "1. 政策宣讲\n2. 法律援助\n3. 义务护绿"
    assert grid.properties == {"baodao.form_key": "zz-b1", "baodao.form_id": "SJ-1"}
    assert grid.qr_payloads == ["BD1|zz-b1|SJ-1"]


def test_docx_hand_built_structures(tmp_path: Path) -> None:
    grid = read_docx(hand_built_docx(tmp_path / "hand.docx"))
    texts = paragraph_texts(grid)
    assert texts[:3] == [
        "报到地党组织：新安社区",
        "姓名：王芳",
        f"性别：男{TICKED} 女{UNTICKED} 未知{UNTICKED}",
    ]
    assert f"党员{TICKED} 群众{UNTICKED} 已报到{TICKED} 已培训{TICKED} 已离职{UNTICKED}" in texts
    assert f"志愿者{TICKED} 党员{TICKED} 团员{UNTICKED}" in texts
    assert "学历：大学本科" in texts  # a legacy drop-down shows its chosen entry
    assert "民族：" in texts  # an unfilled control's prompt is no value
    assert "联系电话：13800000000" in texts  # the insertion, not the deletion
    assert "第一行\n第二行\t尾" in texts
    assert texts.count("框内文字") == 1  # the text box once, not again from its VML fallback
    assert texts.index("框内文字") == texts.index("见框：") + 1
    assert "备注：无" in texts  # a block-level content control
    assert texts[-1] == "（完）"

    outer, inner = grid.tables
    assert grid.blocks.index(inner) == grid.blocks.index(outer) + 1
    assert (outer.n_rows, outer.n_cols) == (4, 4)
    job = outer.at(0, 0)
    assert job is not None and job.text == "工作单位及职务" and job.colspan == 2
    assert outer.at(0, 2) is not None and outer.at(0, 2).text == "上街区卫生健康委员会 科员"  # type: ignore[union-attr]
    address = outer.at(1, 0)
    assert address is not None and (address.text, address.rowspan, address.colspan) == ("家庭住址", 2, 1)
    block = outer.at(2, 2)
    assert block is not None and block.text == "新安路18号"
    assert (block.row, block.col, block.rowspan, block.colspan) == (1, 1, 2, 2)
    assert [c.text for c in outer.row_cells(2)] == ["家庭住址", "新安路18号", "450041"]
    assert len(outer.cells) == 11  # each merged cell once, unlike python-docx's row.cells
    detail = outer.at(3, 1)
    assert detail is not None and detail.text.split("\n")[:5] == ["明细", "服务次数", "5", "星级", "3"]
    # The third row sits in a repeating-section control.
    assert [c.text for c in outer.row_cells(3)] == ["积分", detail.text, "合计36分", ""]
    assert [(c.text, c.row, c.col) for c in inner.cells] == [
        ("服务次数", 0, 0),
        ("5", 0, 1),
        ("星级", 1, 0),
        ("3", 1, 1),
    ]


def test_docx_grid_is_the_one_its_cells_draw(tmp_path: Path) -> None:
    """A grid column no cell starts or ends at is dropped, as LibreOffice drops it when it saves."""
    doc = Document()
    table = doc.add_table(rows=2, cols=4)
    for r, (label, value, extra) in enumerate([("姓名", "李晓燕   ", "女"), ("电话", "13800000000", "")]):
        table.cell(r, 0).text = label
        table.cell(r, 1).merge(table.cell(r, 2)).text = value
        table.cell(r, 3).text = extra
    doc.save(str(tmp_path / "grid.docx"))
    [read] = read_docx(tmp_path / "grid.docx").tables
    assert (read.n_rows, read.n_cols) == (2, 3)
    assert [(c.text, c.col, c.colspan) for c in read.row_cells(0)] == [
        ("姓名", 0, 1),
        ("李晓燕", 1, 1),
        ("女", 2, 1),
    ]


def test_docx_resaved_by_libreoffice_reads_the_same(zz_b1_docx: Path, converted: Converted) -> None:
    original, resaved = read_docx(zz_b1_docx), read_docx(converted.resaved_docx)
    assert_zz_b1_cells(resaved.tables[0])
    assert resaved.tables[0].cells == original.tables[0].cells
    assert [p for p in resaved.paragraphs if p.text] == original.paragraphs
    assert resaved.properties["baodao.form_id"] == "SJ-1"
    assert resaved.qr_payloads == ["BD1|zz-b1|SJ-1"]


def test_docx_that_is_not_one_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DataError, match=r"bad\.docx"):
        read_docx(bad)


# -- XLSX -------------------------------------------------------------------------------------------------
def test_xlsx_generated_form(tmp_path: Path) -> None:
    form = get_form("zz-f1")
    assert form.xlsx is not None
    grid = read_xlsx(fill_xlsx(form.xlsx, form.spec, sample_record(form.spec), tmp_path / "zz-f1.xlsx"))
    assert grid.kind == "xlsx" and grid.title == "在职党员志愿服务情况汇总表"
    assert grid.properties == {"baodao.form_key": "zz-f1"}
    [table] = grid.tables
    title = table.at(0, 4)
    assert title is not None and title.text == "在职党员志愿服务情况汇总表"
    assert (title.col, title.colspan) == (0, 5)
    assert [c.text for c in table.row_cells(1)] == [
        "单位党组织：",
        "上街区卫生健康委员会机关党委",
        "",
        "统计时段：",
        "2025年上半年",
    ]
    assert [c.text for c in table.row_cells(3)] == ["姓名", "是否报到", "积分情况", "评星情况", "社区评语"]
    assert [c.text for c in table.row_cells(4)][:4] == ["李晓燕", "是", "36", "3"]
    assert table.n_rows == 9  # the unfilled printed rows below the five members are trimmed


def test_xlsx_hand_made_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["B2"] = "党员信息登记表"
    ws.merge_cells("B2:E2")
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "姓名", "李晓燕", "报到日期", date(2025, 3, 12)
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "积分", 36.0, "比例", 2.5
    ws["B5"], ws["C5"] = "住址", "新安路18号\n3号楼"
    ws.merge_cells("C5:E6")
    ws["F5"] = "☑"
    ws["H12"].number_format = "0.00"  # formatted but empty: not part of the table
    wb.create_sheet("空白")
    wb.create_sheet("附页")["A1"] = "附：说明"
    hidden = wb.create_sheet("选项")
    hidden["A1"], hidden.sheet_state = "是", "hidden"
    wb.properties.keywords, wb.properties.title = "baodao zz-b1", "登记表"
    path = tmp_path / "hand.xlsx"
    wb.save(path)

    grid = read_xlsx(path)
    assert grid.title == "登记表" and grid.properties == {"baodao.form_key": "zz-b1"}
    table, extra = grid.tables
    assert (table.n_rows, table.n_cols) == (5, 5)
    head = table.at(0, 3)
    assert head is not None and (head.text, head.row, head.col, head.colspan) == ("党员信息登记表", 0, 0, 4)
    assert [c.text for c in table.row_cells(1)] == ["姓名", "李晓燕", "报到日期", "2025-03-12", ""]
    assert [c.text for c in table.row_cells(2)] == ["积分", "36", "比例", "2.5", ""]
    address = table.at(4, 3)
    assert address is not None and (address.text, address.row, address.col) == ("新安路18号\n3号楼", 3, 1)
    assert (address.rowspan, address.colspan) == (2, 3) and table.at(3, 1) is address
    assert table.at(3, 4) is not None and table.at(3, 4).text == TICKED  # type: ignore[union-attr]
    assert [c.text for c in extra.cells] == ["附：说明"]


# -- PDF --------------------------------------------------------------------------------------------------
def test_pdf_of_generated_form(converted: Converted) -> None:
    grid = read_pdf(converted.zz_b1_pdf)
    assert grid.kind == "pdf" and grid.title == "在职党员社区报到证"
    assert grid.properties["baodao.form_key"] == "zz-b1"
    texts = paragraph_texts(grid)
    assert texts.index("在职党员社区报到证") < texts.index("报到地党组织：中共上街区济源路街道新安社区委员会")
    assert "SJ-1" in texts
    [table] = grid.tables
    assert grid.blocks.index(Paragraph("编号：SJ-2025-0001")) < grid.blocks.index(table)
    assert (table.n_rows, table.n_cols) == (5, 10)
    assert [c.text for c in table.row_cells(0)[:4]] == ["姓名", "李晓燕", "性别", "女"]
    label, value = table.at(1, 0), table.at(1, 2)
    assert label is not None and (label.text, label.colspan) == ("工作单位及职务", 2)
    # The value wraps at its space; a PDF does not keep the space at a line end, so it reads joined.
    assert value is not None and value.text == "上街区卫生健康委员会科员" and value.colspan == 4
    assert table.at(2, 2) is not None and table.at(2, 2).text == "上街区新安路18号院3号楼2单元501"  # type: ignore[union-attr]
    assert cell_starting(table, "技能特长") == "技能特长（请在“□”内打■选择，可多选）"
    assert cell_starting(table, "服务意向") == "服务意向（至少填报2个）"
    skills = cell_starting(table, "写作")
    assert all(skill + mark in skills for skill, mark in SKILL_TICKS.items())
    assert skills.count("\n") == 7  # one line per typed paragraph, none joined to the next
    assert cell_starting(table, "1.") == "1. 政策宣讲\n2. 法律援助\n3. 义务护绿"
    assert cell_starting(table, "同意") == "同意到社区报到。\n（盖章）\n2025年3月12日"


def test_pdf_wrapped_name_is_joined_and_typed_lines_kept(converted: Converted) -> None:
    with pdfplumber.open(converted.narrow_pdf) as pdf:
        first, second = pdf.pages[0].extract_tables()
    raw, moved = first[0][1], second[0][1]
    assert raw is not None and moved is not None
    assert "\n" in raw and raw.replace("\n", "") == LONG_NAME  # it did wrap in the PDF
    assert "报\n到。" in moved  # “。” may not start a line, so “到” went down with it
    table, sentence = read_pdf(converted.narrow_pdf).tables
    assert [c.text for c in table.row_cells(0)] == ["姓名", LONG_NAME, "工作单位及职务"]
    assert [c.text for c in table.row_cells(1)] == ["住址", "新安路", "上街区卫生健康委员会\n科员"]
    assert [c.text for c in sentence.cells] == ["意见", SENTENCE]
    assert "单位党组织意见：" in paragraph_texts(read_pdf(converted.narrow_pdf))


def test_pdf_that_is_not_one_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("%PDF-1.4 nothing else", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.pdf"):
        read_pdf(bad)
