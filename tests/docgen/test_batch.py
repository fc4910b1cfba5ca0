"""Batch generation from a roster: values kept, bad rows reported and left out, ids and register stable."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from baodao.docgen.batch import GenerateOptions, GenerateResult
from baodao.docgen.batch import generate as generate_forms
from baodao.errors import DataError, OutputExistsError
from baodao.form_templates.catalog import Form, get_form
from baodao.store.db import connect
from baodao.store.register import list_issued, record_issued
from tests.conftest import pdf_text

HEADERS = [
    "编号",
    "姓名",
    "性别",
    "年龄",
    "入党时间",
    "工作单位及职务",
    "联系方式",
    "家庭住址",
    "所属社区",
    "技能特长（请在“□”内打√选择，可多选）",
    "服务意向",
    "报到地党组织",
]
GOOD = [
    [
        "B-001",
        "李晓燕",
        "女",
        36.0,
        dt.datetime(2010, 7, 1),
        "区卫健委 科员",
        3712345678,
        "新安路1号",
        "新安社区",
        "写作、外语",
        "政策宣讲、法律援助",
        "新安社区党委",
    ],
    [
        "B-002",
        "王建国",
        "男",
        41,
        "2001年5月",
        "区审计局 科长",
        "13803710002",
        "中心路2号",
        "金华社区",
        "写作,法律",
        "环境整治；治安巡逻",
        "金华社区党委",
    ],
]
BAD = [
    [
        "B-003",
        "赵磊",
        "男",
        "三十",
        dt.datetime(2012, 1, 1),
        "区财政局",
        "13803710003",
        "工业路3号",
        "新安社区",
        "写作",
        "政策宣讲、科普宣传",
        "新安社区党委",
    ],
    [
        "B-004",
        "",
        "女",
        30,
        dt.datetime(2015, 3, 1),
        "区教育局",
        "123",
        "峡窝路4号",
        "峡窝社区",
        "书法",
        "政策宣讲",
        "峡窝社区党委",
    ],
    [
        "B-005",
        '=HYPERLINK("x")',
        "男",
        33,
        dt.datetime(2016, 3, 1),
        "区统计局",
        "13803710005",
        "新安路5号",
        "新安社区",
        "写作",
        "政策宣讲、法律援助",
        "新安社区党委",
    ],
]


def db_of(options: GenerateOptions) -> str:
    """The register database of a test batch: beside its output folder."""
    return str(options.outdir.parent / "db.sqlite3")


def generate(form: Form, data: Path, options: GenerateOptions) -> GenerateResult:
    """A batch generated and registered, as the CLI does it."""
    engine = connect(db_of(options))
    return generate_forms(form, data, options, register=lambda entries: record_issued(engine, entries))


def roster(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["测试名册（合成数据）"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
        ws.cell(ws.max_row, 7).number_format = "00000000000"  # a phone typed as a number keeps its zero
        name = ws.cell(ws.max_row, 2)
        if isinstance(name.value, str) and name.value.startswith("="):
            name.data_type = "s"  # typed as text (a leading apostrophe in Excel), not a formula
    wb.save(path)
    return path


@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, GenerateOptions]:
    data = roster(tmp_path / "名册.xlsx", GOOD + BAD)
    options = GenerateOptions(
        outdir=tmp_path / "out",
        pdf=True,
        issue_date=dt.date(2025, 3, 1),
        issuer="上街区委组织部",
    )
    return data, options


def test_good_rows_become_forms_with_their_values(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    result = generate(get_form("zz-b1"), data, options)
    docs = sorted(f.name for f in result.files)
    assert docs == ["zz-b1-B-001-李晓燕.docx", "zz-b1-B-002-王建国.docx", "zz-b1-B-005-=HYPERLINK(_x_).docx"]
    first = Document(str(options.outdir / "zz-b1-B-001-李晓燕.docx"))
    row0 = [c.text for c in first.tables[0].rows[0].cells]
    assert row0[1] == "李晓燕" and row0[5] == "36" and row0[9] == "2010年7月"
    assert first.tables[0].rows[1].cells[-1].text == "03712345678"  # leading zero kept
    ticks = first.tables[0].rows[4].cells[0].text
    assert "写作■" in ticks and "外语■" in ticks and "主持□" in ticks
    second = Document(str(options.outdir / "zz-b1-B-002-王建国.docx")).tables[0]
    assert second.rows[0].cells[9].text == "2001年5月"
    assert "法律■" in second.rows[4].cells[0].text
    assert "1. 环境整治" in second.rows[4].cells[5].text and "2. 治安巡逻" in second.rows[4].cells[5].text


def test_bad_rows_are_reported_by_row_and_column_and_left_out(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    result = generate(get_form("zz-b1"), data, options)
    text = [str(p) for p in result.problems]
    assert "第5行 赵磊 D列（年龄）：“三十” “三十”不是整数" in text  # the member named, not only the row
    assert any(t.startswith("第6行 B列（姓名）：（空） 必填项未填写") for t in text)
    assert any(t.startswith("第6行 G列（联系方式）：“123” “123”不像电话号码") for t in text)
    assert any(
        "第6行 J列（技能特长（请在“□”内打√选择，可多选））：“书法”" in t and "不是“技能特长”的选项" in t
        for t in text
    )
    assert any(t.startswith("第6行 K列（服务意向）：“政策宣讲” 至少应有2项，现有1项") for t in text)
    assert result.skipped_rows == 2
    assert not list(options.outdir.glob("*赵磊*"))
    assert result.report is not None
    report = load_workbook(result.report).active
    rows = [[c.value for c in r] for r in report.iter_rows(min_row=3)]
    assert [5, "赵磊", "D列（年龄）", "三十", "“三十”不是整数"] in rows


def test_combined_pdf_has_one_page_per_form_with_values(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    result = generate(get_form("zz-b1"), data, options)
    assert result.combined_pdf is not None
    with pdfplumber.open(result.combined_pdf) as pdf:
        assert len(pdf.pages) == 3 * get_form("zz-b1").spec.pages
    text = pdf_text(result.combined_pdf)
    for value in ("李晓燕", "03712345678", "2010年7月", "王建国", "13803710002", "B-001", "B-002"):
        assert value in text
    assert "赵磊" not in text


def test_formula_like_values_stay_text(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    generate(get_form("zz-b1"), data, options)
    doc = Document(str(options.outdir / "zz-b1-B-005-=HYPERLINK(_x_).docx"))
    assert doc.tables[0].cell(0, 1).text == '=HYPERLINK("x")'


def test_rerun_adds_nothing_to_the_register(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    first = generate(get_form("zz-b1"), data, options)
    again = generate(get_form("zz-b1"), data, options)
    assert (first.registered, first.already_registered) == (3, 0)
    assert (again.registered, again.already_registered) == (0, 3)
    entries = list_issued(connect(db_of(options)))
    assert [(e.form_id, e.recipient, e.due_date) for e in entries][:2] == [
        ("B-001", "李晓燕", dt.date(2025, 3, 31)),
        ("B-002", "王建国", dt.date(2025, 3, 31)),
    ]
    assert list_issued(connect(db_of(options)), overdue_on=dt.date(2025, 4, 1))[0].form_id == "B-001"
    assert list_issued(connect(db_of(options)), overdue_on=dt.date(2025, 3, 31)) == []


def test_strict_writes_nothing(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    strict = GenerateOptions(**{**options.__dict__, "strict": True})
    with pytest.raises(
        DataError, match=r"有 2 行不符合要求（--strict：未生成任何文件）[\s\S]*第5行 赵磊 D列（年龄）"
    ):
        generate(get_form("zz-b1"), data, strict)
    assert not options.outdir.exists() or not any(options.outdir.iterdir())
    assert list_issued(connect(db_of(options))) == []


def test_a_users_file_is_never_overwritten(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    options.outdir.mkdir()
    mine = options.outdir / "zz-b1-combined.docx"
    mine.write_bytes(b"my own notes")
    with pytest.raises(OutputExistsError, match=r"zz-b1-combined\.docx"):
        generate(get_form("zz-b1"), data, options)
    assert mine.read_bytes() == b"my own notes"
    assert sorted(p.name for p in options.outdir.iterdir()) == ["zz-b1-combined.docx"]


def test_ids_are_stable_without_a_number_column(tmp_path: Path) -> None:
    rows = [dict(zip(HEADERS[1:], r[1:], strict=True)) for r in GOOD]
    for r in rows:
        r["入党时间"] = str(r["入党时间"])[:10]
        r["联系方式"] = f"0{r['联系方式']}" if isinstance(r["联系方式"], int) else r["联系方式"]
    data = tmp_path / "roster.json"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    options = GenerateOptions(outdir=tmp_path / "a", combined=False)
    first = generate(get_form("zz-b1"), data, options)
    second = generate(
        get_form("zz-b1"), data, GenerateOptions(**{**options.__dict__, "outdir": tmp_path / "b"})
    )
    assert [f.name for f in first.files] == [f.name for f in second.files]
    ident = re.match(r"zz-b1-([A-Z2-7]{10})-李晓燕\.docx", first.files[0].name)
    assert ident is not None
    assert f">{ident.group(1)}<" in zipfile.ZipFile(first.files[0]).read("word/document.xml").decode()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_either_encoding(tmp_path: Path, encoding: str) -> None:
    data = tmp_path / "roster.csv"
    with open(data, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerow(
            [
                "B-9",
                "陈静",
                "女",
                "29",
                "2018-06-30",
                "区民政局",
                "037112345678",
                "金华路9号",
                "金华社区",
                "摄影",
                "政策宣讲、法律援助",
                "金华社区党委",
            ]
        )
    result = generate(
        get_form("zz-b1"),
        data,
        GenerateOptions(outdir=tmp_path / "o", combined=False),
    )
    doc = Document(str(result.files[0])).tables[0]
    assert doc.rows[0].cells[1].text == "陈静" and doc.rows[1].cells[-1].text == "037112345678"
    assert doc.rows[0].cells[9].text == "2018年6月"


def test_duplex_starts_each_form_on_an_odd_page(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    duplex = GenerateOptions(**{**options.__dict__, "duplex": True})
    result = generate(get_form("zz-b1"), data, duplex)
    assert result.combined_pdf is not None
    with pdfplumber.open(result.combined_pdf) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    assert len(texts) == 5  # three one-page forms, each followed by a blank back but the last
    assert "李晓燕" in texts[0] and texts[1].strip() == "" and "王建国" in texts[2]


def test_a_column_the_roster_lacks_is_left_blank_for_handwriting(tmp_path: Path) -> None:
    data = roster(tmp_path / "r.xlsx", GOOD)
    wb = load_workbook(data)
    wb.active.delete_cols(10, 2)  # 技能特长, 服务意向: the member ticks and writes them on paper
    wb.active.insert_cols(1)
    wb.active["A2"] = "序号"  # a roster's own column, under a title row
    wb.save(data)
    with pytest.raises(DataError, match=r"必填项服务意向，未生成任何文件[\s\S]*服务意向：数据中没有相应的列"):
        generate(get_form("zz-b1"), data, GenerateOptions(outdir=tmp_path / "o"))
    assert not (tmp_path / "o").exists()
    options = GenerateOptions(outdir=tmp_path / "o", blank=frozenset({"服务意向"}))
    result = generate(get_form("zz-b1"), data, options)
    assert result.problems == [] and result.blank_fields == ["服务意向"]
    assert result.unused_columns == ["序号"]
    card = Document(str(result.files[0])).tables[0]
    assert card.rows[0].cells[1].text == "李晓燕"
    assert "写作□" in card.rows[4].cells[0].text and "■" not in card.rows[4].cells[0].text
    assert card.rows[4].cells[5].text.strip() == ""


def summary_roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["单位党组织", "社区党组织", "统计时段", "姓名", "是否报到", "积分情况", "评星情况", "社区评语"]
    )
    for unit, name, reported, points in [
        ("卫健委机关党委", "李晓燕", "是", 36),
        ("人民医院党委", "赵磊", "是", 52),
        ("卫健委机关党委", "王建国", "否", 0),
        ("人民医院党委", "陈静", "是", "十二"),
    ]:
        ws.append(
            [
                unit,
                "新安社区党委",
                "2025年上半年",
                name,
                reported,
                points,
                points // 10 if isinstance(points, int) else 1,
                "表现良好",
            ]
        )
    wb.save(path)
    return path


def test_table_form_rows_are_grouped_into_one_summary_each(tmp_path: Path) -> None:
    data = summary_roster(tmp_path / "汇总.xlsx")
    options = GenerateOptions(outdir=tmp_path / "out", group_by="单位党组织")
    result = generate(get_form("zz-f1"), data, options)
    docs = [f for f in result.files if f.suffix == ".docx"]
    assert [f.name.rsplit("-", 1)[1] for f in docs] == ["卫健委机关党委.docx"]
    assert [str(p) for p in result.problems] == ["第5行 F列（积分情况）：“十二” “十二”不是整数"]
    sheet = load_workbook(docs[0].with_suffix(".xlsx")).active
    layout = get_form("zz-f1").spec.xlsx
    assert layout is not None
    rows = [
        [c.value for c in r] for r in sheet.iter_rows(min_row=layout.first_row, max_row=layout.first_row + 1)
    ]
    assert rows == [["李晓燕", "是", 36, 3, "表现良好"], ["王建国", "否", 0, 0, "表现良好"]]
    table = Document(str(docs[0])).tables[-1]
    assert [c.text for c in table.rows[1].cells][:4] == ["1", "李晓燕", "是", "36"]


def test_group_by_needs_a_table_form(batch: tuple[Path, GenerateOptions]) -> None:
    data, options = batch
    with pytest.raises(DataError, match="不是汇总类表格"):
        generate(get_form("zz-b1"), data, GenerateOptions(**{**options.__dict__, "group_by": "姓名"}))


UNIT_ROSTER = ["编号", "姓名", "性别", "出生年月", "入党时间", "工作单位", "职务", "手机号码", "家庭住址"]
UNIT_ROSTER += ["所属社区", "服务意向", "报到地党组织"]


def unit_roster(path: Path) -> Path:
    """A roster as a unit keeps it: 出生年月, 工作单位 + 职务 and 手机号码 instead of the form's labels."""
    wb = Workbook()
    ws = wb.active
    ws.append(UNIT_ROSTER)
    first = ["U-1", "李晓燕", "女", dt.datetime(1989, 5, 12), "2010年7月", "区卫健委", "科员", "13803710001"]
    second = ["U-2", "王建国", "男", "1984年2月", "2001年5月", "区审计局", "科长", "13803710002"]
    ws.append([*first, "新安路1号", "新安社区", "政策宣讲、法律援助", "新安社区党委"])
    ws.append([*second, "中心路2号", "金华社区", "环境整治、治安巡逻", "金华社区党委"])
    wb.save(path)
    return path


