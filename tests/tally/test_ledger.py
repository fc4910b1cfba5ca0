"""Activity ledgers from Excel: read by their Chinese headers, stored once, bad rows named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

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


FIELDS = ("date", "name", "unit", "community", "category", "content", "points")
ACTIVITIES = [
    (dt.date(2025, 3, 5), "周峰", "荣成市财政局", "香河社区", "志愿服务", "清理卫生", 2),
    (dt.date(2025, 4, 5), "周峰", "荣成市财政局", "香河社区", "志愿服务", "义诊", 1),
    (dt.date(2025, 4, 5), "周峰", "荣成市财政局", "香河社区", "志愿服务", "政策宣讲", 1),  # same day, 2nd
    (dt.date(2025, 5, 9), "王芳", "荣成市财政局", "香河社区", "为民服务", "理发", 2),
    (dt.date(2025, 6, 1), "", "荣成市财政局", "香河社区", "帮办实事", "修缮路灯", None),
]


def written(path: Path, headers: list[str], rows: Sequence[Sequence[object]], first_no: int = 1) -> Path:
    """A ledger as a clerk keeps it: a title row, a 序号 column, then the headers given."""
    wb = Workbook()
    ws = wb.active
    ws.append(["活动台账"])
    ws.append(["序号", *headers])
    for i, row in enumerate(rows, start=first_no):
        ws.append([i, *row])
    wb.save(path)
    return path


def variant(path: Path, k: int, rows: Sequence[tuple[object, ...]] = ACTIVITIES) -> Path:
    """The same activities under the k-th title of every column (cycling), the columns in reverse order,
    the rows in reverse order and numbered from 100: nothing the ledger means has changed."""
    from baodao.tally.ledger import ALIASES

    order = list(reversed(FIELDS))
    headers = [ALIASES[f][k % len(ALIASES[f])] for f in order]
    table = [[dict(zip(FIELDS, row, strict=True))[f] for f in order] for row in reversed(rows)]
    return written(path, headers, table, first_no=100)


def counted(engine: Engine) -> tuple[int, int]:
    """Activities the tally counts (members' and the unit's), and the members' points."""
    result = tally(engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31))
    members = sum(m.activities for m in result.members)
    units = sum(sum(u.activities_by_month.values()) for u in result.units)
    return members + units, sum(m.points for m in result.members)


def test_a_ledger_imported_again_under_every_header_variant_reordered_and_renumbered_counts_once(
    engine: Engine, tmp_path: Path
) -> None:
    from baodao.tally.ledger import ALIASES

    first = import_ledger(engine, variant(tmp_path / "台账.xlsx", 0))
    assert (first.rows, first.known, first.changed) == (5, 0, [])
    assert counted(engine) == (5, 6)
    for k in range(1, max(len(a) for a in ALIASES.values())):
        again = import_ledger(engine, variant(tmp_path / f"台账-{k}.xlsx", k))
        assert (again.rows, again.known, again.changed, again.problems) == (5, 5, [], []), k
        assert counted(engine) == (5, 6), k
    # A copy that leaves the 社区 column out means the same activities (and the community stays known).
    headers = ["活动日期", "参加人", "工作单位", "活动类别", "活动内容", "积分"]
    rows = [[d, n, u, c, t, p] for d, n, u, _, c, t, p in ACTIVITIES]
    short = import_ledger(engine, written(tmp_path / "无社区.xlsx", headers, rows))
    assert (short.rows, short.known, short.changed) == (5, 5, [])
    assert counted(engine) == (5, 6)


def test_the_same_activity_with_other_points_or_words_is_a_correction_to_review_not_a_second(
    engine: Engine, tmp_path: Path
) -> None:
    import_ledger(engine, variant(tmp_path / "台账.xlsx", 0))
    rows = list(ACTIVITIES)
    rows[0] = (
        dt.date(2025, 3, 5),
        "周峰",
        "中共荣成市财政局支部委员会",
        "香河社区",
        "志愿服务",
        "清理楼道卫生",
        3,
    )
    again = import_ledger(engine, variant(tmp_path / "台账（改）.xlsx", 1, rows))
    assert (again.rows, again.known) == (5, 4)
    assert again.changed == [
        "第7行：2025-03-05 周峰（香河社区）“清理卫生”，2分 → 2025-03-05 周峰（香河社区）“清理楼道卫生”，3分，"
        "按更正计入，请核对"
    ]
    assert counted(engine) == (5, 7)  # five activities still; 周峰's first now 3 points


def test_an_import_undone_counts_no_more_and_the_rows_it_replaced_count_again(
    engine: Engine, tmp_path: Path
) -> None:
    from baodao.tally.ledger import list_imports, undo_import

    first = import_ledger(engine, variant(tmp_path / "上半年.xlsx", 0, ACTIVITIES[:2]))
    later = import_ledger(engine, variant(tmp_path / "全年.xlsx", 1))  # the first two again, and three more
    assert counted(engine) == (5, 6)
    assert first.file_id is not None and later.file_id is not None
    listed = [(i.file_id, Path(i.path).name, i.rows, i.counted, i.undone_at) for i in list_imports(engine)]
    assert listed == [(first.file_id, "上半年.xlsx", 2, 0, None), (later.file_id, "全年.xlsx", 5, 5, None)]
    undone = undo_import(engine, later.file_id)
    assert (undone.rows, undone.restored) == (5, 2)
    assert counted(engine) == (2, 3)  # 上半年's two count again
    [a, b] = list_imports(engine)
    assert (a.counted, b.counted, b.undone_at is not None) == (2, 0, True)
    with pytest.raises(DataError, match=r"台账读入 \d+（.*全年.xlsx）已于 .* 撤销"):
        undo_import(engine, later.file_id)
    redone = import_ledger(engine, tmp_path / "全年.xlsx")
    assert redone.redone and not redone.already
    assert counted(engine) == (5, 6)
    with pytest.raises(DataError, match=r"没有编号为 999 的台账读入（已读入的台账编号：\d+、\d+"):
        undo_import(engine, 999)


def test_a_ledger_on_another_sheet_is_read_with_sheet_and_a_wrong_sheet_names_the_others(
    tmp_path: Path,
) -> None:
    engine = connect(str(tmp_path / "db.sqlite3"))
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本台账按月填写"])
    ws = wb.create_sheet("三月")
    ws.append(["日期", "姓名", "单位", "内容"])
    ws.append([dt.datetime(2025, 3, 5), "周峰", "荣成市财政局", "义诊"])
    wb.create_sheet("四月")
    wb.save(tmp_path / "台账.xlsx")
    with pytest.raises(DataError, match=r"读的是工作表“说明”；其他工作表：“三月”“四月”，可用 --sheet 指定"):
        import_ledger(engine, tmp_path / "台账.xlsx")
    assert import_ledger(engine, tmp_path / "台账.xlsx", sheet="三月").rows == 1
    with pytest.raises(DataError, match=r"没有名为“五月”的工作表（现有：说明、三月、四月）"):
        import_ledger(engine, tmp_path / "台账.xlsx", sheet="五月")
