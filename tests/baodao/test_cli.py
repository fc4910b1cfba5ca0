"""The CLI translates: usage errors exit 2, library errors print `Error: …` and exit 1."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from baodao.cli import COMMANDS, main
from baodao.form_templates.catalog import Form, get_form
from tests.conftest import write_roster


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_forms_lists_the_catalog(catalog: tuple[Form, ...]) -> None:
    code, out, _ = run("forms")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == len(catalog)
    assert any(line.startswith("zz-b1") and "在职党员社区报到证" in line for line in lines)


def test_forms_json_gives_every_spec(catalog: tuple[Form, ...]) -> None:
    code, out, _ = run("forms", "--json")
    assert code == 0
    specs = json.loads(out)
    assert [s["key"] for s in specs] == [f.key for f in catalog]
    b1 = next(s for s in specs if s["key"] == "zz-b1")
    intentions = next(f for f in b1["fields"] if f["name"] == "intentions")
    assert intentions == {**intentions, "label": "服务意向", "type": "list", "min_items": 2, "required": True}


def test_forms_show_prints_names_and_labels() -> None:
    code, out, _ = run("forms", "show", "zz-b1")
    assert code == 0
    assert "intentions" in out and "服务意向" in out and "至少2项" in out
    code, out, _ = run("forms", "show", "zz-b1", "--json")
    assert json.loads(out)["id_field"] == "number"


def test_unknown_form_is_an_error_not_a_traceback() -> None:
    code, _, err = run("forms", "show", "nope")
    assert code == 1
    assert err.startswith("Error: 没有名为“nope”的表单")


def test_usage_error_exits_two() -> None:
    code, _, _ = run("forms", "sample")
    assert code == 2


def test_check_reports_a_bad_copy_in_chinese(tmp_path: Path) -> None:
    edited = tmp_path / "copy.docx"
    shutil.copy(get_form("zz-b1").docx, edited)
    doc = Document(str(edited))
    cell = doc.tables[0].cell(0, 1)
    cell.paragraphs[0].runs[0].text = "{{ nickname }}"
    doc.save(str(edited))
    code, out, _ = run("forms", "check", str(edited))
    assert code == 1
    assert "zz-b1" in out and "不通过" in out
    assert "正文第1个表格第1行第2列第1段" in out and "“nickname”不是表单 zz-b1 的字段" in out


def test_check_fix_never_overwrites(tmp_path: Path) -> None:
    src = tmp_path / "copy.docx"
    shutil.copy(get_form("zz-b1").docx, src)
    other = tmp_path / "mine.docx"
    other.write_bytes(b"a clerk's own file")
    before = src.read_bytes()
    code, _, err = run("forms", "check", str(src), "--fix-to", str(src))
    assert code == 1 and "已存在，未覆盖" in err
    code, _, err = run("forms", "check", str(src), "--fix-to", str(other))
    assert code == 1 and "已存在，未覆盖" in err
    assert src.read_bytes() == before and other.read_bytes() == b"a clerk's own file"


def test_sample_writes_docx_and_pdf(tmp_path: Path) -> None:
    code, out, _ = run("forms", "sample", "zz-b1", "--out", str(tmp_path), "--pdf")
    assert code == 0, out
    assert (tmp_path / "zz-b1.docx").is_file() and (tmp_path / "zz-b1.pdf").is_file()
    text = "".join(
        p.text for p in Document(str(tmp_path / "zz-b1.docx")).tables[0].rows[0].cells[1].paragraphs
    )
    assert text == "李晓燕"


def roster_file(tmp_path: Path) -> Path:
    return write_roster(
        tmp_path / "名册.xlsx",
        [
            [
                "C-1",
                "李晓燕",
                "女",
                36,
                "区卫健委",
                "13803710001",
                "新安路1号",
                "新安社区",
                "政策宣讲、法律援助",
                "新安社区党委",
            ],
            [
                "C-2",
                "王建国",
                "男",
                "abc",
                "区审计局",
                "13803710002",
                "中心路2号",
                "金华社区",
                "环境整治、治安巡逻",
                "金华社区党委",
            ],
        ],
    )


def test_generate_reports_what_it_made_and_what_it_skipped(tmp_path: Path) -> None:
    data, out, db = roster_file(tmp_path), tmp_path / "out", str(tmp_path / "db.sqlite3")
    code, stdout, stderr = run(
        "generate", "zz-b1", "--data", str(data), "--out", str(out), "--db", db, "--issue-date", "2025-03-01"
    )
    assert code == 0, stderr
    assert "已生成 1 份表单（数据共 2 行）" in stdout
    assert "发放登记：新增 1 条，已有 0 条" in stdout
    assert "有 1 行未生成" in stderr and "第3行 王建国 D列（年龄）：“abc” “abc”不是整数" in stderr
    assert "生成 zz-b1" not in stderr  # no progress bar when output is not a terminal
    assert (out / "zz-b1-C-1-李晓燕.docx").is_file()
    code, stdout, _ = run("issued", "--db", db, "--json")
    entries = json.loads(stdout)
    assert entries == [
        {
            "form": "zz-b1",
            "id": "C-1",
            "recipient": "李晓燕",
            "issuer": "",
            "issued": "2025-03-01",
            "due": "2025-03-31",
            "status": "issued",
            "overdue": True,
        }
    ]
    code, stdout, _ = run("issued", "--db", db, "--overdue", "--today", "2025-03-31")
    assert code == 0 and "没有逾期未交回的表单" in stdout
    code, stdout, _ = run("issued", "--db", db, "--overdue", "--today", "2025-04-01")
    assert "C-1" in stdout and "逾期未交回" in stdout and "共 1 条" in stdout


def test_generate_strict_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    data, out = roster_file(tmp_path), tmp_path / "out"
    code, _, stderr = run(
        "generate",
        "zz-b1",
        "--data",
        str(data),
        "--out",
        str(out),
        "--strict",
        "--db",
        str(tmp_path / "db.sqlite3"),
    )
    assert code == 1
    assert stderr.startswith("Error: ") and "--strict：未生成任何文件" in stderr
    assert not out.exists() or not list(out.glob("*.docx"))


def test_intake_prints_the_json_contract_and_exits_one_on_a_rejected_file(tmp_path: Path) -> None:
    from baodao.docgen.render import render_docx
    from baodao.form_templates.samples import sample_record

    form = get_form("zz-b1")
    folder = tmp_path / "returned"
    render_docx(
        form.docx, form.spec, sample_record(form.spec), folder / "李晓燕.docx", form_id="SJ-2025-0001"
    )
    (folder / "notes.txt").write_text("不是表单", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    db = str(tmp_path / "db.sqlite3")
    code, out, _ = run("intake", str(folder), "--db", db, "--json")
    assert code == 1
    data = json.loads(out)
    assert [r["source"].rsplit("/", 1)[1] for r in data["rejected"]] == ["broken.docx", "notes.txt"]
    assert "无法读取" in data["rejected"][0]["reason"] or "损坏" in data["rejected"][0]["reason"]
    [record] = data["records"]
    assert (record["form"], record["id"], record["issues"]) == ("zz-b1", "SJ-2025-0001", [])
    assert record["fields"]["name"] == "李晓燕" and record["fields"]["age"] == 36
    assert record["fields"]["joined_party_on"] == "2010-07-01"
    assert record["fields"]["skills"] == ["写作", "法律", "医疗保健"]
    code, out, _ = run("intake", str(folder / "李晓燕.docx"), "--db", db)
    assert code == 0 and "以前已读入 1 个（未改动）" in out


def test_review_lists_doubts_and_set_corrects_them(tmp_path: Path) -> None:
    from baodao.docgen.render import render_docx
    from baodao.form_templates.samples import sample_record

    form = get_form("zz-b1")
    record = {**sample_record(form.spec), "intentions": ["政策宣讲"]}
    path = render_docx(form.docx, form.spec, record, tmp_path / "b1.docx", form_id="SJ-9")
    db = str(tmp_path / "db.sqlite3")
    assert run("intake", str(path), "--db", db)[0] == 0
    code, out, _ = run("review", "--db", db)
    assert "intentions" in out and "至少应有2项，现有1项" in out and "共 1 处存疑" in out
    record_id = out.split()[1]
    code, out, err = run(
        "review", "set", record_id, "intentions", "政策宣讲、法律援助", "--who", "王干事", "--db", db
    )
    assert code == 0, err
    assert "已更正记录" in out and "王干事" in out and '["政策宣讲", "法律援助"]' in out
    assert "没有存疑的值" in run("review", "--db", db)[1]
    code, _, err = run("review", "set", record_id, "nickname", "x", "--db", db)
    assert code == 1 and "没有字段“nickname”" in err
    out_file = tmp_path / "导出.csv"
    assert run("records", "export", "--form", "zz-b1", "--out", str(out_file), "--db", db)[0] == 0
    text = out_file.read_text(encoding="utf-8-sig")
    assert "服务意向" in text.splitlines()[0] and "政策宣讲、法律援助" in text


def test_a_combined_print_file_is_refused_with_its_reason(tmp_path: Path) -> None:
    data, out = roster_file(tmp_path), tmp_path / "out"
    db = str(tmp_path / "db.sqlite3")
    assert run("generate", "zz-b1", "--data", str(data), "--out", str(out), "--db", db)[0] == 0
    code, stdout, _ = run("intake", str(out / "zz-b1-combined.docx"), "--db", db, "--json")
    assert code == 1
    assert "合并打印文件（1 份表单）" in json.loads(stdout)["rejected"][0]["reason"]


def test_policies_lists_and_shows_rules_with_their_clauses() -> None:
    code, out, _ = run("policies")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == [
        "rongcheng-2019",
        "yuepu-2015",
        "zhengzhou-2019",
    ]
    code, out, _ = run("policies", "show", "rongcheng-2019")
    assert "min_activities_per_year = 4：000 三（三）：在职党员每年参与社区活动不得低于4次" in out
    assert "期限 rc-a1 6月17日" in out
    code, _, err = run("policies", "show", "nowhere")
    assert code == 1 and err.startswith("Error: 没有名为“nowhere”的规则")


def test_help_lists_every_command_with_its_own_first_line() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name, (_module, _attr, line) in COMMANDS.items():
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.help is not None, name
        assert command.help.splitlines()[0] == line, name  # the table shown by --help matches the command
        assert f"{name}  " in out and line in out


def test_help_and_the_catalog_answer_without_loading_the_heavy_libraries() -> None:
    # A fresh interpreter, as a clerk's shell starts it: which modules did `--help` and `forms` import?
    probe = (
        "import sys; from click.testing import CliRunner; from baodao.cli import main; "
        "r = CliRunner().invoke(main, sys.argv[1:]); assert r.exit_code == 0, r.output; "
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)))"
    ).replace(
        "HEAVY", repr({"sqlalchemy", "alembic", "docxtpl", "docxcompose", "openpyxl", "pdfplumber", "cv2"})
    )
    for args in (["--help"], ["forms"], ["forms", "show", "zz-b1"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "", (args, done.stdout)


def test_help_answers_quickly() -> None:
    # The promise is "instant at a prompt"; 0.3 s on an idle machine, so 3 s holds on a loaded CI box.
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "baodao.cli", "--help"], capture_output=True, check=True)
    assert time.perf_counter() - start < 3


def unit_roster(tmp_path: Path) -> Path:
    """A unit's own roster: 出生年月, 工作单位 + 职务 and 手机号码 for 年龄, 工作单位及职务 and 联系方式."""
    headers = ["编号", "姓名", "性别", "出生年月", "工作单位", "职务", "手机号码", "家庭住址", "所属社区"]
    headers += ["服务意向", "报到地党组织", "文化程度"]
    one = ["U-1", "李晓燕", "女", "1989年5月", "区卫健委", "科员", "13803710001", "新安路1号", "新安社区"]
    two = ["U-2", "王建国", "男", "1984年2月", "区审计局", "科长", "13803710002", "中心路2号", "金华社区"]
    rows: list[list[object]] = [
        [*one, "政策宣讲、法律援助", "新安社区党委", "大学本科"],
        [*two, "环境整治、治安巡逻", "金华社区党委", "大学专科"],
    ]
    return write_roster(tmp_path / "名册.xlsx", rows, headers)


