"""A unit's tally under a policy: 报到率, duties by month, quarter and year, scores, deductions, grade."""

from __future__ import annotations

import datetime as dt

from baodao.tally.categories import UNIT_MONTHLY
from baodao.tally.model import MemberTally, Shortfall, ShortfallKind, UnitTally
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
    unit.active = sum(1 for m in expected if m.activities)
    for (month, category), c in counted.items():
        if category in UNIT_MONTHLY:
            unit.activities_by_month[month] = unit.activities_by_month.get(month, 0) + c.count
        if category == "joint_meeting":
            unit.meetings_by_month[month] = unit.meetings_by_month.get(month, 0) + c.count
            q = quarter_of(month)
            unit.joint_meetings_by_quarter[q] = unit.joint_meetings_by_quarter.get(q, 0) + c.count
        if category == "theme_day":
            h = 1 if month <= 6 else 2
            unit.theme_days_by_half[h] = unit.theme_days_by_half.get(h, 0) + c.count
        unit.practical_matters += c.count if category == "practical_matter" else 0
        unit.studies += c.count if category == "study" else 0
        unit.projects += c.count if category in ("project", "service") else 0
        unit.teams += c.count if category == "team" else 0
        unit.project_score += c.points if category == "project" else 0
    _duties(unit, policy, period, as_of)
    _deductions(unit, members, policy)
    _grade(unit, grade, policy, str(period.year))
    return unit


def _duties(unit: UnitTally, policy: Policy, period: Period, as_of: dt.date) -> None:
    rules = policy.unit
    year = period.year
    # A policy may say its monthly duty starts later in the year; none of the bundled ones does.
    starts = policy.days.get("service_starts")
    monthly = rules.min_activities_per_month
    if monthly is not None:
        first = starts.in_year(year) if starts else None
        for month in period.months(first, as_of):
            found = unit.activities_by_month.get(month, 0)
            short = int(monthly.value) - found
            if short > 0:
                unit.missed_activities += short
                unit.shortfalls.append(
                    _short(
                        "monthly_activity", f"{year}-{month:02d}", found, monthly, "min_activities_per_month"
                    )
                )
    meetings = rules.min_joint_meetings_per_quarter
    if meetings is not None:
        for q in sorted({quarter_of(m) for m in period.months(None, as_of) if m % 3 == 0}):
            found = unit.joint_meetings_by_quarter.get(q, 0)
            if found < meetings.value:
                unit.shortfalls.append(
                    _short(
                        "joint_meetings", f"{year}-Q{q}", found, meetings, "min_joint_meetings_per_quarter"
                    )
                )
    theme = rules.min_theme_days_per_half_year
    if theme is not None:
        for h in period.halves:
            over = Period(year, h).end <= as_of
            found = unit.theme_days_by_half.get(h, 0)
            if over and found < theme.value:
                unit.shortfalls.append(
                    _short("theme_days", f"{year}-H{h}", found, theme, "min_theme_days_per_half_year")
                )
    if period.end <= as_of:
        yearly: tuple[tuple[ShortfallKind, str, Rule | None, int], ...] = (
            (
                "practical_matters",
                "min_practical_matters_per_year",
                rules.min_practical_matters_per_year,
                unit.practical_matters,
            ),
            ("studies", "min_studies_per_year", rules.min_studies_per_year, unit.studies),
            ("projects", "min_projects_per_year", rules.min_projects_per_year, unit.projects),
            ("teams", "min_volunteer_teams", rules.min_volunteer_teams, unit.teams),
        )
        for kind, name, rule, found in yearly:
            if rule is not None and found < rule.value:
                unit.shortfalls.append(_short(kind, str(year), found, rule, name))


def _deductions(unit: UnitTally, members: list[MemberTally], policy: Policy) -> None:
    per_activity = policy.unit.deduction_per_missed_activity
    per_person = policy.member.deduction_per_unreported
    total = 0.0
    if per_activity is not None:
        total += per_activity.value * unit.missed_activities
    if per_person is not None:
        total += per_person.value * sum(1 for m in members if m.on_roster and not m.reported)
    unit.deduction = round(total, 2)


def _grade(unit: UnitTally, grade: str | None, policy: Policy, year: str) -> None:
    grades = policy.unit.grades
    if grades is None or grade is None:
        return
    unit.grade = grade
    if grade not in grades.levels:
        levels = "、".join(grades.levels)
        unit.shortfalls.append(Shortfall("unknown_grade", year, grade, levels, "grades", grades.rule, True))
        return
    worst = grades.loses_honours_from
    if worst is not None and grades.levels.index(grade) >= grades.levels.index(worst):
        unit.consequence = "取消年度评先选优资格"


def _short(kind: ShortfallKind, period: str, found: int, rule: Rule, name: str) -> Shortfall:
    required = int(rule.value) if rule.value.is_integer() else rule.value
    return Shortfall(kind, period, found, required, name, rule.rule, rule.warn_only)
