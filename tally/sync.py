"""Keeps the tally's facts in step with the current records: new, corrected and superseded ones.

Facts are derived once per record and revision (its number of hand corrections), so a tally reads only
SQL aggregates; a record superseded by a later return, or corrected by hand, has its facts replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from store.schema import (
    corrections,
    records,
    tally_activities,
    tally_derived,
    tally_people,
    tally_ratings,
    tally_registrations,
)
from tally.facts import DERIVERS, Facts, Person, derive

CHUNK = 500  # ids per IN (…) query


@dataclass(frozen=True)
class SyncResult:
    """How many records were read for the tally, and how many had their old facts dropped."""

    derived: int
    dropped: int


def sync(engine: Engine) -> SyncResult:
    """Derive facts for current records not yet derived at their revision; drop facts of the others."""
    try:
        with engine.begin() as conn:
            wanted = _current_revisions(conn)
            have = {
                r: v for r, v in conn.execute(select(tally_derived.c.record_id, tally_derived.c.revision))
            }
            stale = [r for r, v in have.items() if wanted.get(r) != v]
            _drop(conn, stale)
            todo = [r for r, v in wanted.items() if have.get(r) != v]
            people = PeopleIndex(conn)
            for chunk in _chunks(todo):
                rows = conn.execute(
                    select(records.c.id, records.c.form_key, records.c.fields).where(records.c.id.in_(chunk))
                )
                for record_id, form_key, fields in rows:
                    _write(conn, people, record_id, derive(form_key, fields or {}))
                conn.execute(insert(tally_derived), [{"record_id": r, "revision": wanted[r]} for r in chunk])
    except SQLAlchemyError as exc:
        raise StorageError(f"无法更新统计用的数据：{exc}") from exc
    return SyncResult(len(todo), len(stale))


def _current_revisions(conn: Connection) -> dict[int, int]:
    revision = (
        select(func.count(corrections.c.id))
        .where(corrections.c.record_id == records.c.id)
        .correlate(records)
        .scalar_subquery()
    )
    query = select(records.c.id, revision).where(
        records.c.status == "current", records.c.form_key.in_(sorted(DERIVERS))
    )
    return {record_id: rev for record_id, rev in conn.execute(query)}


def _drop(conn: Connection, record_ids: Sequence[int]) -> None:
    for chunk in _chunks(record_ids):
        for table in (tally_registrations, tally_activities, tally_ratings):
            conn.execute(delete(table).where(table.c.record_id.in_(chunk)))
        conn.execute(delete(tally_derived).where(tally_derived.c.record_id.in_(chunk)))


def _write(conn: Connection, people: PeopleIndex, record_id: int, facts: Facts) -> None:
    if facts.registrations:
        conn.execute(
            insert(tally_registrations),
            [
                {
                    "person_id": people.id_of(r.person),
                    "community": r.community,
                    "on_date": r.on,
                    "record_id": record_id,
                }
                for r in facts.registrations
            ],
        )
    if facts.activities:
        conn.execute(
            insert(tally_activities),
            [
                {
                    "person_id": people.id_of(a.person),
                    "on_date": a.on,
                    "category": a.category,
                    "points": a.points,
                    "content": a.content,
                    "record_id": record_id,
                    "row_no": a.row,
                }
                for a in facts.activities
            ],
        )
    if facts.ratings:
        conn.execute(
            insert(tally_ratings),
            [
                {
                    "person_id": people.id_of(r.person),
                    "grade": r.grade,
                    "on_date": r.on,
                    "record_id": record_id,
                }
                for r in facts.ratings
            ],
        )


class PeopleIndex:
    """Person ids by key and by 编号, creating a person the first time a form names them."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ids: dict[tuple[str, str], int] = {}
        self._numbers: dict[str, int] = {}
        for pid, kind, key, number in conn.execute(
            select(
                tally_people.c.id, tally_people.c.kind, tally_people.c.person_key, tally_people.c.member_no
            )
        ):
            self._ids[(kind, key)] = pid
            if number:
                self._numbers[number] = pid

    def id_of(self, person: Person) -> int:
        # A receipt names its slip's 编号 but only the 党支部: the 编号 finds the member the slip named.
        if person.member_no and person.member_no in self._numbers:
            return self._numbers[person.member_no]
        found = self._ids.get((person.kind, person.key))
        if found is None:
            found = self.add(person, on_roster=False)
        elif person.member_no and person.member_no not in self._numbers:
            self._numbers[person.member_no] = found
        return found

    def add(self, person: Person, on_roster: bool, moved_on: object = None) -> int:
        values = {
            "kind": person.kind,
            "person_key": person.key,
            "name": person.name,
            "unit": person.unit,
            "community": person.community,
            "member_no": person.member_no,
            "on_roster": int(on_roster),
            "moved_on": moved_on,
        }
        key = self._conn.execute(insert(tally_people).values(**values)).inserted_primary_key
        assert key is not None
        pid = int(key[0])
        self._ids[(person.kind, person.key)] = pid
        if person.member_no:
            self._numbers[person.member_no] = pid
        return pid

    def known(self, person: Person) -> int | None:
        return self._ids.get((person.kind, person.key))


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