def test_generate_stops_on_unmapped_required_columns_and_suggests_them(tmp_path: Path, db: str) -> None:
    data, out = unit_roster(tmp_path), tmp_path / "out"
    args = ["generate", "zz-b1", "--data", str(data), "--out", str(out), "--db", db]
    code, stdout, stderr = run(*args, "--issue-date", "2025-03-01")
    assert code == 1 and stdout == ""
    assert "缺少表单 zz-b1（在职党员社区报到证）的必填项年龄、工作单位及职务、联系方式" in stderr
    assert "未生成任何文件，也未登记发放" in stderr
    assert "联系方式：可用“手机号码”列" in stderr
    assert "--map 出生年月=年龄 --map 工作单位+职务=工作单位及职务 --map 手机号码=联系方式" in stderr
    assert "--blank 年龄,工作单位及职务,联系方式" in stderr
    assert not out.exists()
    assert json.loads(run("issued", "--db", db, "--json")[1]) == []
    maps = ["--map", "出生年月=年龄", "--map", "工作单位+职务=工作单位及职务", "--blank", "联系方式"]
    code, stdout, stderr = run(*args, *maps, "--issue-date", "2025-03-01")
    assert code == 0, stderr
    assert "已生成 2 份表单" in stdout and "表上留空、待在纸上手填：联系方式" in stdout
    assert "未使用的列：手机号码、文化程度\n" in stdout  # 联系方式 is to be handwritten, as asked
    assert "  学历（选填，表上留空）可用“文化程度”列：--map 文化程度=学历" in stdout
    card = Document(str(out / "zz-b1-U-1-李晓燕.docx")).tables[0]
    assert card.rows[0].cells[5].text == "35"  # May 1989 → 35 on the issue date
    assert "区卫健委 科员" in [c.text for r in card.rows for c in r.cells]
    assert [e["id"] for e in json.loads(run("issued", "--db", db, "--json")[1])] == ["U-1", "U-2"]


