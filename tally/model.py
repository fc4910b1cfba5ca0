"""What a tally finds: per member, per unit, per community, each shortfall with the clause it breaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from baodao.tally.period import Period


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A rule not met: what was found, what the rule asks, and where the rule says so."""

    what: str
    rule: str
    warn_only: bool = False
    pending: bool = False  # a yearly minimum not met yet, with part of the year still to go

    @property
    def counts(self) -> bool:
        """Whether it fails the rule now (a warning or a pending minimum does not)."""
        return not (self.warn_only or self.pending)

    def __str__(self) -> str:
        return self.what + ("，年底前还需完成" if self.pending else "（提醒）" if self.warn_only else "")


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
    party_life: int = 0
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
    activities_by_month: dict[int, int] = field(default_factory=dict)
    joint_meetings_by_quarter: dict[int, int] = field(default_factory=dict)
    theme_days_by_half: dict[int, int] = field(default_factory=dict)
    practical_matters: int = 0
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


@dataclass
class CommunityTally:
    name: str
    units: list[str] = field(default_factory=list)
    active_units: int = 0
    members_reported: int = 0
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

    def as_json(self) -> dict[str, object]:
        def plain(obj: object) -> dict[str, object]:
            data = asdict(obj)  # type: ignore[call-overload]
            for name in ("report_rate", "coverage"):
                if hasattr(obj, name):
                    data[name] = getattr(obj, name)
            return dict(data)

        return {
            "policy": self.policy,
            "period": {"year": self.period.year, "half": self.period.half, "label": self.period.label},
            "as_of": self.as_of.isoformat(),
            "members": [plain(m) for m in self.members],
            "units": [plain(u) for u in self.units],
            "communities": [plain(c) for c in self.communities],
        }
