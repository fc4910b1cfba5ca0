"""Whose people a tally counts: a member, unit or community belongs to the offices that loaded a roster row
of theirs, issued them a form, or handed in a file (a return, a ledger) that names them."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Select, and_, select, union
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import issued_forms, office_files, records
from baodao.tally.schema import (
    tally_activities,
    tally_pledges,
    tally_ratings,
    tally_registrations,
    tally_roster_rows,
)

FACTS = (tally_registrations, tally_activities, tally_ratings, tally_pledges)


def people_of(conn: Connection, offices: Collection[int]) -> set[int]:
    """The ids of the people (members and units) that belong to one of ``offices``."""
    ids = sorted(set(offices))
    if not ids:
        return set()
    rr, i, r = tally_roster_rows.c, issued_forms.c, records.c
    # Records read from files these offices handed in, or returns of forms they issued.
    handed = select(r.id).where(
        r.file_id.in_(select(office_files.c.file_id).where(office_files.c.office_id.in_(ids)))
    )
    answered = (
        select(r.id)
        .join(issued_forms, and_(i.form_key == r.form_key, i.form_id == r.form_id))
        .where(i.office_id.in_(ids))
    )
    wanted = union(handed, answered).subquery()
    queries: list[Select[Any]] = [
        select(rr.person_id).where(rr.office_id.in_(ids)),
        # A form issued from a loaded roster's row is that row's member's, returned or not.
        select(rr.person_id)
        .join(issued_forms, and_(i.source == rr.path, i.source_row == rr.row_no))
        .where(i.office_id.in_(ids)),
        *(select(t.c.person_id).where(t.c.record_id.in_(select(wanted.c.id))) for t in FACTS),
    ]
    found: set[int] = set()
    try:
        for query in queries:
            found.update(int(pid) for pid in conn.execute(query.distinct()).scalars())
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取各组织的党员：{exc}") from exc
    return found
