"""The tally's SQL: every activity row is aggregated in the database; Python sees one row per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    Subquery,
    case,
    cast,
    extract,
    func,
    select,
    type_coerce,
)

from baodao.tally.period import Period
from baodao.tally.policy import Points
from baodao.tally.schema import (
    tally_activities,
    tally_member_sums,
    tally_people,
    tally_pledges,
    tally_ratings,
    tally_registrations,
)
from baodao.tally.sums import earned

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


def units(conn: Connection, unit: str | None) -> list[PersonRow]:
    """The units (a handful beside the members), as rows."""
    p = tally_people.c
    query = select(p.id, p.kind, p.name, p.unit, p.community, p.member_no, p.on_roster, p.moved_on)
    query = query.where(p.kind == "unit")
    if unit is not None:
        query = query.where(p.unit == unit)
    rows = conn.execute(query).all()
    return [PersonRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


# A member as `members` gives them: id, name, unit, community, 编号, on roster (0/1), moved on (a date, or
# ISO text on SQLite); how many registrations they have up to the day counted (None: none), and when that
# is one, it: community, day (a date, ISO text on SQLite, or None) and form. Their sums (see tally.sums):
# per half year (1, 2) activities, points earned, points adjusted, party life, services — after the
# person's id, as read (a million rows are not copied to drop it).
MemberRow = tuple[
    int,
    str,
    str,
    str,
    "str | None",
    int,
    "dt.date | str | None",
    "int | None",
    "str | None",
    Any,
    "str | None",
]
Sums = tuple[int, int, int, int, int, int, int, int, int, int, int]
NO_SUMS: Sums = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def members(
    conn: Connection,
    unit: str | None,
    until: dt.date,
    within: Select[Any] | None = None,
    regs: dict[int, list[Reg]] | None = None,
) -> list[MemberRow]:
    """Every member (of ``unit``; whose id ``within`` selects), one row each, by unit and name (as Python
    orders text, by code point), with their registration when they have one: most do, and PostgreSQL joins
    it at less cost than Python matching a million of them (`registrations` gives the others). SQLite's
    join over a grouped subquery costs more than that matching, so there it is matched here, with ``regs``
    (every registration up to ``until``) when they are read already."""
    p = tally_people.c
    moved = type_coerce(p.moved_on, String)  # spares SQLAlchemy's slow per-row date parsing on SQLite
    listed = [p.id, p.name, p.unit, p.community, p.member_no, p.on_roster, moved]
    if conn.dialect.name != "postgresql":
        return _with_registration(
            plain_rows(conn, _listing(conn, select(*listed), unit, within)),
            regs if regs is not None else registrations(conn, until, within),
        )
    each = _registration_of_each(until, within)
    one = each.c.n == 1
    joined = select(
        *listed,
        each.c.n,
        case((one, each.c.community)),
        case((one, each.c.on_date)),
        case((one, each.c.form_key)),
    ).select_from(tally_people.outerjoin(each, each.c.person_id == p.id))
    return plain_rows(conn, _listing(conn, joined, unit, within))


def _listing(
    conn: Connection, query: Select[Any], unit: str | None, within: Select[Any] | None
) -> Select[Any]:
    """``query`` kept to the members (of ``unit``, ``within``), by unit and name as Python orders them."""
    p = tally_people.c
    query = query.where(p.kind == "member")
    if unit is not None:
        query = query.where(p.unit == unit)
    if within is not None:
        query = query.where(p.id.in_(within))
    order = "C" if conn.dialect.name == "postgresql" else "BINARY"
    return query.order_by(p.unit.collate(order), p.name.collate(order))


def _registration_of_each(until: dt.date, within: Select[Any] | None) -> Subquery:
    """Per person: how many registrations by ``until``; when one, its community, day and form (as min())."""
    r = tally_registrations.c
    counted = select(
        r.person_id.label("person_id"),
        func.count().label("n"),
        func.min(r.community).label("community"),
        func.min(r.on_date).label("on_date"),
        func.min(r.form_key).label("form_key"),
    ).where(_up_to(until))
    if within is not None:
        counted = counted.where(r.person_id.in_(within))
    return counted.group_by(r.person_id).subquery("regs")


def _with_registration(rows: list[tuple[Any, ...]], regs: dict[int, list[Reg]]) -> list[MemberRow]:
    """Each member row with their registrations' count and, when one, it (what PostgreSQL's join gives)."""
    none = (None, None, None, None)
    found: list[MemberRow] = []
    add = found.append
    for row in rows:
        mine = regs.get(row[0])
        if mine is None:
            add(row + none)
        elif len(mine) == 1:
            r = mine[0]
            add((*row, 1, r.community, r.on, r.form))
        else:
            add((*row, len(mine), None, None, None))
    return found


def _up_to(until: dt.date) -> ColumnElement[bool]:
    """A registration made by ``until``, or undated (it counts as made)."""
    r = tally_registrations.c
    return (r.on_date <= until) | r.on_date.is_(None)


def member_sums(conn: Connection, year: int, band: str, within: Select[Any] | None = None) -> dict[int, Sums]:
    """Each member's sums for ``year`` under ``band`` (their row, id first), by person id: one scan of the
    kept sums, which costs less than looking each member's up in a join (``within``: only those people's)."""
    m = tally_member_sums.c
    columns = [m[f"{n}{h}"] for n in "npals" for h in (1, 2)]
    query = select(m.person_id, *columns).where(m.year == year, m.band == band)
    if within is not None:
        query = query.where(m.person_id.in_(within))
    return {row[0]: row for row in plain_rows(conn, query)}


def plain_rows(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of a query on a whole table, as the driver's tuples: SQLAlchemy's row objects cost a third of
    reading 100,000 members. Its values are rendered into the statement by SQLAlchemy (dates, numbers and
    names escaped as literals), so the driver is handed plain SQL."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "postgresql":
        sql = sql.replace("%%", "%")  # no parameters follow: psycopg reads the text as it is
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def day(value: dt.date | str | None) -> dt.date | None:
    """A date column's value as read without SQLAlchemy's processing: a date, or ISO text (SQLite)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10])


