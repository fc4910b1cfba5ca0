"""Member tallies computed by hand, at each rule's boundaries, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from baodao.tally.compute import tally
from baodao.tally.model import MemberTally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.wording import describe

from .conftest import Returns

ZHENGZHOU = load_policy("zhengzhou-2019")
RONGCHENG = load_policy("rongcheng-2019")
YUEPU = load_policy("yuepu-2015")
UNIT = "郑州市中心血站"


YEAR = Period(2025)
YEAR_END = dt.date(2025, 12, 31)


def member(returns: Returns, name: str, policy=ZHENGZHOU, period=YEAR, as_of=YEAR_END) -> MemberTally:  # type: ignore[no-untyped-def]
    found = [m for m in tally(returns.engine, policy, period, as_of).members if m.name == name]
    assert len(found) == 1, f"{name} appears {len(found)} times"
    return found[0]


def five_point_rows(n: int, month: int = 3) -> list[tuple[str, str, int]]:
    return [(f"2025-{month:02d}-{day:02d}", "政策宣讲", 5) for day in range(1, n + 1)]


@pytest.mark.parametrize(
    ("rows", "points", "stars"),
    [
        ([("2025-03-01", "宣讲", 5), ("2025-03-02", "护绿", 4)], 9, 0),
        ([("2025-03-01", "宣讲", 5), ("2025-03-02", "护绿", 5)], 10, 1),
        (five_point_rows(20), 100, 10),
        (five_point_rows(21), 105, 10),
    ],
    ids=["9-points-no-star", "10-points-one-star", "100-points-ten-stars", "105-points-still-ten"],
)
def test_zhengzhou_stars_one_per_ten_points_at_most_ten(
    returns: Returns, rows: list[tuple[str, str, int]], points: int, stars: int
) -> None:
    returns.registration("李晓燕", UNIT, "新安社区", "2025-03-01")
    returns.score_sheet("李晓燕", UNIT, rows)
    m = member(returns, "李晓燕", period=Period(2025, 1), as_of=dt.date(2025, 6, 30))
    assert (m.points, m.stars_by_half) == (points, {1: stars})


def test_zhengzhou_points_outside_the_band_are_brought_back_except_one_thing_one_record(
    returns: Returns,
) -> None:
    returns.registration("王强", UNIT, "新安社区", "2025-03-01")
    rows = [
        ("2025-03-01", "入户走访", 12),  # more than 5+3: counted as 8
        ("2025-03-08", "治安巡逻", 1),  # less than 5−3: counted as 2
        ("2025-03-15", "一事一记：见义勇为救落水儿童", 20),  # 003 §3.5.3: as written
    ]
    returns.score_sheet("王强", UNIT, rows)
    m = member(returns, "王强", period=Period(2025, 1), as_of=dt.date(2025, 6, 30))
    assert m.points == 8 + 2 + 20
    assert m.points_adjusted == 2
    assert m.stars_by_half == {1: 3}
    assert "2次活动所记积分超出5±3分" in m.notes[0]


def test_an_activity_on_30_june_is_first_half_and_on_1_july_second_half(returns: Returns) -> None:
    returns.registration("赵敏", UNIT, "新安社区", "2025-03-01")
    returns.score_sheet("赵敏", UNIT, [("2025-06-30", "端午服务", 5), ("2025-07-01", "建党节慰问", 5)])
    m = member(returns, "赵敏")
    assert m.activities_by_half == {1: 1, 2: 1}
    assert m.points_by_half == {1: 5, 2: 5}
    first = member(returns, "赵敏", period=Period(2025, 1), as_of=dt.date(2025, 7, 1))
    assert (first.activities, first.points) == (1, 5)
    second = member(returns, "赵敏", period=Period(2025, 2))
    assert (second.activities, second.points) == (1, 5)


def test_stars_are_settled_per_half_year_not_on_the_year_total(returns: Returns) -> None:
    # 9 points in each half: 18 in the year, but no half reaches 10 (003 §3.5.4).
    returns.registration("钱进", UNIT, "新安社区", "2025-03-01")
    returns.score_sheet("钱进", UNIT, [("2025-05-01", "宣讲", 5), ("2025-05-02", "宣讲", 4)])
    returns.score_sheet("钱进", UNIT, [("2025-09-01", "宣讲", 5), ("2025-09-02", "宣讲", 4)])
    m = member(returns, "钱进")
    assert m.points == 18
    assert m.stars_by_half == {1: 0, 2: 0}


def counted(m: MemberTally) -> list[str]:
    """The member's shortfalls that fail a rule now, as the CLI says them."""
    return [describe(s) for s in m.shortfalls if s.counts]


