"""Whose people a tally counts: a member, unit or community belongs to the offices that loaded a roster row
of theirs, issued them a form, or handed in a file (a return, a ledger) that names them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Select, and_, select, union
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import files, issued_forms, office_files, records
from baodao.tally.schema import (
    tally_activities,
    tally_pledges,
    tally_ratings,
    tally_registrations,
    tally_roster_rows,
)

FACTS = (tally_registrations, tally_activities, tally_ratings, tally_pledges)


LISTED = 2_000  # records of an office's files named in the query; more are selected by a subquery


def _queries(
    ids: list[int], person: int | None = None, records_: list[int] | Select[Any] | None = None
) -> list[Select[Any]]:
    """One query per way a person belongs to an office among ``ids`` (only ``person``, when given).
    ``records_``: the ids of the records of the offices' files and issued forms, when already read."""
    rr, i = tally_roster_rows.c, issued_forms.c
    if records_ is None:
        records_ = _records(ids)
    found: list[Select[Any]] = [
        select(rr.person_id).where(rr.office_id.in_(ids)),
        # A form issued from a loaded roster's row is that row's member's, returned or not.
        select(rr.person_id)
        .join(issued_forms, and_(i.source == rr.path, i.source_row == rr.row_no))
        .where(i.office_id.in_(ids)),
    ]
    if not isinstance(records_, list) or records_:
        found += [select(t.c.person_id).where(t.c.record_id.in_(records_)) for t in FACTS]
    if person is not None:
        found = [q.where(q.selected_columns[0] == person) for q in found]
    return found


def _records(ids: list[int]) -> Select[Any]:
    """The records read from files these offices handed in, or returns of forms they issued."""
    i, r = issued_forms.c, records.c
    handed = select(r.id).where(
        r.file_id.in_(select(office_files.c.file_id).where(office_files.c.office_id.in_(ids)))
    )
    answered = (
        select(r.id)
        .join(issued_forms, and_(i.form_key == r.form_key, i.form_id == r.form_id))
        .where(i.office_id.in_(ids))
    )
    wanted = union(handed, answered).subquery()
    return select(wanted.c.id)


def people_query(conn: Connection, offices: Collection[int]) -> Select[Any]:
    """The ids of the people of ``offices``, as one query to use inside another. The records that make
    people theirs are read first and named (a 社区 has a few hundred): PostgreSQL then looks each up by its
    index instead of scanning every activity to join them."""
    ids = sorted(set(offices)) or [-1]
    try:
        found = list(conn.execute(_records(ids).limit(LISTED + 1)).scalars())
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取各组织的党员：{exc}") from exc
    named: list[int] | Select[Any] = found if len(found) <= LISTED else _records(ids)
    return select(union(*_queries(ids, records_=named)).subquery().c[0])


def people_of(conn: Connection, offices: Collection[int]) -> set[int]:
    """The ids of the people (members and units) that belong to one of ``offices``."""
    ids = sorted(set(offices))
    if not ids:
        return set()
    found: set[int] = set()
    try:
        for query in _queries(ids):
            found.update(int(pid) for pid in conn.execute(query.distinct()).scalars())
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取各组织的党员：{exc}") from exc
    return found


def belongs(conn: Connection, person_id: int, offices: Collection[int]) -> bool:
    """Whether the person belongs to one of ``offices`` (cheaper than ``people_of`` for one person)."""
    ids = sorted(set(offices))
    if not ids:
        return False
    try:
        return any(conn.execute(q.limit(1)).first() is not None for q in _queries(ids, person_id))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取各组织的党员：{exc}") from exc


def people_by_office(conn: Connection, offices: Collection[int]) -> dict[int, set[int]]:
    """For each of ``offices``, the ids of its own people (as ``people_of`` finds them for it alone), in one
    query per way of belonging rather than one per office."""
    ids = sorted(set(offices))
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    rr, i, r, f = tally_roster_rows.c, issued_forms.c, records.c, office_files.c
    handed = (
        select(f.office_id.label("office"), r.id.label("record"))
        .join(records, r.file_id == f.file_id)
        .where(f.office_id.in_(ids))
    )
    answered = (
        select(i.office_id.label("office"), r.id.label("record"))
        .join(records, and_(i.form_key == r.form_key, i.form_id == r.form_id))
        .where(i.office_id.in_(ids))
    )
    wanted = union(handed, answered).subquery()
    queries: list[Select[Any]] = [
        select(rr.office_id, rr.person_id).where(rr.office_id.in_(ids)),
        select(i.office_id, rr.person_id)
        .join(issued_forms, and_(i.source == rr.path, i.source_row == rr.row_no))
        .where(i.office_id.in_(ids)),
        *(select(wanted.c.office, t.c.person_id).join(t, t.c.record_id == wanted.c.record) for t in FACTS),
    ]
    try:
        for query in queries:
            for office, pid in conn.execute(query.distinct()):
                found[int(office)].add(int(pid))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取各组织的党员：{exc}") from exc
    return found


def owns_all(conn: Connection, offices: Collection[int]) -> bool:
    """Whether ``offices`` own every roster row, handed-in file and issued form there is (and no file is
    nobody's): then their people are everyone, and a tally need not ask who belongs where."""
    ids = sorted(set(offices)) or [-1]
    rr, i, f = tally_roster_rows.c, issued_forms.c, office_files.c
    outside = [
        select(rr.id).where(rr.office_id.not_in(ids)),
        select(f.file_id).where(f.office_id.not_in(ids)),
        select(i.id).where(i.office_id.is_(None) | i.office_id.not_in(ids)),
        select(files.c.id).where(~select(f.file_id).where(f.file_id == files.c.id).exists()),
    ]
    try:
        return all(conn.execute(q.limit(1)).first() is None for q in outside)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取各组织的党员：{exc}") from exc
