"""The 统计 page's figures: a tally of the visitor's offices, cut into the tables, charts and side-by-side
figures the page shows and the XLSX it exports; kept while its data is unchanged, and made again on a
thread once it has changed (`cache.py`); the views asked for, made again when the server restarts."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Engine

from baodao.errors import BaodaoError, DataError
from baodao.store.accounts import user_with_id
from baodao.store.offices import Office, all_offices, office_ids_under, subtree
from baodao.store.tally_views import recent_views, remember_view
from baodao.tally import detail
from baodao.tally.compute import tally
from baodao.tally.model import MemberTally, Shortfall, Tally, UnitTally
from baodao.tally.offices import owns_all, people_by_office
from baodao.tally.period import Period
from baodao.tally.policy import Policy, bundled, load_policy
from baodao.tally.wording import describe
from baodao.web import cache
from baodao.web.auth import NotFound, Visitor
from baodao.web.cache import Shown, kept

T = TypeVar("T")
log = logging.getLogger("baodao.web")
STATUS = {"short": "未达到", "pending": "待完成", "warning": "提醒", "unchecked": "未核对"}
SHOWN = 200  # rows of a table on the page; the export has them all
MEMBER_SORTS = {
    "unit": ("单位", lambda m: (m.unit, m.name)),
    "name": ("姓名", lambda m: (m.name, m.unit)),
    "problems": ("问题多的在前", lambda m: (-failing(m), m.unit, m.name)),
    "points": ("积分低的在前", lambda m: (m.points, m.unit, m.name)),
    "activities": ("活动少的在前", lambda m: (m.activities, m.unit, m.name)),
}
UNIT_SORTS = {
    "name": ("单位", lambda u: (u.name,)),
    "rate": ("报到率低的在前", lambda u: (u.report_rate if u.report_rate is not None else 2, u.name)),
    "participation": (
        "活动参与率低的在前",
        lambda u: (u.participation_rate if u.participation_rate is not None else 2, u.name),
    ),
    "missed": ("缺月多的在前", lambda u: (-u.missed_months, u.name)),
    "deduction": ("扣分多的在前", lambda u: (-u.deduction, u.name)),
}


@dataclass(frozen=True)
class Choice:
    """What the page was asked for: rule, period, whose figures, and how the tables are cut."""

    policy: str
    year: int
    half: int | None
    as_of: dt.date | None = None
    office: int | None = None  # one office (and those under it) of the visitor's; None: all of them
    unit: str = ""
    q: str = ""  # part of a name
    show: str = "problem"  # problem (any shortfall but 未核对), short (fails now), all
    sort: str = "unit"
    usort: str = "name"

    @property
    def period(self) -> Period:
        return Period(self.year, self.half)


def read_choice(params: Mapping[str, str]) -> Choice:
    """The page's query string as a choice; a value that makes no sense is said in Chinese."""
    keys = [p.key for p in bundled()]
    policy = params.get("policy") or keys[0]
    if policy not in keys:
        raise DataError(f"没有名为“{policy}”的规则（内置的：{'、'.join(keys)}）")
    try:
        year = int(params.get("year") or dt.date.today().year)
        half_raw = params.get("half") or ""
        half = int(half_raw) if half_raw else None
        as_of_raw = params.get("as_of") or ""
        as_of = dt.date.fromisoformat(as_of_raw) if as_of_raw else None
        office_raw = params.get("office") or ""
        office = int(office_raw) if office_raw else None
    except ValueError as exc:
        raise DataError("年度、半年、统计日或组织填写不对（年度如 2025，统计日如 2025-12-31）") from exc
    show = params.get("show") or "problem"
    sort = params.get("sort") or "unit"
    usort = params.get("usort") or "name"
    return Choice(
        policy,
        year,
        half,
        as_of,
        office,
        (params.get("unit") or "").strip(),
        (params.get("q") or "").strip(),
        show if show in ("problem", "short", "all") else "problem",
        sort if sort in MEMBER_SORTS else "unit",
        usort if usort in UNIT_SORTS else "name",
    )


def offices_of(engine: Engine, visitor: Visitor, office: int | None) -> frozenset[int] | None:
    """The offices whose people a tally counts: the visitor's (or one of them and those under it); None
    when they are every office there is."""
    if office is None:
        wanted = set(visitor.offices)
    else:
        visitor.check(office)
        wanted = {o.id for o in subtree(engine, office)}
    every = {o.id for o in all_offices(engine)}
    return None if wanted >= every else frozenset(wanted)


