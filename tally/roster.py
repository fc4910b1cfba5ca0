"""The members each unit should have reported: a roster (Excel with Chinese headers, CSV, JSON, YAML).

The roster is the denominator of 报到率 and the list the “not reported” reminders are drawn from. Loading
it again updates the members it names; members read from returned forms are matched to it by unit and name
(or by 编号 on a receipt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import DataError, StorageError
from baodao.form_templates.text import squash
from baodao.office.sources import RowProblem
from baodao.store.offices import DEFAULT_OFFICE
from baodao.tally.columns import Columns
from baodao.tally.facts import Person
from baodao.tally.names import community_key, unit_key, unit_of
from baodao.tally.schema import ensure_tables, tally_people, tally_roster_rows
from baodao.tally.sync import PeopleIndex, follow_issued

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名"),
    "unit": ("工作单位及职务", "工作单位", "所在单位", "单位", "所在单位及职务", "工作单位及岗位职务"),
    "community": ("所属社区", "居住地社区", "报到社区", "社区"),
    "number": ("编号", "报到编号"),
    "moved_on": ("迁居日期", "居住地变更日期", "搬家日期"),
}


@dataclass
class RosterResult:
    """How many members a roster named, how many were new, and the rows not taken."""

    members: int = 0
    added: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def load_roster(
    engine: Engine,
    path: Path,
    sheet: str | None = None,
    office_id: int = DEFAULT_OFFICE,
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
) -> RosterResult:
    """Mark every member the roster names as expected to report, with their community and 编号, and keep
    which row each came from (forms issued from this roster are joined to their member by it) and which
    office loaded it (its tally counts them). ``columns``: header → field name, the clerk's choices;
    ``name``: the file's name as its office knows it (an upload is kept under its hash)."""
    result = RosterResult()
    read = read_roster(path, sheet, columns, result.problems)
    where = str(path.resolve())
    rows: list[dict[str, object]] = []
    try:
        with ensure_tables(engine).begin() as conn:
            people = PeopleIndex(conn)
            for number, person, moved_on in read:
                known = people.find(person)
                if known is None:
                    known = people.add(person, on_roster=True, moved_on=moved_on)
                    result.added += 1
                else:
                    _update(conn, people, known, person, moved_on)
                rows.append(
                    {
                        "person_id": known,
                        "file_name": (name or path.name)[:500],
                        "path": where,
                        "row_no": number,
                        "office_id": office_id,
                    }
                )
                result.members += 1
            # This roster's rows as they are now (a row may name another member than last time).
            conn.execute(delete(tally_roster_rows).where(tally_roster_rows.c.path == where))
            if rows:
                conn.execute(insert(tally_roster_rows), rows)
                follow_issued(conn)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法保存名册 {path}：{exc}") from exc
    return result


def read_roster(
    path: Path,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    problems: list[RowProblem] | None = None,
) -> list[tuple[int, Person, dt.date | None]]:
    """The members a roster names, row by row (number, member, moved on), without storing anything; the
    rows not taken are added to ``problems``."""
    cols = Columns(path, ALIASES, ("name", "unit"), "党员名册", sheet, columns)
    problems = [] if problems is None else problems
    found: list[tuple[int, Person, dt.date | None]] = []
    for row in cols.table.rows:
        name, unit = squash(cols.text(row, "name")), unit_key(unit_of(cols.text(row, "unit")))
        who = cols.text(row, "name")
        if not name or not unit:
            missing = cols.where("name") if not name else cols.where("unit")
            problems.append(RowProblem(row.number, missing, "", "是空的，这一行没有计入名册", who, path))
            continue
        moved = cols.date(row, "moved_on")
        if isinstance(moved, str):
            column = cols.where("moved_on")
            problems.append(RowProblem(row.number, column, moved, "不是日期，已按未迁居计", who, path))
        community = community_key(cols.text(row, "community"))
        person = Person("member", name, unit, community, cols.text(row, "number") or None)
        found.append((row.number, person, moved if isinstance(moved, dt.date) else None))
    return found


def _update(
    conn: Connection, people: PeopleIndex, pid: int, person: Person, moved_on: dt.date | None
) -> None:
    """The roster's word on a member forms named first: on the roster, its community, 编号 and unit."""
    values: dict[str, object] = {"on_roster": 1, "moved_on": moved_on, "unit": person.unit}
    values |= {"community": person.community} if person.community else {}
    values |= {"member_no": person.member_no} if person.member_no else {}
    if people.by_key(person) in (None, pid):  # the roster's spelling of the unit becomes the member's key
        values["person_key"] = person.key
    conn.execute(update(tally_people).where(tally_people.c.id == pid).values(**values))


@dataclass(frozen=True)
class LoadedRoster:
    """A roster as loaded: where it was read, the name it was given, by which office, how many rows."""

    path: str
    name: str
    office_id: int
    rows: int


def list_rosters(engine: Engine, offices: Collection[int] | None = None) -> list[LoadedRoster]:
    """Every roster loaded (by one of ``offices``; None: by anyone), by name."""
    r = tally_roster_rows.c
    query = select(r.path, r.file_name, r.office_id, func.count()).group_by(r.path, r.file_name, r.office_id)
    if offices is not None:
        query = query.where(r.office_id.in_(sorted(set(offices)) or [-1]))
    try:
        with ensure_tables(engine).connect() as conn:
            rows = conn.execute(query.order_by(r.file_name, r.path)).all()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取已读入的名册：{exc}") from exc
    return [LoadedRoster(p, n, int(o), int(c)) for p, n, o, c in rows]


def unload_roster(engine: Engine, path: str, offices: Collection[int] | None = None) -> int:
    """Take a loaded roster back out (one of ``offices``'): its rows are forgotten, and its members no other
    roster names are no longer expected to report (what their forms say stays). Returns its rows."""
    r, p = tally_roster_rows.c, tally_people.c
    mine = select(r.person_id).where(r.path == path)
    if offices is not None:
        mine = mine.where(r.office_id.in_(sorted(set(offices)) or [-1]))
    try:
        with ensure_tables(engine).begin() as conn:
            people = sorted(set(conn.execute(mine).scalars()))
            if not people:
                raise DataError("没有这份名册，或它不是本组织读入的")
            gone = conn.execute(delete(tally_roster_rows).where(r.path == path)).rowcount
            for start in range(0, len(people), 500):
                chunk = people[start : start + 500]
                kept = set(conn.execute(select(r.person_id).where(r.person_id.in_(chunk))).scalars())
                off = [pid for pid in chunk if pid not in kept]
                if off:
                    conn.execute(update(tally_people).where(p.id.in_(off)).values(on_roster=0))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法撤销名册：{exc}") from exc
    return int(gone or 0)
