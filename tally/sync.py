"""Keeps the tally's facts in step with the current records: new, corrected and superseded ones.

Facts are derived once per record and revision (its number of hand corrections), so a tally reads only
SQL aggregates; a record superseded by a later return, or corrected by hand, has its facts replaced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Subquery, Table, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.db import exclusive
from baodao.store.schema import corrections, records
from baodao.tally.facts import DERIVERS, Facts, Person, derive
from baodao.tally.issued import issued_people
from baodao.tally.schema import (
    SYNC_LOCK,
    ensure_tables,
    tally_activities,
    tally_derived,
    tally_member_sums,
    tally_people,
    tally_pledges,
    tally_ratings,
    tally_registrations,
    tally_state,
    tally_undone,
)
from baodao.tally.sums import forget

CHUNK = 500  # ids per IN (…) query
# A post run onto a unit (“科员”, “副科长”, “主治医师”, “护士长”, “办公室主任”) ends in one of these.
POST_ENDINGS = frozenset("员长师任事记士理官部席")
POST_MAX = 8
FACT_TABLES = (tally_registrations, tally_activities, tally_ratings, tally_pledges)


@dataclass(frozen=True)
class SyncResult:
    """How many records were read for the tally, and how many had their old facts dropped."""

    derived: int
    dropped: int


def sync(engine: Engine, progress: Callable[[int], object] = lambda n: None) -> SyncResult:
    """Derive facts for current records not yet derived at their revision; drop facts of the others."""
    try:
        with exclusive(ensure_tables(engine), SYNC_LOCK) as conn:
            seen = _fingerprint(conn)
            if conn.scalar(select(tally_state.c.fingerprint).where(tally_state.c.id == 1)) == seen:
                return SyncResult(0, 0)
            stale = _stale(conn)
            _drop(conn, stale)
            todo = _todo(conn)
            # People are looked up by the names, keys and numbers each chunk mentions, and issued forms by
            # its ids: a few returns cost milliseconds, however many members the tally knows.
            people = PeopleIndex(conn, lazy=True)
            r = records.c
            for chunk in _chunks(sorted(todo)):
                rows = conn.execute(
                    select(r.id, r.form_key, r.form_id, r.fields).where(r.id.in_(chunk))
                ).all()
                owners = issued_people(conn, {form_id for _, _, form_id, _ in rows if form_id})
                derived = [
                    Derived(rid, key, derive(key, fields or {}), owners.get((key, form_id or "")))
                    for rid, key, form_id, fields in rows
                ]
                _write(conn, people, derived)
                conn.execute(insert(tally_derived), [{"record_id": r, "revision": todo[r]} for r in chunk])
                progress(len(chunk))
            _prune(conn)
            conn.execute(delete(tally_state))
            conn.execute(insert(tally_state).values(id=1, fingerprint=seen))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法更新统计用的数据：{exc}") from exc
    return SyncResult(len(todo), len(stale))


@dataclass(frozen=True)
class Derived:
    """One record's facts, and the person its issued form was made for (joined by form id), if known."""

    record_id: int
    form_key: str
    facts: Facts
    owner: int | None = None


def _fingerprint(conn: Connection) -> str:
    """What changes whenever intake stores a record or supersedes one (a new record id), a person corrects
    one (a new correction id) or a ledger import is undone or redone (the undone list changes); roster loads
    touch people, not records. Each is read from a primary key: no count over every record."""
    last = conn.scalar(select(func.max(records.c.id)))
    corrected = conn.scalar(select(func.max(corrections.c.id)))
    undone = conn.execute(select(func.count(), func.max(tally_undone.c.undone_at))).one()
    return f"{last}|{corrected}|{undone[0]}|{undone[1]}"


def _revisions() -> Subquery:
    return (
        select(corrections.c.record_id, func.count().label("revision"))
        .group_by(corrections.c.record_id)
        .subquery()
    )


def _todo(conn: Connection) -> dict[int, int]:
    """Current records of the forms the tally reads that have no facts at their revision: id → revision."""
    k = _revisions()
    revision = func.coalesce(k.c.revision, 0)
    query = (
        select(records.c.id, revision)
        .outerjoin(k, k.c.record_id == records.c.id)
        .outerjoin(tally_derived, tally_derived.c.record_id == records.c.id)
        .where(records.c.status == "current", records.c.form_key.in_(sorted(DERIVERS)))
        .where(tally_derived.c.record_id.is_(None))
        .where(records.c.file_id.not_in(select(tally_undone.c.file_id)))
    )
    return {record_id: rev for record_id, rev in conn.execute(query)}


def _stale(conn: Connection) -> list[int]:
    """Records with facts that are no longer current, or were corrected since."""
    k = _revisions()
    query = (
        select(tally_derived.c.record_id)
        .join(records, records.c.id == tally_derived.c.record_id)
        .outerjoin(k, k.c.record_id == records.c.id)
        .where(
            (records.c.status != "current")
            | (tally_derived.c.revision != func.coalesce(k.c.revision, 0))
            | records.c.file_id.in_(select(tally_undone.c.file_id))
        )
    )
    return [r for (r,) in conn.execute(query)]


