"""`tally()`: bring the facts up to date, aggregate them in SQL, and judge them under a policy."""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Select, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import PolicyError, StorageError
from baodao.tally import queries, receipts
from baodao.tally.deadlines import late
from baodao.tally.members import Judge
from baodao.tally.model import CommunityTally, MemberTally, Shortfall, Tally, UnitTally
from baodao.tally.names import unit_key
from baodao.tally.offices import people_query
from baodao.tally.period import Period
from baodao.tally.policy import Policy
from baodao.tally.schema import tally_people
from baodao.tally.sums import band_of, ensure_sums
from baodao.tally.sync import sync
from baodao.tally.units import unit_tally

P = tally_people.c
T = TypeVar("T")
SORT_MEMORY_MB = 128  # per sort (each parallel worker has its own): a million members sorted by unit and name


def tally(
    engine: Engine,
    policy: Policy,
    period: Period,
    as_of: dt.date | None = None,
    unit: str | None = None,
    progress: Callable[[int], object] = lambda n: None,
    *,
    offices: Collection[int] | None = None,
) -> Tally:
    """Every member, unit and community the stored forms (and roster) know, judged under ``policy``; with
    ``offices``, only those that belong to one of them (`tally.offices`), and the units they work at."""
    as_of = as_of or dt.date.today()
    if as_of < period.start:
        raise PolicyError(f"统计日 {as_of} 早于{period.label}的开始")
    sync(engine, progress)  # the first tally after a large intake derives its facts: the long part
    try:
        ensure_sums(engine, period.year, policy.member.points)  # and sums them per member, once
    except SQLAlchemyError as exc:
        raise StorageError(f"无法汇总活动记录：{exc}") from exc
    cap = policy.unit.max_project_score
    wanted = unit_key(unit) if unit else None
    gc.disable()  # 100,000 members' rows and objects make no reference cycles: collecting only costs
    try:
        # Only the offices' people are read (the database keeps to them), and the units they work at.
        with engine.connect() as conn:
            _room_to_sort(conn)
            within = people_query(conn, offices) if offices is not None else None
            people = queries.units(conn, wanted)
            band, until = band_of(policy.member.points), min(period.end, as_of)
            rows, sums, regs = _large_reads(engine, conn, wanted, within, period.year, band, until)
            pledged = queries.pledges(conn)
            unit_acts = queries.unit_activities(conn, period, int(cap.value) if cap else None)
            grades = queries.ratings(conn, period)
            late_receipts = receipts.late_receipts(conn, policy, period, as_of)
            if within is not None:
                at = {m[2] for m in rows}
                units_within = select(P.id).where(P.kind == "unit", P.id.in_(within))
                kept = set(conn.execute(units_within).scalars()) if people else set()
                people = [p for p in people if p.id in kept or p.unit in at]
        if wanted is not None and not people and not rows:
            raise PolicyError(f"没有单位“{unit}”的名册、报到或活动记录")
        members = Judge(policy, period, as_of).members(rows, sums, regs, pledged)
        units = _units(people, members, unit_acts, grades, regs, policy, period, as_of)
        receipts.note_late_receipts(members, units, late_receipts)
        communities = _communities(units, members, policy, period, as_of)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取统计数据：{exc}") from exc
    finally:
        gc.enable()
    return Tally(policy.key, period, as_of, members, units, communities)