@pytest.mark.parametrize(
    ("rows", "services", "met"),
    [
        ([("2025-07-01", "社区联合主题党日", 5), ("2025-09-01", "政策宣讲", 5)], 1, False),
        ([("2025-07-01", "护绿", 5), ("2025-09-01", "政策宣讲", 5), ("2025-10-01", "主题党日", 5)], 2, True),
    ],
    ids=["one-service-and-a-theme-day-short", "exactly-two-services"],
)
def test_zhengzhou_two_volunteer_services_a_theme_day_is_not_one(
    returns: Returns, rows: list[tuple[str, str, int]], services: int, met: bool
) -> None:
    # 004 二（二）: 志愿服务不少于2次; a 主题党日 is 组织生活 (003 §4.2), not a volunteer service.
    returns.registration(
        "孙丽", UNIT, "新安社区", "2025-03-01", intentions=["助老", "宣讲"], posts=["政策法规宣传岗"]
    )
    returns.score_sheet("孙丽", UNIT, rows)
    m = member(returns, "孙丽")
    assert (m.activities, m.services, m.party_life) == (len(rows), services, 1)
    assert m.minimum_met is met
    if met:
        assert (m.shortfalls, m.consequence) == ([], None)
    else:
        [short] = m.shortfalls
        assert (short.kind, short.found, short.required, short.rule) == (
            "services",
            1,
            2,
            "min_services_per_year",
        )
        assert short.clause.startswith("004 二（二）")
        assert describe(short) == "参加志愿服务1次，少于2次"
        assert m.consequence == "当年度民主评议党员、个人年度考核均不能评为“优秀”等次"


def test_zhengzhou_party_life_is_its_own_minimum(returns: Returns) -> None:
    returns.registration("何平", UNIT, "新安社区", "2025-03-01")
    returns.score_sheet("何平", UNIT, five_point_rows(3))
    m = member(returns, "何平")
    assert counted(m) == ["参加组织生活或主题活动0次，少于1次"]
    assert next(s.clause for s in m.shortfalls if s.counts).startswith("003 §4.2")
    assert not m.minimum_met


@pytest.mark.parametrize(
    ("intentions", "found", "short"),
    [
        (None, None, "服务意向未核对：交回的报到证中没有记录"),
        (["助老"], 1, "填报服务意向1个，少于2个"),
        (["助老", "宣讲"], 2, None),
    ],
    ids=["not-recorded-unchecked", "one-intention-short", "two-intentions-met"],
)
def test_zhengzhou_two_service_intentions_on_the_registration_card(
    returns: Returns, intentions: list[str] | None, found: int | None, short: str | None
) -> None:
    # 003 表B.1：服务意向（至少填报2个）. Not recorded: 未核对, never met, and it does not fail the member.
    returns.registration("郑欣", UNIT, "新安社区", "2025-03-01", intentions=intentions)
    m = member(returns, "郑欣")
    assert m.intentions == found
    said = [describe(s) for s in m.shortfalls if s.kind == "intentions"]
    assert said == ([short] if short else [])
    if intentions is None:
        [unchecked] = [s for s in m.shortfalls if s.kind == "intentions"]
        assert (unchecked.status, unchecked.counts) == ("unchecked", False)
    elif found == 1:
        assert "填报服务意向1个，少于2个" in counted(m)


@pytest.mark.parametrize(
    ("posts", "short"),
    [
        (None, "认领岗位（服务项目）未核对：交回的表中没有记录"),
        ([], "认领岗位（服务项目）0个，少于1个"),
        (["助老助残岗"], None),
    ],
    ids=["no-slip-unchecked", "none-claimed-short", "one-claimed-met"],
)
def test_zhengzhou_at_least_one_post_claimed_on_the_member_slip(
    returns: Returns, posts: list[str] | None, short: str | None
) -> None:
    # 004 二（二）：每名党员要主动认领1个以上志愿服务岗位 (zs-member-slip 认领岗位).
    returns.registration("韩梅", UNIT, "新安社区", "2025-03-01", posts=posts)
    m = member(returns, "韩梅")
    said = [describe(s) for s in m.shortfalls if s.kind == "posts"]
    assert said == ([short] if short else [])


