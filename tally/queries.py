"""The tally's SQL: every activity row is aggregated in the database; Python sees one row per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Integer, case, cast, extract, func, literal, select

from baodao.tally.categories import NOT_SERVICE, PARTY_LIFE
from baodao.tally.period import Period
from baodao.tally.policy import Points
from baodao.tally.schema import (
    tally_activities,
    tally_people,
    tally_pledges,
    tally_ratings,
    tally_registrations,
)

A = tally_activities.c
CHUNK = 500  # ids per IN (…) query


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    kind: str
    name: str
    unit: str
    community: str
    member_no: str | None
    on_roster: bool
    moved_on: dt.date | None


@dataclass(slots=True)
class Counted:
    """Activities of one kind: how many, their points as the policy counts them, how many adjusted."""

    count: int = 0
    points: int = 0
    adjusted: int = 0


def people(conn: Connection, unit: str | None) -> list[PersonRow]:
    p = tally_people.c
    query = select(p.id, p.kind, p.name, p.unit, p.community, p.member_no, p.on_roster, p.moved_on)
    if unit is not None:
        query = query.where(p.unit == unit)
    rows = conn.execute(query).all()
    return [PersonRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


@dataclass(frozen=True, slots=True)
class Reg:
    """One registration: where, when (if the form says), and on which form (whose deadline applies)."""

    community: str
    on: dt.date | None
    form: str


def registrations(conn: Connection, until: dt.date) -> dict[int, list[Reg]]:
    """Each person's registrations up to ``until`` (undated ones count), oldest first."""
    r = tally_registrations.c
    query = (
        select(r.person_id, r.community, r.on_date, r.form_key)
        .where((r.on_date <= until) | r.on_date.is_(None))
        .order_by(r.person_id, r.on_date, r.id)
    )
    found: dict[int, list[Reg]] = defaultdict(list)
    for pid, community, on, form in conn.execute(query).all():
        found[pid].append(Reg(community, on, form))
    return found


def earned_points(points: Points | None) -> ColumnElement[int]:
    """The points one activity earns under the policy."""
    return _points(points)[0]


def _points(points: Points | None) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """The points an activity earns under the policy, and 1 where the written points were brought back."""
    if points is None:
        return func.coalesce(A.points, 0), literal(0)
    high, low = points.base + points.max_adjust, points.base - points.max_adjust
    earned = case(
        (A.points.is_(None), points.base),
        (A.category == "extra", A.points),
        (A.points > high, high),
        (A.points < low, low),
        else_=A.points,
    )
    adjusted = case(((A.category != "extra") & ((A.points > high) | (A.points < low)), 1), else_=0)
    return earned, adjusted


@dataclass(frozen=True, slots=True)
class MemberCounts:
    """One member's activities in the period: per half year (index 1 and 2) the count and points earned;
    how many had their points brought back into the band; how many were party life; how many service."""

    count: tuple[int, int, int]
    points: tuple[int, int, int]
    adjusted: int
    party_life: int
    services: int


def member_activities(conn: Connection, period: Period, points: Points | None) -> dict[int, MemberCounts]:
    """Per person, one row the database sums: counts and points by half year, adjusted, party life."""
    earned, adjusted = _points(points)
    first = A.on_date <= dt.date(period.year, 6, 30)
    party = A.category.in_(sorted(PARTY_LIFE))
    other = A.category.in_(sorted(NOT_SERVICE))
    query = (
        # Units' rows come too and are not looked up: a join per activity row costs more than they do.
        select(
            A.person_id,
            func.sum(case((first, 1), else_=0)),
            func.sum(case((first, 0), else_=1)),
            func.sum(case((first, earned), else_=0)),
            func.sum(case((first, 0), else_=earned)),
            func.sum(adjusted),
            func.sum(case((party, 1), else_=0)),
            func.sum(case((other, 0), else_=1)),
        )
        .where(A.on_date.between(period.start, period.end))
        .group_by(A.person_id)
    )
    return {
        pid: MemberCounts(
            (0, int(n1), int(n2)), (0, int(p1 or 0), int(p2 or 0)), int(adj or 0), int(life), int(served)
        )
        for pid, n1, n2, p1, p2, adj, life, served in conn.execute(query).all()
    }


@dataclass(frozen=True, slots=True)
class Pledged:
    """The most a member's returned forms record: posts claimed (or projects chosen), service intentions;
    None where no returned form records them."""

    posts: int | None
    intentions: int | None


def pledges(conn: Connection) -> dict[int, Pledged]:
    p = tally_pledges.c
    query = select(p.person_id, func.max(p.posts), func.max(p.intentions)).group_by(p.person_id)
    return {pid: Pledged(posts, intentions) for pid, posts, intentions in conn.execute(query).all()}


def activity_rows(
    conn: Connection, period: Period, points: Points | None, person_ids: list[int]
) -> dict[int, list[tuple[dt.date, str, int]]]:
    """Each of these people's activities in the period, by date: (day, content, points earned)."""
    found: dict[int, list[tuple[dt.date, str, int]]] = defaultdict(list)
    for start in range(0, len(person_ids), CHUNK):
        query = (
            select(A.person_id, A.on_date, A.content, earned_points(points))
            .where(A.person_id.in_(person_ids[start : start + CHUNK]))
            .where(A.on_date.between(period.start, period.end))
            .order_by(A.person_id, A.on_date, A.id)
        )
        for pid, on, content, earned in conn.execute(query).all():
            found[pid].append((on, content, int(earned)))
    return found


def unit_activities(
    conn: Connection, period: Period, project_cap: int | None
) -> dict[int, dict[tuple[int, str], Counted]]:
    """Per unit: (month, category) → activities, and for projects their scores, each capped at the limit."""
    month = cast(extract("month", A.on_date), Integer)
    score: ColumnElement[int] = func.coalesce(A.points, 0)
    if project_cap is not None:
        score = case((score > project_cap, project_cap), else_=score)
    capped = case((score != func.coalesce(A.points, 0), 1), else_=0)
    query = (
        select(A.person_id, month, A.category, func.count(), func.sum(score), func.sum(capped))
        .where(
            A.person_id.in_(select(tally_people.c.id).where(tally_people.c.kind == "unit")),
            A.on_date.between(period.start, period.end),
        )
        .group_by(A.person_id, month, A.category)
    )
    found: dict[int, dict[tuple[int, str], Counted]] = defaultdict(dict)
    for pid, m, category, count, pts, adj in conn.execute(query).all():
        found[pid][(int(m), category)] = Counted(int(count), int(pts or 0), int(adj or 0))
    return found


def ratings(conn: Connection, period: Period) -> dict[int, str]:
    """Each unit's latest grade given within the period (an undated one counts, as given)."""
    r = tally_ratings.c
    query = (
        select(r.person_id, r.grade)
        .where(r.on_date.between(period.start, period.end) | r.on_date.is_(None))
        .order_by(r.person_id, r.on_date.nulls_first(), r.id)
    )
    latest: dict[int, str] = {}
    for pid, grade in conn.execute(query).all():
        latest[pid] = grade
    return latest
