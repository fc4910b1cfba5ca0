"""Policy profiles: a jurisdiction's 双报到 rules as data (YAML), each rule citing its seed clause.

A user may copy a bundled profile, edit it, and pass its path; it is checked here, when it is loaded,
and every complaint names the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, cast

from baodao.errors import PolicyError
from baodao.form_templates.catalog import forms
from baodao.form_templates.spec import Deadline
from baodao.form_templates.yaml_fields import Fields, load_yaml

POLICIES_DIR = Path(__file__).resolve().parent / "policies"
KIND = "规则文件"


@dataclass(frozen=True)
class Rule:
    """One number a rule sets, the clause that sets it, and whether breaking it only warns."""

    value: float
    rule: str
    warn_only: bool = False


@dataclass(frozen=True)
class Points:
    base: int
    max_adjust: int
    rule: str


@dataclass(frozen=True)
class Stars:
    points_per_star: int
    max_stars: int
    settle: Literal["half_year", "year"]
    rule: str


@dataclass(frozen=True)
class Grades:
    levels: tuple[str, ...]
    rule: str
    loses_honours_from: str | None = None


@dataclass(frozen=True)
class Consequence:
    consequence: str
    rule: str


@dataclass(frozen=True)
class Day:
    """A day of the year (month, day), and the clause naming it."""

    month: int
    day: int
    rule: str

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)


@dataclass(frozen=True)
class MemberRules:
    min_activities_per_year: Rule | None = None  # community activities of any kind
    min_services_per_year: Rule | None = None  # volunteer services only (not 组织生活 or 主题党日)
    min_credit_points_per_year: Rule | None = None
    min_party_life_per_year: Rule | None = None
    min_posts: Rule | None = None
    min_intentions: Rule | None = None
    points: Points | None = None
    stars: Stars | None = None
    below_minimum: Consequence | None = None
    move_within_days: Rule | None = None
    deduction_per_unreported: Rule | None = None


@dataclass(frozen=True)
class UnitRules:
    min_volunteer_teams: Rule | None = None
    min_activities_per_month: Rule | None = None
    min_joint_meetings_per_quarter: Rule | None = None
    min_theme_days_per_half_year: Rule | None = None
    min_practical_matters_per_year: Rule | None = None
    min_studies_per_year: Rule | None = None
    min_projects_per_year: Rule | None = None
    max_project_score: Rule | None = None
    deduction_per_missed_activity: Rule | None = None
    grades: Grades | None = None


@dataclass(frozen=True)
class Policy:
    key: str
    title: str
    seeds: tuple[str, ...]
    member: MemberRules
    unit: UnitRules
    max_units_per_community: Rule | None
    sample_share: Rule | None
    deadlines: Mapping[str, Deadline]  # the policy's own word on a form's deadline, overriding the form's
    days: Mapping[str, Day]
    source: Path
    min_community_meetings_per_month: Rule | None = None

    @cached_property
    def deadline_of(self) -> dict[str, Deadline]:
        """Each form's deadline, by form key: the form's own (spec.yaml, for the forms of this policy's
        seeds), unless the policy names another with its clause."""
        specs = [f.spec for f in forms()]
        found = {s.key: s.deadline for s in specs if s.seed in self.seeds and s.deadline is not None}
        return found | dict(self.deadlines)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["source"] = str(self.source)
        data["days"] = {k: asdict(v) for k, v in self.days.items()}
        data["deadlines"] = {k: asdict(v) for k, v in self.deadline_of.items()}
        return data


_TOP = {
    "key",
    "title",
    "seeds",
    "member",
    "unit",
    "community",
    "checks",
    "deadlines",
    "service_starts",
    "receipts_due",
    "members_report_by",
    "units_report_by",
}
DAYS = ("service_starts", "receipts_due", "members_report_by", "units_report_by")
_MEMBER_RULES = {
    "min_activities_per_year",
    "min_services_per_year",
    "min_credit_points_per_year",
    "min_party_life_per_year",
    "min_posts",
    "min_intentions",
    "move_within_days",
    "deduction_per_unreported",
}
_UNIT_RULES = {
    "min_volunteer_teams",
    "min_activities_per_month",
    "min_joint_meetings_per_quarter",
    "min_theme_days_per_half_year",
    "min_practical_matters_per_year",
    "min_studies_per_year",
    "min_projects_per_year",
    "max_project_score",
    "deduction_per_missed_activity",
}


def read_policy(path: Path) -> Policy:
    """Load and check one profile file."""
    top = Fields(path, KIND, PolicyError, "", load_yaml(path, KIND, PolicyError), _TOP)
    member = top.nested(
        "member", top.get("member", dict, default={}), _MEMBER_RULES | {"points", "stars", "below_minimum"}
    )
    unit = top.nested("unit", top.get("unit", dict, default={}), _UNIT_RULES | {"grades"})
    community = top.nested(
        "community", top.get("community", dict, default={}), {"max_units", "min_meetings_per_month"}
    )
    checks = top.nested("checks", top.get("checks", dict, default={}), {"sample_share"})
    days = {name: _day(top, name) for name in DAYS if top.data.get(name)}
    return Policy(
        key=top.text("key", required=True),
        title=top.text("title", required=True),
        seeds=top.texts("seeds", required=True),
        member=MemberRules(
            **{name: _rule(member, name) for name in _MEMBER_RULES},
            points=_points(member),
            stars=_stars(member),
            below_minimum=_consequence(member),
        ),
        unit=UnitRules(**{name: _rule(unit, name) for name in _UNIT_RULES}, grades=_grades(unit)),
        max_units_per_community=_rule(community, "max_units"),
        sample_share=_rule(checks, "sample_share"),
        deadlines=dict(_deadline(top, i, raw) for i, raw in enumerate(top.items("deadlines"))),
        days=days,
        source=path,
        min_community_meetings_per_month=_rule(community, "min_meetings_per_month"),
    )


def _cited(f: Fields) -> str:
    return cast(str, f.text("rule", required=True))


def _rule(parent: Fields, name: str) -> Rule | None:
    raw = parent.data.get(name)
    if raw is None:
        return None
    f = parent.nested(name, raw, {"value", "rule", "warn_only"})
    value = f.get("value", (int, float), required=True)
    if value < 0:
        f.fail("value", "不能为负数")
    return Rule(float(value), _cited(f), f.flag("warn_only"))


def _points(parent: Fields) -> Points | None:
    if parent.data.get("points") is None:
        return None
    f = parent.nested("points", parent.data["points"], {"base", "max_adjust", "rule"})
    return Points(f.integer("base", required=True), f.integer("max_adjust", required=True), _cited(f))


def _stars(parent: Fields) -> Stars | None:
    if parent.data.get("stars") is None:
        return None
    f = parent.nested("stars", parent.data["stars"], {"points_per_star", "max_stars", "settle", "rule"})
    settle = cast(Literal["half_year", "year"], f.choice("settle", ("half_year", "year"), "half_year"))
    return Stars(
        f.integer("points_per_star", required=True), f.integer("max_stars", required=True), settle, _cited(f)
    )


def _consequence(parent: Fields) -> Consequence | None:
    if parent.data.get("below_minimum") is None:
        return None
    f = parent.nested("below_minimum", parent.data["below_minimum"], {"consequence", "rule"})
    return Consequence(f.text("consequence", required=True), _cited(f))


def _grades(parent: Fields) -> Grades | None:
    if parent.data.get("grades") is None:
        return None
    f = parent.nested("grades", parent.data["grades"], {"levels", "loses_honours_from", "rule"})
    levels = f.texts("levels", required=True)
    worst = f.text("loses_honours_from")
    if worst is not None and worst not in levels:
        f.fail("loses_honours_from", f"“{worst}”不是等次之一（{'、'.join(levels)}）")
    return Grades(levels, _cited(f), worst)


def _month_day(f: Fields) -> tuple[int, int]:
    text = f.text("date", required=True)
    try:
        month, day = (int(p) for p in text.split("-"))
        date(2000, month, day)
    except ValueError:
        f.fail("date", f"“{text}”应写成 月-日，如 10-25")
    return month, day


def _day(top: Fields, name: str) -> Day:
    f = top.nested(name, top.data[name], {"date", "rule"})
    month, day = _month_day(f)
    return Day(month, day, _cited(f))


def _deadline(top: Fields, i: int, raw: object) -> tuple[str, Deadline]:
    """A policy's override of a form's deadline (spec.yaml declares each form's own)."""
    f = top.nested(f"deadlines[{i}]", raw, {"form", "date", "rule"})
    key = f.text("form", required=True)
    if key not in {form.key for form in forms()}:
        f.fail("form", f"“{key}”不是目录中的表单")
    month, day = _month_day(f)
    return key, Deadline(month, day, _cited(f))


@cache
def bundled() -> tuple[Policy, ...]:
    """The profiles shipped with baodao, by key."""
    return tuple(read_policy(p) for p in sorted(POLICIES_DIR.glob("*.yaml")))


def load_policy(key_or_path: str) -> Policy:
    """A bundled profile by key, or a user's own file by path."""
    for policy in bundled():
        if policy.key == key_or_path:
            return policy
    path = Path(key_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return read_policy(path)
    known = "、".join(p.key for p in bundled())
    raise PolicyError(f"没有名为“{key_or_path}”的规则，也不是规则文件的路径。可用的规则：{known}")
