"""Unit and community tallies computed by hand: duties by month and quarter, deductions, grades, load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from baodao.tally.compute import tally
from baodao.tally.model import Tally, UnitTally
from baodao.tally.period import Period
from baodao.tally.policy import load_policy
from baodao.tally.roster import load_roster
from baodao.tally.wording import describe, describe_all

from .conftest import Returns

RONGCHENG = load_policy("rongcheng-2019")
ZHENGZHOU = load_policy("zhengzhou-2019")
YUEPU = load_policy("yuepu-2015")
FINANCE = "荣成市财政局"


def unit_of(result: Tally, name: str) -> UnitTally:
    found = [u for u in result.units if u.name == name]
    assert len(found) == 1
    return found[0]


def rc_unit(returns: Returns, name: str = FINANCE, community: str = "香河社区") -> None:
    returns.add("rc-a1", {"unit_name": name, "community": community})


def missed_months(u: UnitTally) -> list[str]:
    return [s.period for s in u.shortfalls if s.kind == "monthly_activity"]


def test_rongcheng_a_month_without_activity_costs_point_05_and_each_unreported_member_point_02(
    returns: Returns, tmp_path: Path
) -> None:
    rc_unit(returns)
    for month in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12):  # none in September
        returns.ledger(f"2025-{month:02d}-15", FINANCE, category="为民服务", content="义诊")
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,工作单位\n甲,荣成市财政局\n乙,荣成市财政局\n丙,荣成市财政局\n", encoding="utf-8")
    load_roster(returns.engine, roster)
    returns.registration("甲", FINANCE, "香河社区", "2025-06-20")
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)), FINANCE)
    assert u.activities_by_month == {m: 1 for m in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12)}
    assert u.missed_activities == 1
    assert missed_months(u) == ["2025-09"]
    assert describe_all([s for s in u.shortfalls if s.kind == "monthly_activity"]) == ["9月未开展活动"]
    assert (u.members, u.reported) == (3, 1)
    assert u.report_rate == pytest.approx(1 / 3)
    assert u.deduction == pytest.approx(0.05 + 2 * 0.02)


def test_a_month_not_yet_over_is_not_missed(returns: Returns) -> None:
    rc_unit(returns)
    for month in range(1, 8):
        returns.ledger(f"2025-{month:02d}-02", FINANCE)
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 8, 30)), FINANCE)
    assert u.missed_activities == 0  # January to July done; August not over on the 30th
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 8, 31)), FINANCE)
    assert (u.missed_activities, u.deduction) == (1, 0.05)


def test_rongcheng_a_unit_idle_in_march_misses_march_the_monthly_duty_holds_from_january(
    returns: Returns, tmp_path: Path
) -> None:
    # 000 三（三）每月至少……开展1次活动; “7月份……开展为民服务” was the 2019 launch, not a later start.
    rc_unit(returns)
    for month in (1, 2, 4):
        returns.ledger(f"2025-{month:02d}-10", FINANCE, category="为民服务", content="义诊")
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,工作单位\n甲,荣成市财政局\n", encoding="utf-8")
    load_roster(returns.engine, roster)
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 4, 30)), FINANCE)
    assert missed_months(u) == ["2025-03"]
    [march] = [s for s in u.shortfalls if s.kind == "monthly_activity"]
    assert (march.found, march.required, march.rule) == (0, 1, "min_activities_per_month")
    assert u.missed_activities == 1
    assert u.deduction == pytest.approx(0.05 + 0.02)  # 0.05 for March, 0.02 for 甲


def test_rongcheng_yearly_duties_are_judged_once_the_year_is_over(returns: Returns) -> None:
    rc_unit(returns)
    returns.ledger("2025-07-10", FINANCE, category="组建志愿服务队", content="财政局党员志愿服务队")
    returns.ledger("2025-08-10", FINANCE, category="帮办实事", content="修缮路灯")
    returns.ledger("2025-09-10", FINANCE, category="解决问题", content="疏通下水道")
    returns.ledger("2025-03-10", FINANCE, category="党组会", content="研究“双报到”工作")
    mid = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 11, 1)), FINANCE)
    assert not [s for s in mid.shortfalls if s.kind in ("practical_matters", "teams", "studies")]
    end = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)), FINANCE)
    assert (end.teams, end.practical_matters, end.studies) == (1, 2, 1)
    yearly = [s for s in end.shortfalls if s.kind in ("practical_matters", "teams", "studies")]
    assert [describe(s) for s in yearly] == ["帮办实事2件，少于3件"]


def test_rongcheng_a_party_group_that_never_studied_the_work_is_short(returns: Returns) -> None:
    # 000 二（二）：机关企事业单位党组（党委）每年至少研究一次“双报到”工作
    rc_unit(returns)
    returns.ledger("2025-03-10", FINANCE, category="为民服务", content="义诊")
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)), FINANCE)
    [study] = [s for s in u.shortfalls if s.kind == "studies"]
    assert (study.found, study.required, study.period) == (0, 1, "2025")
    assert describe(study) == "党组（党委）研究“双报到”工作0次，少于1次"


@pytest.mark.parametrize(("grade", "loses"), [("较好", False), ("一般", True), ("差", True)])
def test_rongcheng_grade_general_or_worse_loses_honours(returns: Returns, grade: str, loses: bool) -> None:
    rc_unit(returns)
    returns.add(
        "activity-ledger", {"date": None, "unit": FINANCE, "category": "综合评价", "content": grade}, "G"
    )
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)), FINANCE)
    assert u.grade == grade
    assert (u.consequence == "取消年度评先选优资格") is loses


def test_yuepu_grade_comes_from_the_activity_card_tick(returns: Returns) -> None:
    returns.add(
        "yp-a3", {"unit_organization_name": "宝钢股份党委", "performance": "良好", "sealed_on": "2015-12-20"}
    )
    returns.add(
        "yp-a2",
        {
            "unit_organization_name": "宝钢股份",
            "service_records": [{"date": "2015-10-01", "content": "敬老"}],
        },
    )
    result = tally(returns.engine, YUEPU, Period(2015), dt.date(2015, 12, 31))
    u = unit_of(result, "宝钢股份")
    assert (u.grade, u.consequence, u.projects, u.shortfalls) == ("良好", None, 1, [])


def test_zhengzhou_unit_duties_by_quarter_half_and_month(returns: Returns) -> None:
    unit = "郑州市卫生健康委员会"
    returns.add(
        "zs-unit-receipt",
        {"unit_name": unit, "organization": "中共上街区新安社区委员会", "reported_on": "2025-01-10"},
    )

    def activity(on: str, category: str, participants: list[str] | None = None) -> None:
        fields = {
            "organizer": unit,
            "held_on": on,
            "category": category,
            "content": "活动",
            "participants": participants or [],
        }
        returns.add("zs-activity", fields)

    activity("2025-02-20", "街道党建联席会或社区联合党委会")
    activity("2025-05-20", "街道党建联席会或社区联合党委会")
    activity("2025-06-01", "联合主题党日活动", ["李晓燕", "王强"])
    for month in range(1, 10):
        activity(f"2025-{month:02d}-10", "社区志愿服务活动")
    result = tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 10, 1))
    u = unit_of(result, unit)
    assert u.community == "新安社区"
    assert u.joint_meetings_by_quarter == {1: 1, 2: 1}
    assert u.theme_days_by_half == {1: 1}
    # Q4 and the second half not yet over
    assert [(s.kind, s.period, describe(s)) for s in u.shortfalls] == [
        ("joint_meetings", "2025-Q3", "第3季度未参加联席会")
    ]
    li = next(m for m in result.members if m.name == "李晓燕")
    assert (li.unit, li.party_life, li.activities) == (unit, 1, 1)


def test_zhengzhou_project_score_is_capped_at_30_per_project(returns: Returns) -> None:
    unit = "郑州市中心血站"
    returns.ledger("2025-04-01", unit, category="共建项目", content="无偿献血宣传", points=35)
    returns.ledger("2025-05-01", unit, category="共建项目", content="应急救护培训", points=20)
    u = unit_of(tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 12, 31)), unit)
    assert u.project_score == 30 + 20


def test_rongcheng_more_than_five_units_in_a_community_is_a_warning(returns: Returns) -> None:
    for i in range(6):
        rc_unit(returns, f"单位{i}", "香河社区")
    for i in range(5):
        rc_unit(returns, f"机关{i}", "寻山社区")
    result = tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31))
    by_name = {c.name: c for c in result.communities}
    assert len(by_name["香河社区"].units) == 6
    [warning] = [s for s in by_name["香河社区"].shortfalls if s.kind == "units_per_community"]
    assert (describe(warning), warning.status) == ("报到单位6家，超过5家（提醒）", "warning")
    assert not [s for s in by_name["寻山社区"].shortfalls if s.kind == "units_per_community"]


def test_rongcheng_a_community_month_without_joint_meeting_is_named(returns: Returns) -> None:
    # 000 二（二）：各社区每月至少召开1次联席工作会议 — any of its units' records of it counts.
    rc_unit(returns, "甲局", "香河社区")
    rc_unit(returns, "乙局", "香河社区")
    returns.ledger("2025-01-20", "甲局", category="联席会议", content="社区联席工作会议")
    returns.ledger("2025-02-20", "乙局", category="联席会议", content="社区联席工作会议")
    returns.ledger(
        "2025-04-20", "香河社区", category="联席会议", content="社区联席工作会议", community="香河社区"
    )
    result = tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 4, 30))
    c = next(c for c in result.communities if c.name == "香河社区")
    assert c.meetings_by_month == {1: 1, 2: 1, 4: 1}
    assert [s.period for s in c.shortfalls if s.kind == "community_meetings"] == ["2025-03"]
    assert describe_all(c.shortfalls) == ["3月未召开联席会议"]


def test_activity_participation_rate_is_members_with_an_activity_of_those_on_the_roster(
    returns: Returns, tmp_path: Path
) -> None:
    # 000 二（三）：报到率和活动参与率纳入党建年度考核
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "姓名,工作单位\n甲,荣成市财政局\n乙,荣成市财政局\n丙,荣成市财政局\n丁,荣成市财政局\n",
        encoding="utf-8",
    )
    load_roster(returns.engine, roster)
    returns.ledger("2025-05-10", FINANCE, "甲", "志愿服务", "义诊", 1, "香河社区")
    returns.ledger("2025-06-10", FINANCE, "甲", "志愿服务", "宣讲", 1, "香河社区")
    returns.ledger("2025-05-10", FINANCE, "乙", "志愿服务", "义诊", 1, "香河社区")
    u = unit_of(tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)), FINANCE)
    assert (u.members, u.active, u.participation_rate) == (4, 2, 0.5)


def test_community_coverage_is_the_share_of_its_units_that_were_active(returns: Returns) -> None:
    rc_unit(returns, "甲局", "香河社区")
    rc_unit(returns, "乙局", "香河社区")
    returns.ledger("2025-07-10", "甲局")
    [c] = tally(returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31)).communities
    assert (c.units, c.active_units, c.coverage) == (["乙局", "甲局"], 1, 0.5)


def test_a_tally_of_one_unit_has_only_that_units_members(returns: Returns) -> None:
    returns.registration("甲", FINANCE, "香河社区", "2025-06-20")
    returns.registration("乙", "荣成市教育局", "寻山社区", "2025-06-20")
    result = tally(
        returns.engine, RONGCHENG, Period(2025), dt.date(2025, 12, 31), unit=f"中共{FINANCE}支部委员会"
    )
    assert [(m.name, m.unit) for m in result.members] == [("甲", FINANCE)]
    assert [u.name for u in result.units] == [FINANCE]


def test_a_unit_receipt_after_its_deadline_is_a_reminder_not_a_failure(returns: Returns) -> None:
    unit = "郑州市卫生健康委员会"
    returns.add(
        "zs-unit-receipt", {"unit_name": unit, "organization": "新安社区党委", "reported_on": "2025-10-20"}
    )
    u = unit_of(tally(returns.engine, ZHENGZHOU, Period(2025), dt.date(2025, 10, 31)), unit)
    [late] = [s for s in u.shortfalls if s.kind == "late_registration"]
    assert describe(late).startswith("2025-10-20报到，晚于10月18日（004 郑卫直机党〔2019〕31号")
    assert late.warn_only