def test_required_fields_without_a_column_stop_before_anything_is_written(tmp_path: Path) -> None:
    data = unit_roster(tmp_path / "名册.xlsx")
    options = GenerateOptions(outdir=tmp_path / "out", issue_date=dt.date(2025, 3, 1))
    with pytest.raises(DataError) as caught:
        generate(get_form("zz-b1"), data, options)
    message = str(caught.value)
    assert "缺少表单 zz-b1（在职党员社区报到证）的必填项年龄、工作单位及职务、联系方式" in message
    assert "年龄：可由“出生年月”列按发放日期算出" in message
    assert "工作单位及职务：可由“工作单位”“职务”两列合并" in message
    assert "联系方式：可用“手机号码”列" in message
    assert not options.outdir.exists()
    assert list_issued(connect(db_of(options))) == []


def test_mapped_columns_fill_the_form_and_birth_dates_give_ages(tmp_path: Path) -> None:
    data = unit_roster(tmp_path / "名册.xlsx")
    options = GenerateOptions(
        outdir=tmp_path / "out",
        issue_date=dt.date(2025, 3, 1),
        column_map={"手机号码": "联系方式", "出生年月": "age", "工作单位+职务": "工作单位及职务"},
    )
    result = generate(get_form("zz-b1"), data, options)
    assert result.problems == [] and result.unused_columns == []
    first = Document(str(options.outdir / "zz-b1-U-1-李晓燕.docx")).tables[0]
    assert first.rows[0].cells[5].text == "35"  # born 12 May 1989: 35 on 1 March 2025
    cells = [c.text for r in first.rows for c in r.cells]
    assert "区卫健委 科员" in cells and "13803710001" in cells
    second = Document(str(options.outdir / "zz-b1-U-2-王建国.docx")).tables[0]
    assert second.rows[0].cells[5].text == "41"  # February 1984: 41 by March 2025