def test_generate_says_the_dates_it_registers_and_where_the_due_comes_from(tmp_path: Path, db: str) -> None:
    data = roster_file(tmp_path)

    def dates(out: str, *extra: str) -> list[str]:
        args = ["generate", "zz-b1", "--data", str(data), "--out", str(tmp_path / out), "--db", db, *extra]
        code, stdout, stderr = run(*args)
        assert code == 0, stderr
        return [line for line in stdout.splitlines() if line.startswith(("发放日期", "截止日期"))]

    assert dates("a", "--issue-date", "2025-03-01") == [
        "发放日期：2025-03-01",
        "截止日期：2025-03-31（003 §4.2：在职党员每年3月份应到社区党组织报到）",
    ]
    assert dates("b", "--issue-date", "2025-05-01") == [
        "发放日期：2025-05-01",
        "截止日期：2026-03-31（003 §4.2：在职党员每年3月份应到社区党组织报到；2025年的已过，按2026年计，"
        "另定请用 --due）",
    ]
    assert (
        dates("c", "--issue-date", "2025-05-01", "--due", "2025-05-31")[1] == "截止日期：2025-05-31（--due）"
    )
    today = dates("d")
    assert today[0] == f"发放日期：{dt.date.today().isoformat()}（今天；另定请用 --issue-date）"
    [entry] = json.loads(run("issued", "--db", db, "--json")[1])  # C-1, as the first batch registered it
    assert (entry["issued"], entry["due"]) == ("2025-03-01", "2025-03-31")