def _large_reads(
    engine: Engine,
    conn: Connection,
    wanted: str | None,
    within: Select[Any] | None,
    year: int,
    band: str,
    until: dt.date,
) -> tuple[list[queries.MemberRow], dict[int, queries.Sums], dict[int, list[queries.Reg]]]:
    """The members (with their registration, most have one), their sums and the other registrations: a row
    each, a million in a city. On PostgreSQL the three are read at once, each on a connection of its own, so
    that the server scans and sorts one while this process turns another's rows into tuples; SQLite reads
    them in turn, in ``conn``'s snapshot (every registration, once: the members are matched with them), and
    so does one unit's tally (a few rows)."""
    if conn.dialect.name != "postgresql" or wanted is not None:
        several = conn.dialect.name == "postgresql"  # there the members' own come joined to them
        regs = queries.registrations(conn, until, within, several=several)
        rows = queries.members(conn, wanted, until, within, regs if not several else None)
        return rows, queries.member_sums(conn, year, band, within), regs

    def on_its_own(read: Callable[[Connection], T]) -> T:
        with engine.connect() as own:
            _room_to_sort(own)
            return read(own)

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="baodao-tally-read") as pool:
        read_rows = pool.submit(on_its_own, lambda c: queries.members(c, wanted, until, within))
        read_sums = pool.submit(on_its_own, lambda c: queries.member_sums(c, year, band, within))
        read_regs = pool.submit(on_its_own, lambda c: queries.registrations(c, until, within, several=True))
        return read_rows.result(), read_sums.result(), read_regs.result()


def _room_to_sort(conn: Connection) -> None:
    """On PostgreSQL, room for this read to sort a city's million members in memory rather than in files
    on disk (the server's default is 4 MB a sort); for this transaction only."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL work_mem = '{SORT_MEMORY_MB}MB'")


def _units(
    people: list[queries.PersonRow],
    members: list[MemberTally],
    unit_acts: dict[int, dict[tuple[int, str], queries.Counted]],
    grades: dict[int, str],
    regs: dict[int, list[queries.Reg]],
    policy: Policy,
    period: Period,
    as_of: dt.date,
) -> list[UnitTally]:
    by_unit: dict[str, list[MemberTally]] = defaultdict(list)
    for m in members:
        by_unit[m.unit].append(m)
    rows = {p.unit: p for p in people if p.kind == "unit"}
    result = []
    for name in sorted(set(by_unit) | set(rows)):
        row = rows.get(name)
        pid = row.id if row else None
        unit_regs = regs.get(pid, []) if pid is not None else []
        named = [r.community for r in unit_regs if r.community]
        community = named[-1] if named else (row.community if row else "")
        start = UnitTally(pid, name, community)
        counted = unit_acts.get(pid, {}) if pid is not None else {}
        grade = grades.get(pid) if pid is not None else None
        unit = unit_tally(start, by_unit.get(name, []), counted, grade, policy, period, as_of)
        missed = late(unit_regs, policy, "unit")
        if missed:
            unit.shortfalls.append(missed)
        result.append(unit)
    return result


def _communities(
    units: list[UnitTally], members: list[MemberTally], policy: Policy, period: Period, as_of: dt.date
) -> list[CommunityTally]:
    found: dict[str, CommunityTally] = {}
    for u in units:
        if u.community:
            c = found.setdefault(u.community, CommunityTally(u.community))
            c.units.append(u.name)
            c.active_units += (
                1 if u.activities_by_month or u.joint_meetings_by_quarter or u.theme_days_by_half else 0
            )
            # A 联席会议 any of its units (or the community itself, kept as a unit) recorded was held.
            for month, count in u.meetings_by_month.items():
                c.meetings_by_month[month] = c.meetings_by_month.get(month, 0) + count
    # One count per community rather than a lookup per member: a city's tally has a million.
    reported = Counter(m.community for m in members if m.reported and m.community)
    for community, count in reported.items():
        found.setdefault(community, CommunityTally(community)).members_reported += count
    limit = policy.max_units_per_community
    monthly = policy.min_community_meetings_per_month
    year = period.year
    for c in found.values():
        if limit is not None and len(c.units) > limit.value:
            c.shortfalls.append(
                Shortfall(
                    "units_per_community",
                    str(year),
                    len(c.units),
                    int(limit.value),
                    "max_units",
                    limit.rule,
                    limit.warn_only,
                )
            )
        if monthly is not None:
            for month in period.months(None, as_of):
                held = c.meetings_by_month.get(month, 0)
                if held < monthly.value:
                    c.shortfalls.append(
                        Shortfall(
                            "community_meetings",
                            f"{year}-{month:02d}",
                            held,
                            int(monthly.value),
                            "min_meetings_per_month",
                            monthly.rule,
                            monthly.warn_only,
                        )
                    )
    return sorted(found.values(), key=lambda c: c.name)
