"""`baodao tally --json` as data, `ledger list` and `undo`, `--sheet` for rosters and ledgers, by the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook

from baodao.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def ledger_book(path: Path, rows: list[list[object]], sheet: str = "台账", notes_first: bool = False) -> Path:
    wb = Workbook()
    first = wb.active
    if notes_first:
        first.title = "填表说明"
        first.append(["每月填写"])
        ws = wb.create_sheet(sheet)
    else:
        first.title = sheet
        ws = first
    ws.append(["日期", "姓名", "单位", "社区", "类别", "内容", "积分"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


ROWS: list[list[object]] = [
    [dt.datetime(2025, 1, 10), "", "荣成市财政局", "香河社区", "为民服务", "义诊", None],
    [dt.datetime(2025, 2, 10), "", "荣成市财政局", "香河社区", "为民服务", "义诊", None],
    [dt.datetime(2025, 4, 10), "周峰", "荣成市财政局", "香河社区", "志愿服务", "清理卫生", 2],
    [dt.datetime(2025, 4, 12), "", "荣成市财政局", "香河社区", "为民服务", "理发", None],
]


def test_tally_json_gives_each_shortfall_as_data_with_its_clause_and_text(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite3")
    assert run("ledger", "import", str(ledger_book(tmp_path / "台账.xlsx", ROWS)), "--db", db)[0] == 0
    code, out, _ = run(
        "tally", "--policy", "rongcheng-2019", "--year", "2025", "--today", "2025-04-30", "--json", "--db", db
    )
    assert code == 0
    data = json.loads(out)
    [unit] = data["units"]
    [march] = [s for s in unit["shortfalls"] if s["kind"] == "monthly_activity"]
    assert march == {
        "kind": "monthly_activity",
        "period": "2025-03",
        "found": 0,
        "required": 1,
        "rule": "min_activities_per_month",
        "clause": "000 三（三）：每个报到单位……每月至少到共驻共建社区开展1次活动",
        "warn_only": False,
        "pending": False,
        "unchecked": False,
        "status": "short",
        "text": "3月未开展活动",
    }
    assert unit["deduction"] == 0.05
    [member] = data["members"]
    [pending] = [s for s in member["shortfalls"] if s["kind"] == "activities"]
    assert (pending["found"], pending["required"], pending["status"]) == (1, 4, "pending")
    code, out, _ = run(
        "tally", "--policy", "rongcheng-2019", "--year", "2025", "--today", "2025-04-30", "--db", db
    )
    assert "3月未开展活动" in out and "参与率" in out


def test_ledger_list_and_undo_through_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite3")
    first = ledger_book(tmp_path / "一月.xlsx", ROWS[:1])
    whole = ledger_book(tmp_path / "全年.xlsx", ROWS)
    assert run("ledger", "import", str(first), "--db", db)[0] == 0
    code, out, err = run("ledger", "import", str(whole), "--db", db)
    assert code == 0 and "读入 4 行；其中 1 行是已读入的活动，未重复计入；0 行有问题" in out
    code, out, _ = run("ledger", "list", "--db", db)
    lines = out.splitlines()
    assert code == 0 and "编号" in lines[0]
    assert any("一月.xlsx" in line for line in lines) and any("全年.xlsx" in line for line in lines)
    code, out, _ = run("ledger", "undo", "2", "--db", db)
    assert code == 0
    assert out.startswith("已撤销台账读入 2（") and "4 行不再计入，1 行以前读入的恢复计入" in out
    code, out, _ = run("ledger", "list", "--db", db)
    assert "已撤销" in out
    code, _, err = run("ledger", "undo", "2", "--db", db)
    assert code == 1 and "已于" in err and "撤销" in err
    code, out, _ = run("ledger", "import", str(whole), "--db", db)
    assert "此前撤销的读入（编号 2）已恢复，4 行重新计入" in out


def test_ledger_and_roster_take_sheet_and_a_wrong_sheet_names_the_one_read_and_the_others(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "db.sqlite3")
    book = ledger_book(tmp_path / "台账.xlsx", ROWS, sheet="活动", notes_first=True)
    code, _, err = run("ledger", "import", str(book), "--db", db)
    assert code == 1
    assert "读的是工作表“填表说明”；其他工作表：“活动”，可用 --sheet 指定" in err
    code, out, _ = run("ledger", "import", str(book), "--sheet", "活动", "--db", db)
    assert code == 0 and "读入 4 行" in out
    wb = Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("名册")
    ws.append(["姓名", "工作单位及职务", "所属社区"])
    ws.append(["周峰", "荣成市财政局 科员", "香河社区"])
    wb.save(tmp_path / "名册.xlsx")
    code, _, err = run("roster", "load", str(tmp_path / "名册.xlsx"), "--db", db)
    assert code == 1 and "读的是工作表“说明”；其他工作表：“名册”" in err
    code, out, _ = run("roster", "load", str(tmp_path / "名册.xlsx"), "--sheet", "名册", "--db", db)
    assert code == 0 and "名册 名册.xlsx：1 人" in out
    code, _, err = run("roster", "load", str(tmp_path / "名册.xlsx"), "--sheet", "花名册", "--db", db)
    assert code == 1 and "没有名为“花名册”的工作表（现有：说明、名册）" in err


def test_rules_no_returned_form_can_decide_are_counted_once_as_unchecked(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite3")
    rows: list[list[object]] = [
        [dt.datetime(2025, 3, 1), "陈海", "郑州市中心血站", "金华社区", "报到", "到社区报到", None],
        [dt.datetime(2025, 3, 1), "吕华", "郑州市中心血站", "金华社区", "报到", "到社区报到", None],
    ]
    run("ledger", "import", str(ledger_book(tmp_path / "台账.xlsx", rows)), "--db", db)
    args = ["tally", "--policy", "zhengzhou-2019", "--year", "2025", "--half", "1", "--today", "2025-07-01"]
    code, out, _ = run(*args, "--db", db)
    assert code == 0
    assert "认领岗位（服务项目）未核对：交回的表中没有记录：2 人" in out
    assert "服务意向未核对：交回的报到证中没有记录：2 人" in out
    assert "未达标或需留意的党员（--all 列出全部）：0 人" in out  # 未核对 alone is neither met nor short


def test_roster_and_ledger_go_to_the_office_given_and_an_unknown_office_is_named(tmp_path: Path) -> None:
    from baodao.store.db import connect
    from baodao.store.offices import add_office
    from baodao.tally.ledger import list_imports
    from baodao.tally.schema import tally_roster_rows

    db = str(tmp_path / "db.sqlite3")
    engine = connect(db)
    add_office(engine, "香河社区", "社区党组织", 1)
    roster = tmp_path / "名册.csv"
    roster.write_text("姓名,工作单位,所属社区\n周峰,荣成市财政局,香河社区\n", encoding="utf-8")
    code, _, err = run("roster", "load", str(roster), "--office", "9", "--db", db)
    assert code != 0 and "没有编号为 9 的组织（已有：1 本级、2 香河社区" in err
    assert run("roster", "load", str(roster), "--office", "2", "--db", db)[0] == 0
    book = str(ledger_book(tmp_path / "台账.xlsx", ROWS))
    assert run("ledger", "import", book, "--office", "2", "--db", db)[0] == 0
    with engine.connect() as conn:
        assert [r.office_id for r in conn.execute(tally_roster_rows.select())] == [2]
    assert [i.offices for i in list_imports(engine)] == [frozenset({2})]
