"""Members' activities summed once per year and points band, kept until their facts change.

Summing 1.2 million activity rows takes seconds; a tally that the workbench runs on every view reads one
stored row per member instead. The first tally of a year under a band sums every member (in SQL, in one
statement); after that only the members whose facts `tally.sync` changed since are summed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, Engine, and_, case, delete, func, insert, literal, select

from baodao.store.db import exclusive
from baodao.tally.categories import NOT_SERVICE, PARTY_LIFE
from baodao.tally.policy import Points
from baodao.tally.schema import SYNC_LOCK, tally_activities, tally_member_sums, tally_people

A, P, S = tally_activities.c, tally_people.c, tally_member_sums.c
CHUNK = 500


def band_of(points: Points | None) -> str:
    """The key of how a policy counts an activity's points: “5±3”, or “raw” (as written)."""
    return f"{points.base}±{points.max_adjust}" if points else "raw"


def earned(points: Points | None) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """The points an activity earns under the policy, and 1 where the written points were brought back."""
    if points is None:
        return func.coalesce(A.points, 0), literal(0)
    high, low = points.base + points.max_adjust, points.base - points.max_adjust
    value = case(
        (A.points.is_(None), points.base),
        (A.category == "extra", A.points),
        (A.points > high, high),
        (A.points < low, low),
        else_=A.points,
    )
    adjusted = case(((A.category != "extra") & ((A.points > high) | (A.points < low)), 1), else_=0)
    return value, adjusted


def ensure_sums(engine: Engine, year: int, points: Points | None) -> int:
    """Sum the activities of every member not yet summed for ``year`` under this band; returns how many."""
    band = band_of(points)
    with engine.connect() as conn:
        members = conn.scalar(select(func.count()).select_from(tally_people).where(P.kind == "member"))
        summed = conn.scalar(select(func.count()).where(S.year == year, S.band == band))
    if members == summed:
        return 0
    with exclusive(engine, SYNC_LOCK) as conn:  # in turn with sync, which forgets sums
        return _fill(conn, year, band, points)


def _fill(conn: Connection, year: int, band: str, points: Points | None) -> int:
    value, adjusted = earned(points)
    first = A.on_date <= dt.date(year, 6, 30)
    party = A.category.in_(sorted(PARTY_LIFE))
    service = ~A.category.in_(sorted(NOT_SERVICE))
    present = A.id.is_not(None)

    def per_half(
        what: ColumnElement[int], where: ColumnElement[bool] | None = None
    ) -> list[ColumnElement[int]]:
        cond = present if where is None else and_(present, where)
        return [
            func.coalesce(func.sum(case((and_(cond, first), what), else_=0)), 0),
            func.coalesce(func.sum(case((and_(cond, ~first), what), else_=0)), 0),
        ]

    one: ColumnElement[int] = literal(1)
    # NOT EXISTS, not NOT IN: an anti-join on both databases, however many members are summed already.
    done = select(S.person_id).where(S.person_id == P.id, S.year == year, S.band == band).exists()
    query = (
        select(
            P.id,
            literal(year),
            literal(band),
            *per_half(one),
            *per_half(value),
            *per_half(adjusted),
            *per_half(one, party),
            *per_half(one, service),
        )
        .select_from(tally_people)
        .outerjoin(
            tally_activities,
            and_(A.person_id == P.id, A.on_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31))),
        )
        .where(P.kind == "member", ~done)
        .group_by(P.id)
    )
    names = ["person_id", "year", "band", *(f"{n}{h}" for n in "npals" for h in (1, 2))]
    made = conn.execute(insert(tally_member_sums).from_select(names, query))
    return made.rowcount or 0


def forget(conn: Connection, person_ids: Iterable[int]) -> None:
    """These people's facts changed: their sums are made again at the next tally."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        conn.execute(delete(tally_member_sums).where(S.person_id.in_(ids[start : start + CHUNK])))