@pytest.mark.parametrize(
    ("activities", "points", "short"),
    [
        (4, [2, 1, 1, 1], []),
        (3, [2, 2, 1], ["参加活动3次，少于4次"]),
        (4, [1, 1, 1, 1], ["信用加分4分，低于5分"]),
    ],
    ids=["exactly-4-and-5-points", "3-activities", "4-activities-4-points"],
)
def test_rongcheng_minimum_four_activities_and_five_credit_points(
    returns: Returns, activities: int, points: list[int], short: list[str]
) -> None:
    returns.registration("周峰", "荣成市财政局", "香河社区", "2025-06-20")
    for i in range(activities):
        returns.ledger(
            f"2025-{7 + i:02d}-10", "荣成市财政局", "周峰", "志愿服务", "清理卫生", points[i], "香河社区"
        )
    m = member(returns, "周峰", policy=RONGCHENG)
    assert (m.activities, m.points) == (activities, sum(points))
    assert counted(m) == short
    assert m.minimum_met is (not short)


@pytest.mark.parametrize(("count", "met"), [(0, False), (1, True)])
def test_yuepu_minimum_one_activity_from_the_activity_card(returns: Returns, count: int, met: bool) -> None:
    returns.add(
        "yp-a4",
        {
            "member_name": "吴静",
            "member_organization": "宝钢股份党支部",
            "addressee_organization": "月浦八村党总支",
            "reported_on": "2015-06-20",
        },
    )
    rows = [{"date": "2015-09-12", "category": "环境整治", "content": "清理楼道"}][:count]
    returns.add("yp-a6", {"name": "吴静", "employer": "宝钢股份", "service_records": rows})
    m = member(returns, "吴静", policy=YUEPU, period=Period(2015), as_of=dt.date(2015, 12, 31))
    assert m.reported and m.community == "月浦八村"
    assert m.activities == count
    assert m.minimum_met is met


def test_a_member_who_moved_and_re_reported_within_a_month_counts_once_at_the_new_community(
    returns: Returns, tmp_path: Path
) -> None:
    from baodao.tally.roster import load_roster

    returns.registration("郑伟", UNIT, "新安社区", "2025-03-10")
    returns.score_sheet("郑伟", UNIT, [("2025-04-01", "宣讲", 5)])
    returns.registration("郑伟", UNIT, "峡窝社区", "2025-08-20")
    returns.score_sheet("郑伟", UNIT, [("2025-09-01", "巡逻", 5)])
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "姓名,工作单位及职务,所属社区,迁居日期\n郑伟,郑州市中心血站 科员,峡窝社区,2025-08-01\n",
        encoding="utf-8",
    )
    load_roster(returns.engine, roster)
    m = member(returns, "郑伟")
    assert m.reported and m.community == "峡窝社区"
    assert m.reported_on == dt.date(2025, 8, 20)
    assert (m.activities, m.points) == (2, 10)
    assert m.notes == []  # 19 days after the move: within 30 (004 二（一）)


def test_a_member_registered_twice_counts_at_the_later_and_one_registered_after_the_day_not_yet(
    returns: Returns,
) -> None:
    # Most members have one registration, joined to them as they are read; these are the others.
    returns.registration("韩梅", UNIT, "新安社区", "2025-03-10")
    returns.registration("韩梅", UNIT, "峡窝社区", "2025-05-20")
    returns.registration("宋佳", UNIT, "金华社区", "2025-06-15")
    twice = member(returns, "韩梅")
    assert (twice.reported, twice.community, twice.reported_on) == (True, "峡窝社区", dt.date(2025, 5, 20))
    before_second = member(returns, "韩梅", as_of=dt.date(2025, 4, 1))
    assert (before_second.community, before_second.reported_on) == ("新安社区", dt.date(2025, 3, 10))
    once = member(returns, "宋佳")
    assert (once.reported, once.community, once.reported_on) == (True, "金华社区", dt.date(2025, 6, 15))
    not_yet = member(returns, "宋佳", as_of=dt.date(2025, 6, 1))
    assert (not_yet.reported, not_yet.reported_on) == (False, None)
    assert [s.kind for s in not_yet.shortfalls][:1] == ["not_reported"]