class Reg(NamedTuple):
    """One registration: where, when (if the form says), and on which form (whose deadline applies). A
    tuple: a large tally makes one per member."""

    community: str
    on: dt.date | None
    form: str


def registrations(
    conn: Connection, until: dt.date, within: Select[Any] | None = None, *, several: bool = False
) -> dict[int, list[Reg]]:
    """Each person's registrations up to ``until``, oldest first: undated ones first, then by date, then as
    stored. Read in the order stored (a table scan); the few people with more than one are sorted here.
    ``within``: only those people's, and every unit's. ``several``: only units' and the registrations of
    members with more than one (`members` gives the others' with them)."""
    r = tally_registrations.c
    query = (
        select(r.person_id, r.community, type_coerce(r.on_date, String), r.form_key)
        .where(_up_to(until))
        .order_by(r.id)
    )
    units_ = select(tally_people.c.id).where(tally_people.c.kind == "unit")
    if within is not None:
        query = query.where(r.person_id.in_(within) | r.person_id.in_(units_))
    if several:
        more = select(r.person_id).where(_up_to(until)).group_by(r.person_id).having(func.count() > 1)
        query = query.where(r.person_id.in_(more) | r.person_id.in_(units_))
    found: dict[int, list[Reg]] = {}
    unsorted: set[int] = set()
    rows = plain_rows(conn, query)
    make = tuple.__new__  # a Reg without its Python-level constructor: a million of them in a large tally
    iso = dt.date.fromisoformat
    as_text = conn.dialect.name == "sqlite"  # SQLite gives dates as ISO text, PostgreSQL as dates
    for pid, community, on, form in rows:
        reg: Reg = make(Reg, (community, iso(on[:10]) if as_text and on else on, form))
        regs = found.get(pid)
        if regs is None:
            found[pid] = [reg]
        else:
            regs.append(reg)
            unsorted.add(pid)
    for pid in unsorted:
        found[pid].sort(key=_oldest_first)
    return found


def _oldest_first(reg: Reg) -> dt.date:
    return reg.on or dt.date.min


def earned_points(points: Points | None) -> ColumnElement[int]:
    """The points one activity earns under the policy."""
    return earned(points)[0]


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
        for pid, on, content, points_earned in conn.execute(query).all():
            found[pid].append((on, content, int(points_earned)))
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
