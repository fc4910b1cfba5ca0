"""One member looked at closely: the stored records their facts come from, and their activities by month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Engine, Integer, cast, extract, func, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.tally.offices import people_query
from baodao.tally.period import Period
from baodao.tally.schema import (
    ensure_tables,
    tally_activities,
    tally_people,
    tally_pledges,
    tally_ratings,
    tally_registrations,
)

WHAT = {
    "tally_registrations": "报到",
    "tally_activities": "活动",
    "tally_ratings": "评价",
    "tally_pledges": "认领岗位或服务意向",
}


@dataclass(frozen=True)
class Person:
    id: int
    kind: str
    name: str
    unit: str
    community: str


def person(engine: Engine, person_id: int) -> Person | None:
    p = tally_people.c
    try:
        with ensure_tables(engine).connect() as conn:
            row = conn.execute(
                select(p.id, p.kind, p.name, p.unit, p.community).where(p.id == person_id)
            ).first()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取统计数据：{exc}") from exc
    return Person(*row) if row else None


def sources(engine: Engine, person_id: int) -> dict[int, list[str]]:
    """record id → what the tally took from it for this person (报到, 活动 …), oldest record first."""
    found: dict[int, list[str]] = defaultdict(list)
    try:
        with ensure_tables(engine).connect() as conn:
            for table in (tally_registrations, tally_activities, tally_ratings, tally_pledges):
                query = select(table.c.record_id).where(table.c.person_id == person_id).distinct()
                for record_id in conn.execute(query).scalars():
                    found[int(record_id)].append(WHAT[table.name])
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取统计数据：{exc}") from exc
    return dict(sorted(found.items()))


def activities_by_month(
    engine: Engine, period: Period, offices: Collection[int] | None = None
) -> dict[int, int]:
    """How many activities (members' and units') were recorded in each month of the period, for the people
    of ``offices`` (None: everyone)."""
    a = tally_activities.c
    month = cast(extract("month", a.on_date), Integer)
    query = select(month, func.count()).where(a.on_date.between(period.start, period.end)).group_by(month)
    try:
        with ensure_tables(engine).connect() as conn:
            if offices is not None:
                query = query.where(a.person_id.in_(people_query(conn, offices)))
            return {int(m): int(n) for m, n in conn.execute(query)}
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取统计数据：{exc}") from exc