def test_fields_left_blank_are_printed_empty_and_said(tmp_path: Path) -> None:
    data = unit_roster(tmp_path / "名册.xlsx")
    options = GenerateOptions(
        outdir=tmp_path / "out",
        issue_date=dt.date(2025, 3, 1),
        column_map={"工作单位+职务": "工作单位及职务"},
        blank=frozenset({"联系方式", "age"}),
    )
    result = generate(get_form("zz-b1"), data, options)
    assert result.blank_fields == ["年龄", "联系方式"]
    assert result.unused_columns == ["出生年月", "手机号码"]
    first = Document(str(options.outdir / "zz-b1-U-1-李晓燕.docx")).tables[0]
    assert first.rows[0].cells[5].text.strip() == ""
    assert "13803710001" not in [c.text for r in first.rows for c in r.cells]


def test_a_map_naming_what_is_not_there_says_what_is(tmp_path: Path) -> None:
    data = unit_roster(tmp_path / "名册.xlsx")
    options = GenerateOptions(outdir=tmp_path / "out", column_map={"手机": "联系方式"})
    with pytest.raises(DataError, match=r"没有名为“手机”的列（第1行的列名：编号、姓名"):
        generate(get_form("zz-b1"), data, options)
    options = GenerateOptions(outdir=tmp_path / "out", blank=frozenset({"电话"}))
    with pytest.raises(DataError, match=r"表单 zz-b1 没有“电话”这一项（可用：报到地党组织、编号"):
        generate(get_form("zz-b1"), data, options)