def counted(engine: Engine, scope: frozenset[int] | None, count: Callable[[frozenset[int] | None], T]) -> T:
    """``count(scope)``, or ``count(None)`` (everyone, cheaper) when the offices of ``scope`` own all the
    data there is — asked again afterwards, so data of another office stored meanwhile is never shown."""
    if scope is None:
        return count(None)
    with engine.connect() as conn:
        if not owns_all(conn, scope):
            return count(scope)
    made = count(None)
    with engine.connect() as conn:
        return made if owns_all(conn, scope) else count(scope)


def as_of(choice: Choice) -> dt.date:
    """The day counted on: the one asked for, else today, or the period's last day when it is over."""
    if choice.as_of is not None:
        return choice.as_of
    return min(dt.date.today(), choice.period.end)


def scope_of(engine: Engine, visitor: Visitor, choice: Choice) -> frozenset[int] | None:
    return offices_of(engine, visitor, choice.office)


@dataclass(frozen=True)
class View:
    """What the 统计 page shows of one tally, made together and kept together: the page itself then only
    filters, sorts and cuts its tables."""

    tally: Tally
    summary: Summary
    stars: dict[int, int] | None
    by_month: dict[int, int]
    side: SideBySide


def view(
    engine: Engine, visitor: Visitor, choice: Choice, *, wait: bool = False, grace: float | None = None
) -> Shown[View]:
    """The page's figures: kept, and while newer data is being tallied the kept ones, marked stale."""
    policy = load_policy(choice.policy)
    scope = scope_of(engine, visitor, choice)
    when = as_of(choice)

    def make() -> View:
        result = counted(
            engine, scope, lambda offices: tally(engine, policy, choice.period, when, offices=offices)
        )
        by_month = counted(
            engine, scope, lambda offices: detail.activities_by_month(engine, choice.period, offices)
        )
        side = side_by_side(engine, visitor, result, choice.office)
        made = View(
            result, summary(result.members, result.units), stars_counts(result.members), by_month, side
        )
        _remember(engine, visitor, choice)
        return made

    # Keyed by the offices counted, those compared side by side, the rule, the period and the day.
    root = choice.office if choice.office is not None else visitor.user.office_id
    key = ("view", scope, root, choice.policy, choice.period, when)
    return kept(engine, key, make, lambda v: len(v.tally.members), wait=wait, grace=grace)


def _remember(engine: Engine, visitor: Visitor, choice: Choice) -> None:
    """Note the view (its rule, period, day and office) for `warm` to make again after a restart; a view is
    shown even when it cannot be noted."""
    asked: dict[str, str | int | None] = {
        "policy": choice.policy,
        "year": choice.year,
        "half": choice.half,
        "as_of": choice.as_of.isoformat() if choice.as_of else None,
        "office": choice.office,
    }
    try:
        remember_view(engine, visitor.user.id, asked)
    except BaodaoError:
        log.warning("无法记下统计视图（%s）", asked, exc_info=True)


# A restarted server makes again up to WARM_VIEWS views asked for in the last 30 days, for at most
# WARM_SECONDS, until they fill WARM_SHARE of the kept tallies (the rest is room for views asked anew).
WARM_VIEWS, WARM_SECONDS, WARM_SHARE = 50, 600.0, 0.8


@dataclass(frozen=True)
class Warmed:
    views: int  # made (or found kept: two clerks of one office asking the same)
    failed: int  # no longer possible (an office moved, a rule gone) or failing: logged
    seconds: float