SERVES = ["政策宣讲、法律援助", "新安社区党委"]


def good_roster(tmp_path: Path) -> Path:
    """Three members with every field zz-b1 requires."""
    rows: list[list[object]] = [
        [f"C-{n}", name, "女", 30 + n, f"区{unit}", f"1380371000{n}", f"新安路{n}号", "新安社区", *SERVES]
        for n, (name, unit) in enumerate([("李晓燕", "卫健委"), ("王建国", "审计局"), ("赵磊", "财政局")], 1)
    ]
    return write_roster(tmp_path / "名册.xlsx", rows)


def test_receipts_are_made_for_issued_forms_not_from_a_roster(tmp_path: Path, db: str) -> None:
    data = good_roster(tmp_path)
    out = ["--db", db, "--issue-date", "2025-03-01"]
    assert run("generate", "zz-b1", "--data", str(data), "--out", str(tmp_path / "b1"), *out)[0] == 0
    code, stdout, stderr = run("generate", "zz-b2", "--data", str(data), "--out", str(tmp_path / "bad"), *out)
    assert code == 1 and stdout == ""
    assert stderr.startswith(
        "Error: zz-b2（在职党员社区报到回执单）是 zz-b1 的回执，应按已发放的 zz-b1 逐份生成（按编号配对）"
    )
    assert "请用：baodao generate zz-b2 --for-issued zz-b1" in stderr
    assert not (tmp_path / "bad").exists()
    assert {e["form"] for e in json.loads(run("issued", "--db", db, "--json")[1])} == {"zz-b1"}

    code, stdout, stderr = run(
        "generate", "zz-b2", "--for-issued", "zz-b1", "--out", str(tmp_path / "b2"), *out
    )
    assert code == 0, stderr
    assert "已生成 3 份表单（数据共 3 行）" in stdout and "发放登记：新增 3 条" in stdout
    assert "编号…重复" not in stderr and stderr == ""
    made = sorted(p.name for p in (tmp_path / "b2").glob("zz-b2-C-*.docx"))
    assert made == ["zz-b2-C-1-李晓燕.docx", "zz-b2-C-2-王建国.docx", "zz-b2-C-3-赵磊.docx"]
    text = "\n".join(p.text for p in Document(str(tmp_path / "b2" / made[1])).paragraphs)
    text += "\n".join(
        c.text for t in Document(str(tmp_path / "b2" / made[1])).tables for r in t.rows for c in r.cells
    )
    assert "王建国" in text and "C-2" in text
    receipts = [e for e in json.loads(run("issued", "--db", db, "--json")[1]) if e["form"] == "zz-b2"]
    assert sorted((e["id"], e["recipient"]) for e in receipts) == [
        ("C-1", "李晓燕"),
        ("C-2", "王建国"),
        ("C-3", "赵磊"),
    ]

    only = ["--for-issued", "zz-b1", "--ids", "C-2", "--out", str(tmp_path / "one")]
    code, stdout, _ = run("generate", "zz-b2", *only, *out)
    assert code == 0 and "已生成 1 份表单" in stdout and "新增 0 条，已有 1 条" in stdout
    code, _, stderr = run(
        "generate", "zz-b2", "--for-issued", "zz-b1", "--ids", "C-9", "--out", str(tmp_path / "x"), *out
    )
    assert code == 1 and "发放登记中没有编号为 C-9 的 zz-b1（已登记的如：C-1、C-2、C-3）" in stderr
    code, _, stderr = run("generate", "zz-b1", "--for-issued", "zz-b2", "--out", str(tmp_path / "x"), *out)
    assert code == 1 and "表单 zz-b1（在职党员社区报到证）不是 zz-b2 的回执" in stderr
    assert run("generate", "zz-b2", "--out", str(tmp_path / "x"), *out)[0] == 2