def test_a_member_who_re_reported_late_is_noted_and_one_who_never_did_is_unreported(
    returns: Returns, tmp_path: Path
) -> None:
    from baodao.tally.roster import load_roster

    returns.registration("冯雪", UNIT, "新安社区", "2025-03-10")
    returns.registration("冯雪", UNIT, "峡窝社区", "2025-09-15")
    returns.registration("陈亮", UNIT, "新安社区", "2025-03-10")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "姓名,工作单位及职务,所属社区,迁居日期\n冯雪,郑州市中心血站,峡窝社区,2025-08-01\n陈亮,郑州市中心血站,金华社区,2025-08-01\n",
        encoding="utf-8",
    )
    load_roster(returns.engine, roster)
    late = member(returns, "冯雪")
    assert late.reported and late.notes == ["2025-08-01迁居，45天后才到新社区报到（应在30天内）"]
    never = member(returns, "陈亮")
    assert not never.reported and never.community == "金华社区"
    assert never.notes == ["2025-08-01迁居后未到新居住地社区报到"]
    grace = member(returns, "陈亮", as_of=dt.date(2025, 8, 21))
    assert grace.reported and grace.notes == ["2025-08-01迁居，尚未到新社区报到（还有10天）"]


def test_yearly_minimums_only_remind_before_the_year_is_over_and_are_not_judged_on_a_half(
    returns: Returns,
) -> None:
    returns.registration("林强", UNIT, "新安社区", "2025-03-01")
    returns.score_sheet("林强", UNIT, five_point_rows(1))
    early = member(returns, "林强", as_of=dt.date(2025, 11, 1))
    [pending] = [s for s in early.shortfalls if s.kind == "services"]
    assert describe(pending) == "参加志愿服务1次，少于2次，年底前还需完成"
    assert (pending.status, pending.period) == ("pending", "2025")
    assert early.minimum_met and early.consequence is None
    half = member(returns, "林强", period=Period(2025, 1), as_of=dt.date(2025, 7, 1))
    assert ([s for s in half.shortfalls if not s.unchecked], half.minimum_met) == ([], True)
    late = member(returns, "林强")
    assert not late.minimum_met


def test_a_roster_without_its_name_column_is_refused_with_the_columns_it_has(
    returns: Returns, tmp_path: Path
) -> None:
    from baodao.errors import DataError
    from baodao.tally.roster import load_roster

    roster = tmp_path / "名单.csv"
    roster.write_text("编号,电话\nSJ-1,139\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"名单.csv 不像党员名册：找不到“姓名”“工作单位及职务”列（第1行的列名：编号、电话）"
    ):
        load_roster(returns.engine, roster)


def test_a_registration_after_its_forms_deadline_is_noted_with_the_clause(returns: Returns) -> None:
    fields: dict[str, object] = {
        "member_name": "吴静",
        "member_organization": "宝钢股份党支部",
        "addressee_organization": "月浦八村党总支",
    }
    returns.add("yp-a4", {**fields, "reported_on": "2015-07-05"})
    returns.add("yp-a4", {**fields, "member_name": "周敏", "reported_on": "2015-06-30"})
    late = member(returns, "吴静", policy=YUEPU, period=Period(2015), as_of=dt.date(2015, 12, 31))
    assert late.reported
    [warning] = [s for s in late.shortfalls if s.kind == "late_registration"]
    assert (warning.found, warning.required, warning.status) == ("2015-07-05", "06-30", "warning")
    assert describe(warning) == (
        "2015-07-05报到，晚于6月30日（002 二、2：于6月底前持《党员与村居党组织联系报到单》……报到）（提醒）"
    )
    on_time = member(returns, "周敏", policy=YUEPU, period=Period(2015), as_of=dt.date(2015, 12, 31))
    assert not [s for s in on_time.shortfalls if s.kind == "late_registration"]


@pytest.mark.parametrize(
    ("on", "late"), [("2025-10-25", False), ("2025-10-26", True)], ids=["on-the-25th", "on-the-26th"]
)
def test_a_registration_kept_in_a_ledger_is_late_after_the_policys_day(
    returns: Returns, on: str, late: bool
) -> None:
    # 004 31号：10月25日前完成在职党员到居住地社区报到工作 — a ledger's 报到 row is judged by it too.
    returns.ledger(on, UNIT, "刘畅", "报到", "到新安社区报到", community="新安社区")
    m = member(returns, "刘畅")
    found = [s for s in m.shortfalls if s.kind == "late_registration"]
    assert m.reported
    assert [describe(s) for s in found] == (
        ["2025-10-26报到，晚于10月25日（004 31号：10月25日前完成在职党员到居住地社区报到工作）（提醒）"]
        if late
        else []
    )