def follow_issued(conn: Connection) -> None:
    """After a roster load: records of forms issued from its rows are derived again, joined by form id."""
    owners = issued_people(conn)
    keys = sorted({key for key, _ in owners})
    r = records.c
    query = (
        select(r.id, r.form_key, r.form_id)
        .join(tally_derived, tally_derived.c.record_id == r.id)
        .where(r.status == "current", r.form_key.in_(keys))
    )
    again = [rid for rid, key, form_id in conn.execute(query) if (key, form_id or "") in owners]
    if again:
        _drop(conn, again)
        conn.execute(delete(tally_state))


def _prune(conn: Connection) -> None:
    """People no roster names and no fact mentions any more (a name a form misspelled, now followed by id)."""
    p = tally_people.c
    used = [select(t.c.person_id).where(t.c.person_id == p.id).exists() for t in FACT_TABLES]
    conn.execute(delete(tally_people).where(p.on_roster == 0, *(~u for u in used)))
    s = tally_member_sums.c
    conn.execute(delete(tally_member_sums).where(~select(p.id).where(p.id == s.person_id).exists()))


def _drop(conn: Connection, record_ids: Sequence[int]) -> None:
    for chunk in _chunks(record_ids):
        a = tally_activities.c
        forget(conn, conn.scalars(select(a.person_id).where(a.record_id.in_(chunk)).distinct()))
        for table in FACT_TABLES:
            conn.execute(delete(table).where(table.c.record_id.in_(chunk)))
        conn.execute(delete(tally_derived).where(tally_derived.c.record_id.in_(chunk)))


def _write(conn: Connection, people: PeopleIndex, derived: list[Derived]) -> None:
    """Insert the facts of a chunk of records, each table in one statement. A record whose issued form was
    made from a roster row counts for that row's member, however the form spells the name."""
    people.load(p for d in derived for p in d.facts.people())
    people.ensure([p for d in derived for p in d.facts.people() if d.owner is None or not _subject(d, p)])

    def pid(d: Derived, person: Person) -> int | None:
        if d.owner is not None and _subject(d, person):
            return d.owner
        if person.kind == "member" and not person.unit:  # a form that names no unit (yp-a5)
            return people.find(person)
        return people.id_of(person)

    registrations = [
        {
            "person_id": pid(d, r.person),
            "community": r.community,
            "on_date": r.on,
            "form_key": d.form_key,
            "record_id": d.record_id,
        }
        for d in derived
        for r in d.facts.registrations
    ]
    activities = [
        {
            "person_id": pid(d, a.person),
            "on_date": a.on,
            "category": a.category,
            "points": a.points,
            "content": a.content,
            "record_id": d.record_id,
            "row_no": a.row,
        }
        for d in derived
        for a in d.facts.activities
    ]
    ratings = [
        {"person_id": pid(d, r.person), "grade": r.grade, "on_date": r.on, "record_id": d.record_id}
        for d in derived
        for r in d.facts.ratings
    ]
    pledges = [
        {
            "person_id": pid(d, p.person),
            "posts": p.posts,
            "intentions": p.intentions,
            "record_id": d.record_id,
        }
        for d in derived
        for p in d.facts.pledges
    ]
    facts: tuple[tuple[Table, list[dict[str, Any]]], ...] = (
        (tally_registrations, registrations),
        (tally_activities, activities),
        (tally_ratings, ratings),
        (tally_pledges, pledges),
    )
    for table, rows in facts:
        kept = [row for row in rows if row["person_id"] is not None]
        if kept:
            conn.execute(insert(table), kept)
    forget(conn, (who for row in activities if isinstance(who := row["person_id"], int)))


def _subject(d: Derived, person: Person) -> bool:
    """Whether ``person`` is whom the record's form was issued to: its first member (a 报到证's holder)."""
    first = next((p for p in d.facts.people() if p.kind == "member"), None)
    return person == first