def lock_file(folder: Path, name: str) -> Path:
    """The “~$” file Word/Excel keep beside a document while it is open: the user's name, padded."""
    lock = folder / f"~${name}"
    lock.write_bytes(b"\x07zhangsan" + b" " * 50 + b"\x07\x00z\x00h\x00")
    return lock


def test_a_lock_file_named_on_the_command_line_is_answered_with_what_it_is(tmp_path: Path) -> None:
    data, db = roster_file(tmp_path), str(tmp_path / "db.sqlite3")
    lock = lock_file(tmp_path, data.name)
    code, _, err = run("generate", "zz-b1", "--data", str(lock), "--out", str(tmp_path / "out"), "--db", db)
    assert code == 1
    assert f"Error: {lock}：这是 Word/Excel 打开文件时留下的临时文件，请选择原文件（名册.xlsx）" in err
    assert "zip" not in err and not (tmp_path / "out").exists()
    code, out, _ = run("intake", str(lock_file(tmp_path, "报到证.docx")), "--db", db, "--json")
    assert code == 1
    [skipped] = json.loads(out)["skipped"]
    assert skipped["reason"] == "这是 Word/Excel 打开文件时留下的临时文件，请选择原文件"


def test_problem_rows_name_the_member_and_a_stale_report_goes(tmp_path: Path) -> None:
    data, out, db = roster_file(tmp_path), tmp_path / "out", str(tmp_path / "db.sqlite3")
    args = [
        "generate",
        "zz-b1",
        "--data",
        str(data),
        "--out",
        str(out),
        "--db",
        db,
        "--issue-date",
        "2025-03-01",
    ]
    code, _, stderr = run(*args)
    assert code == 0 and "第3行 王建国 D列（年龄）：“abc” “abc”不是整数" in stderr
    report = out / "zz-b1-问题行.xlsx"
    rows = [[c.value for c in r] for r in load_workbook(report).active.iter_rows(min_row=2)]
    assert rows == [
        ["行号", "姓名（名称）", "列", "填写的内容", "原因"],
        [3, "王建国", "D列（年龄）", "abc", "“abc”不是整数"],
    ]
    wb = load_workbook(data)
    wb.active["D3"] = 41  # the clerk corrects the age and runs the batch again
    wb.save(data)
    code, stdout, stderr = run(*args)
    assert code == 0 and stderr == ""
    assert "已生成 2 份表单" in stdout and "没有问题行；上次留下的 zz-b1-问题行.xlsx 已删除" in stdout
    assert not report.exists() and (out / "zz-b1-C-2-王建国.docx").is_file()