def warm(engine: Engine, stop: threading.Event | None = None) -> Warmed:
    """Make the 统计 views asked for recently, before anyone asks: a restarted server would otherwise make
    each office's first view while its clerk waits (a street's 100,000 members: seconds). The most recent
    are made first, and no more than the kept tallies hold (`cache.KEPT`): a view made only to give way to the
    next would be CPU taken from the clerks coming in."""
    start = time.monotonic()
    made = failed = 0
    before = set(cache.kept_keys())
    for asked in recent_views(engine, WARM_VIEWS):
        if (stop is not None and stop.is_set()) or time.monotonic() - start > WARM_SECONDS:
            break
        try:
            user = user_with_id(engine, asked.user_id)
            if user is None or not user.active:
                continue
            visitor = Visitor(user, "", frozenset(office_ids_under(engine, user.office_id)))
            params = {k: str(v) for k, v in asked.choice.items() if v is not None}  # as the page is asked
            view(engine, visitor, read_choice(params), wait=True)
            made += 1
        except Exception:  # one view that cannot be made does not keep the others from being made
            log.warning("预先统计失败（%s）", asked.choice, exc_info=True)
            failed += 1
        if cache.kept_members() >= cache.KEPT * WARM_SHARE:
            break
    # The most recently asked is the last to give way, as if it had been viewed last.
    cache.used_in_order(reversed([k for k in cache.kept_keys() if k not in before]))
    return Warmed(made, failed, time.monotonic() - start)


def run(engine: Engine, visitor: Visitor, choice: Choice, unit: str) -> Tally:
    """One unit's tally for the visitor's offices, on the data as it is now (a member's drill-down)."""
    policy = load_policy(choice.policy)
    scope = scope_of(engine, visitor, choice)
    when = as_of(choice)
    return kept(
        engine,
        ("tally", scope, choice.policy, choice.period, when, unit),
        lambda: counted(
            engine,
            scope,
            lambda offices: tally(engine, policy, choice.period, when, unit=unit, offices=offices),
        ),
        lambda t: len(t.members),
    ).value


@dataclass(frozen=True)
class Problem:
    text: str
    status: str  # 未达到, 待完成, 提醒, 未核对
    rule: str
    clause: str


def problems(shortfalls: Sequence[Shortfall]) -> list[Problem]:
    return [Problem(describe(s), STATUS[s.status], s.rule, s.clause) for s in shortfalls]


@dataclass(frozen=True)
class MemberLine:
    person_id: int
    name: str
    unit: str
    community: str
    on_roster: bool
    reported: bool
    reported_on: dt.date | None
    activities: int
    services: int
    points: int
    stars: int | None
    short: int  # shortfalls that fail now
    problems: list[Problem]


def failing(m: MemberTally) -> int:
    """How many of a member's shortfalls fail now."""
    return sum(1 for s in m.shortfalls if s.counts)


def member_line(m: MemberTally) -> MemberLine:
    stars = sum(m.stars_by_half.values()) if m.stars_by_half else None
    short = failing(m)
    return MemberLine(
        m.person_id,
        m.name,
        m.unit,
        m.community,
        m.on_roster,
        m.reported,
        m.reported_on,
        m.activities,
        m.services,
        m.points,
        stars,
        short,
        problems(m.shortfalls),
    )


def chosen_members(result: Tally, choice: Choice) -> list[MemberTally]:
    """The members the tables show: with a problem (or all, or those failing now), filtered and sorted;
    lines are made (`member_line`) only for the ones shown."""
    found = []
    for m in result.members:
        if choice.unit and m.unit != choice.unit:
            continue
        if choice.q and choice.q not in m.name:
            continue
        if choice.show == "short" and not any(s.counts for s in m.shortfalls):
            continue
        if choice.show == "problem" and not any(not s.unchecked for s in m.shortfalls):
            continue
        found.append(m)
    found.sort(key=MEMBER_SORTS[choice.sort][1])
    return found


def member_lines(result: Tally, choice: Choice) -> list[MemberLine]:
    return [member_line(m) for m in chosen_members(result, choice)]


@dataclass(frozen=True)
class UnitLine:
    name: str
    community: str
    members: int
    reported: int
    report_rate: float | None
    participation_rate: float | None
    missed_months: int
    joint_meetings: int
    theme_days: int
    deduction: float
    grade: str | None
    problems: list[Problem]


def unit_lines(result: Tally, choice: Choice) -> list[UnitLine]:
    found = [
        UnitLine(
            u.name,
            u.community,
            u.members,
            u.reported,
            u.report_rate,
            u.participation_rate,
            sum(1 for s in u.shortfalls if s.kind == "monthly_activity" and s.counts),
            sum(u.joint_meetings_by_quarter.values()),
            sum(u.theme_days_by_half.values()),
            u.deduction,
            u.grade,
            problems(u.shortfalls),
        )
        for u in result.units
        if (not choice.unit or u.name == choice.unit) and (not choice.q or choice.q in u.name)
    ]
    found.sort(key=UNIT_SORTS[choice.usort][1])
    return found


