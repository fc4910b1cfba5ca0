"""`baodao roster load`, `ledger import`, `tally` and `report` end to end on a database file."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook

from tests.baodao.test_cli import run
from tests.conftest import pdf_text

BLOOD = "郑州市中心血站"


def _data(tmp_path: Path) -> tuple[Path, Path]:
    roster = tmp_path / "名册.csv"
    roster.write_text(
        f"姓名,工作单位及职务,所属社区\n陈海,{BLOOD} 科员,金华社区\n吕华,{BLOOD},新安社区\n", encoding="utf-8"
    )
    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "姓名", "单位", "社区", "类别", "内容", "积分"])
    ws.append(["2025-03-01", "陈海", BLOOD, "金华社区", "报到", "到社区报到", None])
    for day in range(1, 12):
        ws.append([f"2025-04-{day:02d}", "陈海", BLOOD, "金华社区", "志愿服务", f"义诊{day}", 5])
    ws.append(["四月", "吕华", BLOOD, "", "", "宣讲", 5])
    wb.save(tmp_path / "台账.xlsx")
    return roster, tmp_path / "台账.xlsx"


def test_tally_answers_who_has_not_reported_and_who_is_short(tmp_path: Path) -> None:
    roster, ledger = _data(tmp_path)
    db = str(tmp_path / "db.sqlite3")
    code, out, _ = run("roster", "load", str(roster), "--db", db)
    assert (code, out.strip()) == (0, "名册 名册.csv：2 人（新增 2 人）；0 行有问题")
    code, out, err = run("ledger", "import", str(ledger), "--db", db)
    assert code == 0
    assert "台账.xlsx 第14行 吕华 A列（日期）：“四月” 不是日期，这一行没有计入" in err
    assert "读入 12 行；1 行有问题" in out
    half = ["tally", "--policy", "zhengzhou-2019", "--year", "2025", "--half", "1", "--today", "2025-07-01"]
    code, out, _ = run(*half, "--db", db)
    assert code == 0
    assert "党员 2 人：已报到 1，未报到 1" in out  # 陈海's 报到 row registers him; 吕华's row was not read
    assert "吕华" in out and "陈海" not in out  # only those with a problem are listed
    code, out, _ = run(*half, "--json", "--db", db)
    data = json.loads(out)
    chen = next(m for m in data["members"] if m["name"] == "陈海")
    assert (chen["activities"], chen["points"], chen["stars_by_half"]) == (11, 55, {"1": 5})
    assert (chen["reported"], chen["reported_on"], chen["community"]) == (True, "2025-03-01", "金华社区")
    assert data["units"][0]["name"] == BLOOD and data["units"][0]["members"] == 2
    code, out, _ = run(*half, "--db", db)
    # No unit activity in the ledger: the missed months are said once, in order.
    assert "1、2、3、4、5、6月未开展活动；第1季度未参加联席会" in out


def test_report_writes_files_and_errors_are_clear(tmp_path: Path) -> None:
    roster, ledger = _data(tmp_path)
    db = str(tmp_path / "db.sqlite3")
    run("roster", "load", str(roster), "--db", db)
    run("ledger", "import", str(ledger), "--db", db)
    base = [
        "--policy",
        "zhengzhou-2019",
        "--year",
        "2025",
        "--today",
        "2025-07-01",
        "--db",
        db,
        "--out",
        str(tmp_path / "out"),
    ]
    code, _, err = run("report", "summary", *base)
    assert code == 1 and "Error: 汇总表的评星情况按半年填写" in err
    code, out, _ = run("report", "summary", *base, "--half", "1")
    assert code == 0 and "zz-f1-combined.docx" in out
    code, _, err = run("report", "nonsense", *base)
    assert code == 2
    code, _, err = run("tally", "--policy", "nowhere", "--year", "2025", "--db", db)
    assert code == 1 and "没有名为“nowhere”的规则" in err


def test_every_pdf_asked_for_is_made_lists_included(tmp_path: Path, db: str) -> None:
    roster, ledger = _data(tmp_path)
    run("roster", "load", str(roster), "--db", db)
    run("ledger", "import", str(ledger), "--db", db)
    issued = tmp_path / "发放.csv"
    issued.write_text(
        "编号,姓名,性别,年龄,工作单位及职务,联系方式,家庭住址,所属社区,服务意向,报到地党组织\n"
        f"B-1,吕华,女,40,{BLOOD},13803710001,新安路1号,新安社区,宣讲、义诊,新安社区党委\n",
        encoding="utf-8",
    )
    make = ["generate", "zz-b1", "--data", str(issued), "--out", str(tmp_path / "b1"), "--db", db]
    assert run(*make, "--issue-date", "2025-03-01")[0] == 0
    out = tmp_path / "报表"
    period = ["--policy", "zhengzhou-2019", "--year", "2025", "--half", "1", "--today", "2025-07-01"]
    code, stdout, stderr = run("report", "overdue", *period, "--out", str(out), "--db", db, "--pdf")
    assert code == 0, stderr
    xlsx, pdf = out / "逾期和未报到-2025-07-01.xlsx", out / "逾期和未报到-2025-07-01.pdf"
    assert f"已写入 {xlsx}" in stdout and f"已写入 {pdf}" in stdout and "4 个文件" in stdout
    text = pdf_text(pdf)
    assert "逾期未交回的表单（1份）" in text and "B-1" in text and "吕华" in text
    assert "未报到的党员" in text
    slips = pdf_text(out / "催交提醒-2025-07-01.pdf")
    assert "催交提醒" in slips and "编号：B-1" in slips and "应交回日期：2025年3月31日" in slips
    code, stdout, _ = run("report", "spot-check", *period, "--out", str(out), "--db", db, "--pdf")
    assert code == 0 and (out / "抽查名单-2025年上半年.pdf").is_file()


def test_roster_and_ledger_answer_a_lock_file_with_what_it_is(tmp_path: Path) -> None:
    roster, ledger = _data(tmp_path)
    db = str(tmp_path / "db.sqlite3")
    for command, original in (("roster", roster), ("ledger", ledger)):
        lock = tmp_path / f"~${original.name}"
        lock.write_bytes(b"\x07zhangsan" + b" " * 50)
        verb = "load" if command == "roster" else "import"
        code, _, err = run(command, verb, str(lock), "--db", db)
        assert code == 1
        assert (
            err
            == f"Error: {lock}：这是 Word/Excel 打开文件时留下的临时文件，请选择原文件（{original.name}）\n"
        )