def test_records_export_writes_numbers_and_dates_as_typed_cells(tmp_path: Path, db: str) -> None:
    from baodao.docgen.render import render_docx
    from baodao.form_templates.samples import sample_record

    form = get_form("zz-b1")
    good = render_docx(form.docx, form.spec, sample_record(form.spec), tmp_path / "a.docx", form_id="SJ-1")
    odd = {**sample_record(form.spec), "name": "王建国", "age": None}
    bad = render_docx(form.docx, form.spec, odd, tmp_path / "b.docx", form_id="SJ-2")
    assert run("intake", str(good), str(bad), "--db", db)[0] == 0
    out = tmp_path / "导出.xlsx"
    code, _, err = run("records", "export", "--form", "zz-b1", "--out", str(out), "--db", db)
    assert code == 0, err
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    first = dict(zip(header, [c for c in ws[2]], strict=True))
    assert first["记录号"].data_type == "n" and isinstance(first["记录号"].value, int)
    assert (first["年龄"].value, first["年龄"].data_type) == (36, "n")
    assert first["入党时间"].value == dt.datetime(2010, 7, 1) and first["入党时间"].is_date
    assert first["单位党组织盖章日期"].value == dt.datetime(2025, 3, 12)
    assert (first["联系方式"].value, first["联系方式"].data_type) == ("013803710001", "s")
    assert first["技能特长"].value == "写作、法律、医疗保健"
    second = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert second["姓名"] == "王建国" and second["年龄"] is None and "年龄" in second["存疑"]
