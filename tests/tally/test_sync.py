"""Facts follow the records: a later return replaces an earlier one, corrections count, nothing twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from baodao.form_templates.spec import JsonValue
from baodao.store.records import correct
from baodao.tally.compute import tally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.schema import tally_activities, tally_people
from baodao.tally.sync import sync

from .conftest import Returns

ZHENGZHOU = load_policy("zhengzhou-2019")
UNIT = "郑州市中心血站"


def points_of(returns: Returns, name: str) -> int:
    result = tally(returns.engine, ZHENGZHOU, Period(2025, 1), dt.date(2025, 6, 30))
    [m] = [m for m in result.members if m.name == name]
    return m.points


def test_a_second_return_of_the_same_form_replaces_the_first(returns: Returns) -> None:
    rows = [{"served_on": "2025-03-01", "content": "宣讲", "points": 5}]
    fields = {"name": "张洋", "employer_and_post": f"{UNIT} 科员", "services": rows}
    returns.add("zz-d1", fields, "D1-7", dt.datetime(2025, 6, 1))
    assert points_of(returns, "张洋") == 5
    more = [*rows, {"served_on": "2025-04-01", "content": "护绿", "points": 6}]
    returns.add("zz-d1", {**fields, "services": more}, "D1-7", dt.datetime(2025, 6, 20))
    assert points_of(returns, "张洋") == 11  # not 16: the first return's row is not counted again
    with returns.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(tally_activities)) == 2


def test_a_correction_by_hand_is_counted_at_the_next_tally(returns: Returns) -> None:
    rows = [{"served_on": "2025-03-01", "content": "宣讲", "points": 5}]
    stored = returns.add("zz-d1", {"name": "张洋", "employer_and_post": UNIT, "services": rows}, "D1-8")
    assert points_of(returns, "张洋") == 5
    fixed = [{"served_on": "2025-03-01", "content": "宣讲", "points": 7}]
    correct(returns.engine, stored.records[0].record_id, "services", fixed, "社区书记")  # type: ignore[arg-type]
    assert points_of(returns, "张洋") == 7


def test_syncing_twice_derives_nothing_new(returns: Returns) -> None:
    returns.registration("张洋", UNIT, "新安社区", "2025-03-01", "SJ-1")
    first = sync(returns.engine)
    again = sync(returns.engine)
    assert (first.derived, again.derived, again.dropped) == (1, 0, 0)


def test_a_receipt_is_matched_to_its_slip_by_number_not_counted_as_another_member(returns: Returns) -> None:
    returns.registration("张洋", UNIT, "新安社区", "2025-03-01", "SJ-2025-0001")
    returns.add(
        "zz-b2",
        {
            "member_name": "张洋",
            "number": "SJ-2025-0001",
            "addressee_unit": "郑州市中心血站第二党支部",
            "organization": "中共上街区新安社区委员会",
            "reported_on": "2025-03-05",
        },
        "SJ-2025-0001",
    )
    result = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 12, 31))
    assert [(m.name, m.unit, m.reported_on) for m in result.members] == [("张洋", UNIT, dt.date(2025, 3, 5))]
    with returns.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(tally_people)) == 1


def test_a_row_whose_date_could_not_be_read_gives_no_activity(returns: Returns) -> None:
    rows = [
        {"served_on": "三月初", "content": "宣讲", "points": 5},
        {"served_on": "2025-03-09", "content": "护绿", "points": 5},
    ]
    returns.add("zz-d1", {"name": "张洋", "employer_and_post": UNIT, "services": rows})
    assert points_of(returns, "张洋") == 5


def test_two_tallies_at_once_derive_each_record_once(returns: Returns) -> None:
    from concurrent.futures import ThreadPoolExecutor

    for i in range(30):
        returns.registration(f"党员{i}", UNIT, "新安社区", "2025-03-01", f"SJ-{i}")
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: sync(returns.engine), range(2)))
    assert sorted(r.derived for r in results) == [0, 30]
    with returns.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(tally_people)) == 30


def test_a_slip_with_its_community_left_blank_still_registers(returns: Returns, tmp_path: Path) -> None:
    from baodao.tally.roster import load_roster

    slip = {"employer_and_post": UNIT, "unit_sealed_on": "2025-03-01"}
    returns.add("zz-b1", {**slip, "name": "甲", "organization": "中共上街区济源路街道新安社区委员会"}, "B-1")
    returns.add("zz-b1", {**slip, "name": "乙"}, "B-2")
    (tmp_path / "roster.csv").write_text(f"姓名,工作单位\n乙,{UNIT}\n", encoding="utf-8")
    load_roster(returns.engine, tmp_path / "roster.csv")
    (tmp_path / "roster.csv").write_text(f"姓名,工作单位,所属社区\n乙,{UNIT},金华社区\n", encoding="utf-8")
    load_roster(returns.engine, tmp_path / "roster.csv")
    result = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 12, 31))
    assert [(m.name, m.reported, m.community) for m in result.members] == [
        ("乙", True, "金华社区"),
        ("甲", True, "新安社区"),
    ]


@pytest.mark.parametrize("roster_first", [True, False], ids=["roster-first", "roster-after"])
def test_a_unit_written_without_its_space_is_the_same_member(
    returns: Returns, tmp_path: Path, roster_first: bool
) -> None:
    from baodao.tally.roster import load_roster

    # OCR of a scanned 报到证 loses the space in “郑州市人民医院 科员”.
    (tmp_path / "roster.csv").write_text(
        "姓名,工作单位及职务,所属社区\n傅海,郑州市人民医院 科员,金华社区\n", encoding="utf-8"
    )
    if roster_first:
        load_roster(returns.engine, tmp_path / "roster.csv")
    returns.add(
        "zz-b1", {"name": "傅海", "employer_and_post": "郑州市人民医院科员", "community": "金华社区"}, "B-9"
    )
    returns.score_sheet("傅海", "郑州市人民医院", [("2025-04-01", "义诊", 5)])
    if not roster_first:
        load_roster(returns.engine, tmp_path / "roster.csv")
    result = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 12, 31))
    assert [(m.name, m.unit, m.on_roster, m.reported, m.activities) for m in result.members] == [
        ("傅海", "郑州市人民医院", True, True, 1)
    ]


def test_a_name_in_two_units_that_both_fit_is_not_guessed(returns: Returns) -> None:
    returns.registration("李明", "郑州市人民医院", "金华社区", "2025-03-01")
    returns.registration("李明", "郑州市人民医院东院", "金华社区", "2025-03-01")
    returns.add(
        "zz-b1",
        {"name": "李明", "employer_and_post": "郑州市人民医院东院科员", "community": "金华社区"},
        "B-10",
    )
    result = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 12, 31))
    assert sorted(m.unit for m in result.members) == [
        "郑州市人民医院",
        "郑州市人民医院东院",
        "郑州市人民医院东院科员",
    ]


def issue_from_roster(returns: Returns, roster: Path, source: str, rows: dict[str, int]) -> None:
    """Register zz-b1 forms as `baodao generate` does: each id with the data file and row it came from."""
    from baodao.docgen.issued import IssuedForm
    from baodao.store.register import record_issued

    entries = [
        IssuedForm("zz-b1", form_id, "", "", dt.date(2025, 2, 1), dt.date(2025, 3, 31), source, row)
        for form_id, row in rows.items()
    ]
    record_issued(returns.engine, entries)


@pytest.mark.parametrize("as_named", ["full-path", "file-name-only"])
def test_a_returned_form_is_joined_by_its_id_to_the_roster_member_however_the_name_is_spelled(
    returns: Returns, tmp_path: Path, as_named: str
) -> None:
    from baodao.tally.roster import load_roster

    roster = tmp_path / "名册.csv"
    roster.write_text(
        "姓名,工作单位及职务,所属社区\n"
        "李晓燕,郑州市中心血站 科员,新安社区\n"
        "王强,郑州市中心血站 科员,新安社区\n",
        encoding="utf-8",
    )
    load_roster(returns.engine, roster)
    source = str(roster) if as_named == "full-path" else roster.name
    issue_from_roster(returns, roster, source, {"ZZB1-0001": 2, "ZZB1-0002": 3})
    # The returned card misspells her name (晓艳) and writes the unit another way: its id says who it is.
    returns.add(
        "zz-b1",
        {
            "name": "李晓艳",
            "employer_and_post": "中共郑州市中心血站支部委员会",
            "community": "新安社区",
            "number": "ZZB1-0001",
            "unit_sealed_on": "2025-03-02",
            "intentions": ["助老", "宣讲"],
        },
        "ZZB1-0001",
    )
    result = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 3, 31))
    by_name = {m.name: m for m in result.members}
    assert sorted(by_name) == ["李晓燕", "王强"]  # no third member 李晓艳
    assert by_name["李晓燕"].reported and by_name["李晓燕"].intentions == 2
    assert not by_name["王强"].reported


def test_a_roster_loaded_after_the_returns_joins_them_by_id_at_the_next_tally(
    returns: Returns, tmp_path: Path
) -> None:
    from baodao.tally.roster import load_roster

    roster = tmp_path / "名册.csv"
    roster.write_text("姓名,工作单位及职务\n李晓燕,郑州市中心血站 科员\n", encoding="utf-8")
    issue_from_roster(returns, roster, str(roster), {"ZZB1-0001": 2})
    fields: dict[str, JsonValue] = {
        "name": "李晓艳",
        "employer_and_post": UNIT,
        "unit_sealed_on": "2025-03-02",
    }
    returns.add("zz-b1", {**fields, "number": "ZZB1-0001"}, "ZZB1-0001")
    first = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 3, 31))
    assert [m.name for m in first.members] == ["李晓艳"]  # no roster yet: the form's own spelling
    load_roster(returns.engine, roster)
    again = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 3, 31))
    assert [(m.name, m.reported, m.on_roster) for m in again.members] == [("李晓燕", True, True)]


def test_a_form_without_id_is_still_matched_by_unit_and_name(returns: Returns) -> None:
    returns.registration("张洋", UNIT, "新安社区", "2025-03-01")
    returns.score_sheet("张洋", f"中共{UNIT}支部委员会", [("2025-03-05", "宣讲", 5)])
    [m] = tally(returns.engine, ZHENGZHOU, Period(2025, 1), dt.date(2025, 6, 30)).members
    assert (m.name, m.reported, m.activities) == ("张洋", True, 1)


def test_yuepu_projects_chosen_on_the_project_card_found_by_a_name_only_one_member_has(
    returns: Returns,
) -> None:
    # 002 附件5 注2：每位党员在可以参与的服务项目中至少选择一项. The card names no unit.
    yuepu = load_policy("yuepu-2015")
    for name in ("吴静", "周敏"):
        returns.add(
            "yp-a4",
            {
                "member_name": name,
                "member_organization": "宝钢股份党支部",
                "addressee_organization": "月浦八村党总支",
                "reported_on": "2015-06-20",
            },
        )
    returns.add("yp-a5", {"name": "吴静", "project_categories": [], "other_projects": "陪老人下棋"})
    returns.add("yp-a5", {"name": "周敏", "project_categories": []})
    returns.add("yp-a5", {"name": "无此人", "project_categories": ["环境整治"]})  # matches no member
    result = tally(returns.engine, yuepu, Period(2015), dt.date(2015, 12, 31))
    by_name = {m.name: m for m in result.members}
    assert sorted(by_name) == ["吴静", "周敏"]
    assert (by_name["吴静"].posts, by_name["周敏"].posts) == (1, 0)
    assert [s.kind for s in by_name["吴静"].shortfalls if s.kind == "posts"] == []
    [short] = [s for s in by_name["周敏"].shortfalls if s.kind == "posts"]
    assert (short.found, short.required, short.status) == (0, 1, "short")
