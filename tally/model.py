"""What a tally finds: per member, per unit, per community, each shortfall with the clause it breaks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Literal

from baodao.tally.period import Period

Found = int | float | str | None

# What a shortfall is about; tally.wording says each in Chinese.
ShortfallKind = Literal[
    "not_reported",  # a member who has not reported to a community
    "late_registration",  # reported after the deadline (found: the day; required: the deadline, 月-日)
    "late_receipt",  # a 回执 handed in after the policy's day (found: the day; required: 月-日)
    "activities",  # community activities of any kind in the year
    "services",  # volunteer services in the year (not 组织生活 or 主题党日)
    "credit_points",
    "party_life",  # 组织生活 or 主题活动 in the community
    "posts",  # posts claimed (认领岗位) or projects chosen (服务项目)
    "intentions",  # service intentions written on the 报到证
    "monthly_activity",  # a unit's month without activity (period: “2025-03”)
    "joint_meetings",  # a quarter without 联席会 (period: “2025-Q3”)
    "theme_days",  # a half year without 联合主题党日 (period: “2025-H1”)
    "practical_matters",
    "projects",
    "teams",
    "studies",  # 党组（党委）研究“双报到”工作
    "community_meetings",  # a community's month without 联席会议 (period: “2025-03”)
    "units_per_community",
    "unknown_grade",  # found: the grade given; required: the policy's levels joined by 、
]
Status = Literal["short", "pending", "warning", "unchecked"]


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A rule not met, as data: what kind, over which period, what was found against what the rule
    requires, the policy's rule (its key) and the clause that sets it. tally.wording says it in Chinese."""

    kind: ShortfallKind
    period: str  # “2025”, “2025-H1”, “2025-Q3”, “2025-09”
    found: Found
    required: Found
    rule: str  # the policy key, such as “min_services_per_year”
    clause: str  # the seed's words, such as “004 二（二）：……”
    warn_only: bool = False
    pending: bool = False  # a yearly minimum not met yet, with part of the year still to go
    unchecked: bool = False  # the data cannot decide (no form records it): 未核对, never met

    @property
    def counts(self) -> bool:
        """Whether it fails the rule now (a warning, a pending minimum or an unchecked rule does not)."""
        return not (self.warn_only or self.pending or self.unchecked)

    @property
    def status(self) -> Status:
        if self.unchecked:
            return "unchecked"
        if self.pending:
            return "pending"
        return "warning" if self.warn_only else "short"


@dataclass(slots=True)  # one per member: 100,000 of them in a large tally
class MemberTally:
    person_id: int
    name: str
    unit: str
    community: str
    member_no: str | None
    on_roster: bool
    reported: bool
    reported_on: dt.date | None
    activities: int = 0
    services: int = 0  # activities that are volunteer service (not 组织生活, 主题党日 or 联席会)
    party_life: int = 0
    posts: int | None = None  # posts claimed or projects chosen, None when no returned form records them
    intentions: int | None = None  # service intentions on the 报到证, None when none was returned
    activities_by_half: dict[int, int] = field(default_factory=dict)
    points: int = 0
    points_by_half: dict[int, int] = field(default_factory=dict)
    stars_by_half: dict[int, int] = field(default_factory=dict)
    points_adjusted: int = 0  # activities whose points were brought back into the ±band
    minimum_met: bool = True
    shortfalls: list[Shortfall] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    consequence: str | None = None
    deduction: float = 0.0


@dataclass
class UnitTally:
    person_id: int | None
    name: str
    community: str
    members: int = 0  # on the roster
    reported: int = 0
    active: int = 0  # of those, members with at least one activity in the period (活动参与率)
    activities_by_month: dict[int, int] = field(default_factory=dict)
    joint_meetings_by_quarter: dict[int, int] = field(default_factory=dict)
    meetings_by_month: dict[int, int] = field(default_factory=dict)  # the 联席会 counted by quarter, by month
    theme_days_by_half: dict[int, int] = field(default_factory=dict)
    practical_matters: int = 0
    studies: int = 0  # 党组（党委）研究“双报到”工作
    projects: int = 0
    teams: int = 0
    project_score: int = 0
    missed_activities: int = 0
    deduction: float = 0.0
    grade: str | None = None
    consequence: str | None = None
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def report_rate(self) -> float | None:
        return self.reported / self.members if self.members else None

    @property
    def participation_rate(self) -> float | None:
        """活动参与率 (000 二（三））: members with an activity in the period, of those expected."""
        return self.active / self.members if self.members else None


@dataclass
class CommunityTally:
    name: str
    units: list[str] = field(default_factory=list)
    active_units: int = 0
    members_reported: int = 0
    meetings_by_month: dict[int, int] = field(default_factory=dict)  # 联席会议 its units recorded
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def coverage(self) -> float | None:
        return self.active_units / len(self.units) if self.units else None


@dataclass
class Tally:
    policy: str
    period: Period
    as_of: dt.date
    members: list[MemberTally]
    units: list[UnitTally]
    communities: list[CommunityTally]

    def as_json(self, describe: Callable[[Shortfall], str] | None = None) -> dict[str, object]:
        """Every figure as plain data; each shortfall with its status and, given ``describe``, its text."""

        def shortfall(s: Shortfall) -> dict[str, object]:
            data: dict[str, object] = {f.name: getattr(s, f.name) for f in fields(s)}
            data["status"] = s.status
            if describe is not None:
                data["text"] = describe(s)
            return data

        def plain(obj: MemberTally | UnitTally | CommunityTally) -> dict[str, object]:
            data = {f.name: getattr(obj, f.name) for f in fields(obj)}
            data["shortfalls"] = [shortfall(s) for s in obj.shortfalls]
            for name in ("report_rate", "participation_rate", "coverage"):
                if hasattr(obj, name):
                    data[name] = getattr(obj, name)
            return data

        return {
            "policy": self.policy,
            "period": {"year": self.period.year, "half": self.period.half, "label": self.period.label},
            "as_of": self.as_of.isoformat(),
            "members": [plain(m) for m in self.members],
            "units": [plain(u) for u in self.units],
            "communities": [plain(c) for c in self.communities],
        }
