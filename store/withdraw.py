"""Taking a file's records back out of the current set, and putting them back (an import undone, redone).

Nothing is deleted: a withdrawn record is marked superseded, and the record it had replaced as current
(if any) is current again; putting it back replaces the current one of its form and id once more.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from baodao.store.schema import records

R = records.c


@dataclass(frozen=True)
class Withdrawn:
    """How many of the file's records left the current set, and how many older ones came back."""

    records: int
    restored: int


def withdraw_file(conn: Connection, file_id: int) -> Withdrawn:
    """The file's current records are current no more; each older record one of them replaced is."""
    mine = [r for (r,) in conn.execute(select(R.id).where(R.file_id == file_id, R.status == "current"))]
    restored = 0
    for record_id in mine:
        conn.execute(update(records).where(R.id == record_id).values(status="superseded", superseded_by=None))
        older = conn.scalar(
            select(R.id).where(R.superseded_by == record_id).order_by(R.id.desc()).limit(1).with_for_update()
        )
        if older is not None:
            conn.execute(update(records).where(R.id == older).values(status="current", superseded_by=None))
            restored += 1
    return Withdrawn(len(mine), restored)


def reinstate_file(conn: Connection, file_id: int) -> int:
    """The file's withdrawn records (superseded by nothing) are current again, each replacing the current
    record of its form and id; those a newer file had replaced stay behind it."""
    withdrawn = (R.file_id == file_id) & (R.status == "superseded") & R.superseded_by.is_(None)
    mine = conn.execute(select(R.id, R.form_key, R.form_id).where(withdrawn)).all()
    for record_id, form_key, form_id in mine:
        if form_id is not None:
            rival = conn.scalar(
                select(R.id).where(
                    R.form_key == form_key, R.form_id == form_id, R.status == "current", R.id != record_id
                )
            )
            if rival is not None:
                conn.execute(update(records).where(R.id == rival).values(status="superseded"))
                conn.execute(update(records).where(R.id == record_id).values(status="current"))
                conn.execute(update(records).where(R.id == rival).values(superseded_by=record_id))
                continue
        conn.execute(update(records).where(R.id == record_id).values(status="current", superseded_by=None))
    return len(mine)
