"""Activity ledgers from Excel: read by their Chinese headers, stored once, bad rows named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from baodao.errors import DataError
from baodao.store.db import connect
from baodao.tally.compute import tally
from baodao.tally.ledger import import_ledger
from baodao.tally.period import Period
from baodao.tally.policy import load_policy

RONGCHENG = load_policy("rongcheng-2019")


def ledger(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["荣成市财政局2025年“双报到”活动台账"])
    ws.append(["序号", "活动日期", "党员姓名", "工作单位", "社区", "活动类别", "活动内容", "信用加分"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


def test_a_ledger_counts_once_however_often_it_is_imported(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "db.sqlite3"))
    rows = [
        [dt.datetime(2025, 7, 5), "周峰", "荣成市财政局", "香河社区", "志愿服务", "清理卫生", 2],
        ["2025年8月5日", "周峰", "荣成市财政局", "香河社区", "志愿服务", "义诊", 1],
    ]
    path = ledger(tmp_path / "台账.xlsx", rows)
    first = import_ledger(engine, path)
    assert (first.rows, first.problems) == (2, [])
    assert import_ledger(engine, path).stored.already  # type: ignore[union-attr]
    # A longer ledger later repeats both rows and adds one: three activities, not five.
    longer = ledger(
        tmp_path / "台账（12月）.xlsx",
        [*rows, [dt.datetime(2025, 9, 5), "周峰", "荣成市财政局", "香河社区", "", "宣讲", 2]],
    )
    import_ledger(engine, longer)
    [m] = tally(engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)).members
    assert (m.activities, m.points) == (3, 5)


def test_rows_that_cannot_be_read_are_named_with_row_and_column_and_the_rest_is_kept(tmp_path: Path) -> None:
    engine = connect(str(tmp_path / "db.sqlite3"))
    rows = [
        ["七月初", "周峰", "荣成市财政局", "", "", "清理卫生", 2],
        [dt.datetime(2025, 7, 5), "周峰", "", "", "", "清理卫生", 2],
        [dt.datetime(2025, 7, 6), "周峰", "荣成市财政局", "", "", "义诊", "两分"],
        [dt.datetime(2025, 7, 7), "周峰", "荣成市财政局", "", "", "宣讲", 1],
        [dt.datetime(2025, 7, 7), "周峰", "荣成市财政局", "", "", "宣讲", 1],
    ]
    result = import_ledger(engine, ledger(tmp_path / "台账.xlsx", rows))
    assert result.rows == 1
    assert [str(p) for p in result.problems] == [
        "台账.xlsx 第3行 周峰 B列（活动日期）：“七月初” 不是日期，这一行没有计入",
        "台账.xlsx 第4行 周峰 D列（工作单位）：（空） 是空的，这一行没有计入",
        "台账.xlsx 第5行 周峰 H列（信用加分）：“两分” 不是整数，这一行没有计入",
        "台账.xlsx 第7行 周峰：与第6行完全相同，只计一次（若确是两次活动，请在内容中注明）",
    ]


def test_a_file_that_is_not_a_ledger_says_which_columns_are_missing(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(tmp_path / "名单.xlsx")
    with pytest.raises(
        DataError, match=r"名单.xlsx 不像活动台账：找不到“日期”“单位”列（第1行的列名：姓名、电话）"
    ):
        import_ledger(connect(str(tmp_path / "db.sqlite3")), tmp_path / "名单.xlsx")