class PeopleIndex:
    """Person ids by key, by 编号 and by name, creating a person the first time a form names them.

    ``lazy``: nobody is read at first; ``load`` reads the people some persons could be (by name, key or
    编号) before they are looked up, so a few records need not read every member."""

    def __init__(self, conn: Connection, lazy: bool = False) -> None:
        self._conn = conn
        self._ids: dict[tuple[str, str], int] = {}
        self._numbers: dict[str, int] = {}
        self._units_by_name: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._lazy = lazy
        self._asked: set[tuple[str, str]] = set()  # (what, value) already read: name, key or number
        if not lazy:
            p = tally_people.c
            for row in conn.execute(select(p.id, p.kind, p.person_key, p.member_no, p.name, p.unit)):
                self._remember(*row)

    def load(self, persons: Iterable[Person]) -> None:
        """Read every stored person that ``find`` could give for these (all of a name, a key, a 编号)."""
        if not self._lazy:
            return
        p = tally_people.c
        wanted: dict[str, set[str]] = {"name": set(), "key": set(), "number": set()}
        for person in persons:
            for what, value in (("name", person.name), ("key", person.key), ("number", person.member_no)):
                if value and (what, value) not in self._asked:
                    wanted[what].add(value)
                    self._asked.add((what, value))
        columns = {"name": p.name, "key": p.person_key, "number": p.member_no}
        seen = set(self._ids.values())
        for what, values in wanted.items():
            listed = sorted(values)
            for start in range(0, len(listed), CHUNK):
                query = (
                    select(p.id, p.kind, p.person_key, p.member_no, p.name, p.unit)
                    .where(columns[what].in_(listed[start : start + CHUNK]))
                    .order_by(p.id)
                )
                for row in self._conn.execute(query):
                    if row[0] not in seen:  # read once, in id order, as the whole table would be
                        seen.add(row[0])
                        self._remember(*row)

    def _remember(self, pid: int, kind: str, key: str, number: str | None, name: str, unit: str) -> None:
        self._ids[(kind, key)] = pid
        if number:
            self._numbers.setdefault(number, pid)
        if kind == "member":
            self._units_by_name[name].append((unit, pid))

    def find(self, person: Person) -> int | None:
        """The person a form means: by 编号, by unit and name, else by name in a unit written longer or
        shorter (“郑州市人民医院科员”, read from a scan that lost the space, is 郑州市人民医院's member)."""
        if person.member_no and person.member_no in self._numbers:
            return self._numbers[person.member_no]
        if person.kind == "member" and not person.unit:  # no unit on the form: a name only one member has
            ids = {pid for _, pid in self._units_by_name.get(person.name, [])}
            return ids.pop() if len(ids) == 1 else None
        found = self._ids.get((person.kind, person.key))
        if found is not None or person.kind != "member" or not person.unit:
            return found
        return _one_prefix(person.unit, self._units_by_name.get(person.name, []))

    def by_key(self, person: Person) -> int | None:
        """The person with exactly this kind and key, if any."""
        return self._ids.get((person.kind, person.key))

    def id_of(self, person: Person) -> int:
        found = self.find(person)
        if found is None:
            found = self.add(person, on_roster=False)
        elif person.member_no and person.member_no not in self._numbers:
            self._numbers[person.member_no] = found
        return found

    def ensure(self, persons: list[Person]) -> None:
        """Create, in one statement, every person not yet known (the first naming wins)."""
        new: dict[tuple[str, str], Person] = {}
        numbers: set[str] = set()
        pending: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for p in persons:
            if self.find(p) is not None or (p.member_no and p.member_no in numbers) or (p.kind, p.key) in new:
                continue
            if p.kind == "member" and not p.unit:
                continue  # named without a unit: found by name or not at all, never made up
            if p.kind == "member" and p.unit and _one_prefix(p.unit, pending.get(p.name, [])) is not None:
                continue  # the same member, written another way, is already to be made
            new[(p.kind, p.key)] = p
            if p.member_no:
                numbers.add(p.member_no)
            if p.kind == "member":
                pending[p.name].append((p.unit, 0))
        if not new:
            return
        self._conn.execute(insert(tally_people), [_values(p, False, None) for p in new.values()])
        keys = [key for _, key in new]
        c = tally_people.c
        query = select(c.id, c.kind, c.person_key, c.member_no, c.name, c.unit)
        for chunk in range(0, len(keys), CHUNK):
            for row in self._conn.execute(query.where(c.person_key.in_(keys[chunk : chunk + CHUNK]))):
                if (row.kind, row.person_key) in new:
                    self._remember(*row)

    def add(self, person: Person, on_roster: bool, moved_on: object = None) -> int:
        key = self._conn.execute(
            insert(tally_people).values(**_values(person, on_roster, moved_on))
        ).inserted_primary_key
        assert key is not None
        pid = int(key[0])
        self._remember(pid, person.kind, person.key, person.member_no, person.name, person.unit)
        return pid


def _one_prefix(unit: str, known: list[tuple[str, int]]) -> int | None:
    """The one id whose unit is the written one with a post run on (“…医院科员”), or the other way round;
    None when none or several are. “…医院东院” is another unit, not a post."""
    ids = {pid for other, pid in known if other and (_with_post(unit, other) or _with_post(other, unit))}
    return ids.pop() if len(ids) == 1 else None


def _with_post(longer: str, unit: str) -> bool:
    rest = longer.removeprefix(unit)
    return rest != longer and 0 < len(rest) <= POST_MAX and rest[-1] in POST_ENDINGS


def _values(person: Person, on_roster: bool, moved_on: object) -> dict[str, object]:
    return {
        "kind": person.kind,
        "person_key": person.key,
        "name": person.name,
        "unit": person.unit,
        "community": person.community,
        "member_no": person.member_no,
        "on_roster": int(on_roster),
        "moved_on": moved_on,
    }


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