@dataclass(frozen=True)
class CommunityLine:
    name: str
    units: list[str]
    members_reported: int
    coverage: float | None
    too_many: bool
    problems: list[Problem]


def community_lines(result: Tally, policy: Policy) -> list[CommunityLine]:
    limit = policy.max_units_per_community
    most = int(limit.value) if limit else 5  # 000 二（二）'s five, where a policy states none
    return [
        CommunityLine(
            c.name, c.units, c.members_reported, c.coverage, len(c.units) > most, problems(c.shortfalls)
        )
        for c in result.communities
    ]


@dataclass(frozen=True)
class Summary:
    expected: int  # 应报到: members on the roster
    reported: int  # of those, reported
    rate: float | None
    members_short: int
    units_short: int
    reported_off_roster: int  # reported, but on no roster loaded


def summary(members: Sequence[MemberTally], units: Sequence[UnitTally]) -> Summary:
    """The page's four cards. One pass over the members: a street's summary, and its offices' side by
    side, count 100,000 of them."""
    expected = reported = short = off_roster = 0
    for m in members:
        if m.on_roster:
            expected += 1
            reported += m.reported
        elif m.reported:
            off_roster += 1
        if m.shortfalls and failing(m):
            short += 1
    return Summary(
        expected,
        reported,
        reported / expected if expected else None,
        short,
        sum(1 for u in units if any(s.counts for s in u.shortfalls)),
        off_roster,
    )


@dataclass(frozen=True)
class OfficeFigures:
    office: Office
    summary: Summary
    communities: int


@dataclass
class SideBySide:
    """Each office directly under the visitor's, with its figures, for a 组织部 or 街道 to compare."""

    offices: list[OfficeFigures] = field(default_factory=list)


def side_by_side(engine: Engine, visitor: Visitor, result: Tally, office: int | None) -> SideBySide:
    """The figures of each office right under ``office`` (the visitor's own when None), from one tally:
    its people are found once per office, and its members and units cut out of ``result``."""
    root = office if office is not None else visitor.user.office_id
    tree = subtree(engine, root)
    children = [o for o in tree if o.depth == 1]
    if not children:
        return SideBySide()
    child_of: dict[int, int] = {}
    owner: int | None = None
    for o in tree:  # depth first: each office after its parent
        if o.depth == 1:
            owner = o.id
        if o.depth >= 1 and owner is not None:
            child_of[o.id] = owner
    with engine.connect() as conn:
        found = people_by_office(conn, child_of)
    # Each office right under ``root``: its people (one may belong to two), then their tallies.
    people: dict[int, set[int]] = defaultdict(set)
    for office, ids in found.items():
        people[child_of[office]].update(ids)
    by_id = {m.person_id: m for m in result.members}
    figures = []
    for child in children:
        mine_ids = people.get(child.id, set())
        mine = [by_id[pid] for pid in mine_ids if pid in by_id]
        at = {m.unit for m in mine}
        units = [u for u in result.units if u.name in at or (u.person_id or 0) in mine_ids]
        communities = {m.community for m in mine if m.community}
        figures.append(OfficeFigures(child, summary(mine, units), len(communities)))
    return SideBySide(figures)


def find_member(result: Tally, person_id: int) -> MemberTally:
    for m in result.members:
        if m.person_id == person_id:
            return m
    raise NotFound()


def stars_counts(members: Sequence[MemberTally]) -> dict[int, int] | None:
    """How many members have each number of stars in the period; None when the policy gives no stars."""
    if not any(m.stars_by_half for m in members):
        return None
    counted: dict[int, int] = {}
    for m in members:
        n = sum(m.stars_by_half.values())
        counted[n] = counted.get(n, 0) + 1
    return dict(sorted(counted.items()))


def linker(query: Mapping[str, str]) -> Callable[..., str]:
    """``link(path, **changes)``: an address with the page's query, changed; empty values left out."""

    def link(path: str = "/tally", **changes: object) -> str:
        merged = {**query, **{k: str(v) for k, v in changes.items()}}
        kept = {k: v for k, v in merged.items() if v}
        return path + ("?" + urllib.parse.urlencode(kept) if kept else "")

    return link
