"""A unit's tally under a policy: 报到率, duties by month, quarter and year, scores, deductions, grade."""

from __future__ import annotations

import datetime as dt

from baodao.tally.categories import UNIT_MONTHLY
from baodao.tally.model import MemberTally, Shortfall, UnitTally
from baodao.tally.period import Period, quarter_of
from baodao.tally.policy import Policy, Rule
from baodao.tally.queries import Counted


def unit_tally(
    unit: UnitTally,
    members: list[MemberTally],
    counted: dict[tuple[int, str], Counted],
    grade: str | None,
    policy: Policy,
    period: Period,
    as_of: dt.date,
) -> UnitTally:
    """Fill ``unit`` (named, with its community) from its members, its activities and its rating."""
    expected = [m for m in members if m.on_roster] or members
    unit.members = len(expected)
    unit.reported = sum(1 for m in expected if m.reported)
    for (month, category), c in counted.items():
        if category in UNIT_MONTHLY:
            unit.activities_by_month[month] = unit.activities_by_month.get(month, 0) + c.count
        if category == "joint_meeting":
            q = quarter_of(month)
            unit.joint_meetings_by_quarter[q] = unit.joint_meetings_by_quarter.get(q, 0) + c.count
        if category == "theme_day":
            h = 1 if month <= 6 else 2
            unit.theme_days_by_half[h] = unit.theme_days_by_half.get(h, 0) + c.count
        unit.practical_matters += c.count if category == "practical_matter" else 0
        unit.projects += c.count if category in ("project", "service") else 0
        unit.teams += c.count if category == "team" else 0
        unit.project_score += c.points if category == "project" else 0
    _duties(unit, policy, period, as_of)
    _deductions(unit, members, policy)
    _grade(unit, grade, policy)
    return unit


def _duties(unit: UnitTally, policy: Policy, period: Period, as_of: dt.date) -> None:
    rules = policy.unit
    starts = policy.days.get("service_starts")
    monthly = rules.min_activities_per_month
    if monthly is not None:
        first = starts.in_year(period.year) if starts else None
        for month in period.months(first, as_of):
            short = int(monthly.value) - unit.activities_by_month.get(month, 0)
            if short > 0:
                unit.missed_activities += short
                unit.shortfalls.append(_short(f"{month}月未开展活动", monthly))
    meetings = rules.min_joint_meetings_per_quarter
    if meetings is not None:
        for q in sorted({quarter_of(m) for m in period.months(None, as_of) if m % 3 == 0}):
            if unit.joint_meetings_by_quarter.get(q, 0) < meetings.value:
                unit.shortfalls.append(_short(f"第{q}季度未参加联席会", meetings))
    theme = rules.min_theme_days_per_half_year
    if theme is not None:
        for h in period.halves:
            over = Period(period.year, h).end <= as_of
            if over and unit.theme_days_by_half.get(h, 0) < theme.value:
                unit.shortfalls.append(_short(f"{'上' if h == 1 else '下'}半年未组织联合主题党日", theme))
    if period.end <= as_of:
        yearly = (
            (rules.min_practical_matters_per_year, unit.practical_matters, "帮办实事{n}件，少于{v}件"),
            (rules.min_projects_per_year, unit.projects, "完成服务项目{n}个，少于{v}个"),
            (rules.min_volunteer_teams, unit.teams, "组建志愿服务队{n}支，少于{v}支"),
        )
        for rule, found, text in yearly:
            if rule is not None and found < rule.value:
                unit.shortfalls.append(_short(text.format(n=found, v=f"{rule.value:g}"), rule))


def _deductions(unit: UnitTally, members: list[MemberTally], policy: Policy) -> None:
    per_activity = policy.unit.deduction_per_missed_activity
    per_person = policy.member.deduction_per_unreported
    total = 0.0
    if per_activity is not None:
        total += per_activity.value * unit.missed_activities
    if per_person is not None:
        total += per_person.value * sum(1 for m in members if m.on_roster and not m.reported)
    unit.deduction = round(total, 2)


def _grade(unit: UnitTally, grade: str | None, policy: Policy) -> None:
    grades = policy.unit.grades
    if grades is None or grade is None:
        return
    unit.grade = grade
    if grade not in grades.levels:
        unit.shortfalls.append(
            Shortfall(f"等次“{grade}”不是本规则的等次（{'、'.join(grades.levels)}）", grades.rule, True)
        )
        return
    worst = grades.loses_honours_from
    if worst is not None and grades.levels.index(grade) >= grades.levels.index(worst):
        unit.consequence = "取消年度评先选优资格"


def _short(what: str, rule: Rule) -> Shortfall:
    return Shortfall(what, rule.rule, rule.warn_only)
