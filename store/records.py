"""Returned forms as stored: the files intake was given, the records read from them, corrections by hand.

Store knows nothing of how a form is read; intake hands over plain values (``StoredRecord``, a rejection
reason) and gets plain values back. Every write is one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import Connection, Engine, Row, Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from baodao.errors import StorageError
from baodao.form_templates.spec import FieldIssue, JsonValue
from baodao.store.schema import corrections, files, issued_forms, office_files, records
from baodao.text import shown

FileStatus = Literal["read", "rejected"]
RecordStatus = Literal["current", "superseded"]
# What storing a current record did to its issuance register entry.
RegisterMark = Literal["marked returned", "already returned", "not issued"]

MAX_ID_LENGTH = 120  # records.form_id and issued_forms.form_id
ATTEMPTS = 3  # on PostgreSQL a concurrent intake of the same file makes a write fail once; it is then retried
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredRecord:
    """One form read from a file, as intake hands it to store."""

    form_key: str
    form_id: str | None  # None for forms that carry no id
    fields: dict[str, JsonValue]
    issues: Sequence[FieldIssue] = ()


@dataclass(frozen=True)
class IngestedRecord:
    """What became of one record of an ingested file."""

    record_id: int
    form_key: str
    form_id: str | None
    status: RecordStatus
    superseded: int | None = None  # the older record this one replaced as current
    superseded_by: int | None = None  # the newer record that stays current instead of this one
    register: RegisterMark | None = None  # set when the record is stored current and has an id


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest`` did with a file; ``already``: its content was stored before and nothing changed."""

    file_id: int
    already: bool
    status: FileStatus
    first_path: Path  # where the content was first seen (the earlier path when ``already``)
    reason: str | None  # why the file was rejected
    records: tuple[IngestedRecord, ...] = ()  # empty when ``already`` or rejected


@dataclass(frozen=True)
class StoredRow:
    """A stored record with the file it came from."""

    record_id: int
    form_key: str
    form_id: str | None
    status: RecordStatus
    source: Path
    fields: dict[str, JsonValue]
    issues: tuple[FieldIssue, ...]
    corrected: tuple[str, ...] = ()  # the fields changed by hand since (filled by ``records_of_file``)


@dataclass(frozen=True)
class DoubtfulValue:
    """One issue of a current record, with the value it is about."""

    record_id: int
    form_key: str
    form_id: str | None
    source: Path
    field: str
    value: JsonValue  # None when the record has no value for the field
    message: str


@dataclass(frozen=True)
class Correction:
    """A value changed by hand."""

    correction_id: int
    record_id: int
    field: str
    old_value: JsonValue
    new_value: JsonValue
    who: str
    at: dt.datetime


def ingest(
    engine: Engine,
    path: Path,
    sha256: str,
    size: int,
    mtime: dt.datetime | None,
    outcome: Sequence[StoredRecord] | str,
) -> IngestResult:
    """Store a file and what intake made of it: its records, or the reason it was rejected.

    A file is known by its content: when a file with this SHA-256 is stored already, nothing changes and
    the result says ``already``. Of two current records of the same form and id, the one from the newer file
    (by modification time; when either time is unknown or they are equal, the one ingested later) stays
    current and the other is marked superseded by it; both are kept. A record stored current marks its
    issuance register entry returned, at the file's modification time (or now when it is unknown).
    """
    digest = sha256.lower()
    if not _SHA256.fullmatch(digest):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    if isinstance(outcome, str):
        if not outcome.strip():
            raise ValueError("a rejected file needs its reason")
    elif not outcome:
        raise ValueError("a file that was read needs at least one record; otherwise reject it with a reason")
    for r in [] if isinstance(outcome, str) else outcome:
        if r.form_id is not None and len(r.form_id) > MAX_ID_LENGTH:
            raise StorageError(
                f"文件 {shown(path)} 的编号长 {len(r.form_id)} 个字符，超过上限 {MAX_ID_LENGTH}，未保存"
            )
    stamp = _naive(mtime)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with _writing(engine) as conn:
                return _ingest(conn, path, digest, size, stamp, outcome)
        except IntegrityError as exc:
            # Another intake stored the same content at the same moment (PostgreSQL; forms are locked by
            # _lock_forms, and SQLite writers take turns): look again, and the file is then found.
            if attempt == ATTEMPTS:
                raise StorageError(f"无法保存文件 {shown(path)} 的读取结果：{exc}") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"无法保存文件 {shown(path)} 的读取结果：{exc}") from exc
    raise AssertionError("unreachable")


def doubtful(
    engine: Engine, form_key: str | None = None, offices: Collection[int] | None = None
) -> list[DoubtfulValue]:
    """Every issue of every current record (of one form, if given; of files handed in by one of ``offices``,
    if given), by form and record, in stored order."""
    query = (
        select(
            records.c.id,
            records.c.form_key,
            records.c.form_id,
            records.c.fields,
            records.c.issues,
            files.c.first_path,
        )
        .join(files, records.c.file_id == files.c.id)
        .where(records.c.status == "current")
        .order_by(records.c.form_key, records.c.id)
    )
    if form_key is not None:
        query = query.where(records.c.form_key == form_key)
    if offices is not None:
        # EXISTS, not a join: a file linked to two of the offices is listed once.
        handed_in = select(office_files.c.file_id).where(
            office_files.c.file_id == records.c.file_id, office_files.c.office_id.in_(sorted(offices))
        )
        query = query.where(handed_in.exists())
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取存疑的字段：{exc}") from exc
    return [
        DoubtfulValue(
            record_id=row.id,
            form_key=row.form_key,
            form_id=row.form_id,
            source=Path(row.first_path),
            field=issue.field,
            value=_fields(row.fields).get(issue.field),
            message=issue.message,
        )
        for row in rows
        for issue in _issues(row.issues)
    ]


def correct(engine: Engine, record_id: int, field: str, value: JsonValue, who: str) -> Correction:
    """Set one field of a record by hand, drop that field's issues, and log the change with who and when.

    The caller checks that ``field`` is a field of the record's form (``record`` gives the form).
    """
    if not who.strip():
        raise StorageError(f"更正记录 {record_id} 的字段 {field} 时必须写明更正人")
    try:
        with _writing(engine) as conn:
            row = conn.execute(
                select(records.c.fields, records.c.issues).where(records.c.id == record_id).with_for_update()
            ).first()
            if row is None:
                raise StorageError(_unknown(record_id))
            fields = _fields(row.fields)
            old = fields.get(field)
            fields[field] = value
            kept = [{"field": i.field, "message": i.message} for i in _issues(row.issues) if i.field != field]
            conn.execute(update(records).where(records.c.id == record_id).values(fields=fields, issues=kept))
            at = dt.datetime.now()
            made = conn.execute(
                insert(corrections).values(
                    record_id=record_id, field=field, old_value=old, new_value=value, who=who, at=at
                )
            )
            correction_id = cast(int, made.inserted_primary_key[0])  # type: ignore[index]
    except SQLAlchemyError as exc:
        raise StorageError(f"无法保存记录 {record_id} 字段 {field} 的更正：{exc}") from exc
    return Correction(correction_id, record_id, field, old, value, who, at)


def corrections_of(engine: Engine, record_id: int) -> list[Correction]:
    """The corrections made to one record, oldest first."""
    query = select(corrections).where(corrections.c.record_id == record_id).order_by(corrections.c.id)
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取记录 {record_id} 的更正：{exc}") from exc
    return [
        Correction(row.id, row.record_id, row.field, row.old_value, row.new_value, row.who, row.at)
        for row in rows
    ]


def record(engine: Engine, record_id: int) -> StoredRow:
    """One stored record, current or superseded."""
    try:
        with engine.connect() as conn:
            row = conn.execute(_rows().where(records.c.id == record_id)).first()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取记录 {record_id}：{exc}") from exc
    if row is None:
        raise StorageError(_unknown(record_id))
    return _stored(row)


def records_of_file(engine: Engine, file_id: int) -> list[StoredRow]:
    """The records stored from one file, as they stand now (corrections made), each naming the fields
    corrected by hand; in the order they were stored."""
    query = _rows().where(records.c.file_id == file_id).order_by(records.c.id)
    try:
        with engine.connect() as conn:
            rows = [_stored(row) for row in conn.execute(query)]
            ids = [r.record_id for r in rows]
            changed = conn.execute(
                select(corrections.c.record_id, corrections.c.field)
                .where(corrections.c.record_id.in_(ids))
                .order_by(corrections.c.id)
            ).all()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取文件 {file_id} 的记录：{exc}") from exc
    by_record: dict[int, list[str]] = {}
    for c in changed:
        by_record.setdefault(c.record_id, []).append(c.field)
    return [replace(r, corrected=tuple(dict.fromkeys(by_record.get(r.record_id, [])))) for r in rows]


def current_records(engine: Engine, form_key: str) -> list[StoredRow]:
    """The current records of one form, in the order they were stored."""
    query = (
        _rows().where(records.c.form_key == form_key, records.c.status == "current").order_by(records.c.id)
    )
    try:
        with engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取表单 {form_key} 的记录：{exc}") from exc


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction in which what is read stays true until it commits.

    SQLite: the database's write lock is taken at the start (BEGIN IMMEDIATE), not at the first write, so
    two writers run one after the other. PostgreSQL: rows are locked as they are read (FOR UPDATE) and forms
    by ``_lock_forms``.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


def _lock_forms(conn: Connection, forms: set[tuple[str, str]]) -> None:
    """On PostgreSQL, wait for any other intake storing one of these forms, in one order so none deadlock."""
    if conn.dialect.name != "postgresql":
        return
    for form_key, form_id in sorted(forms):
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"{form_key}|{form_id}", 0))))


def _ingest(
    conn: Connection,
    path: Path,
    digest: str,
    size: int,
    mtime: dt.datetime | None,
    outcome: Sequence[StoredRecord] | str,
) -> IngestResult:
    known = conn.execute(select(files).where(files.c.sha256 == digest).with_for_update()).first()
    reason = outcome if isinstance(outcome, str) else None
    if known is not None and (known.status == "read" or reason == known.reason):
        return IngestResult(known.id, True, known.status, Path(known.first_path), known.reason)
    if known is not None and reason is not None:
        # Refused again, for another reason (the reader changed, or time ran out this time): the newest holds.
        conn.execute(update(files).where(files.c.id == known.id).values(reason=reason))
        return IngestResult(known.id, False, "rejected", Path(known.first_path), reason)
    if not isinstance(outcome, str):
        _lock_forms(conn, {(r.form_key, r.form_id) for r in outcome if r.form_id is not None})
    now = dt.datetime.now()
    status: FileStatus = "rejected" if reason is not None else "read"
    if known is not None:
        # Refused before (for time or memory, which depend on the machine's load, or by an older reader)
        # and read now: a refusal is never final, the records are stored as for a new file.
        conn.execute(update(files).where(files.c.id == known.id).values(status=status, reason=None))
        file_id = cast(int, known.id)
    else:
        made = conn.execute(
            insert(files).values(
                sha256=digest,
                size=size,
                first_path=shown(path),
                first_seen_at=now,
                status=status,
                reason=reason,
                file_mtime=mtime,
            )
        )
        file_id = cast(int, made.inserted_primary_key[0])  # type: ignore[index]
    stored: list[IngestedRecord] = []
    if not isinstance(outcome, str):
        stored = [_store_record(conn, file_id, mtime, now, r) for r in outcome]
    return IngestResult(file_id, False, status, path, reason, tuple(stored))


def _store_record(
    conn: Connection, file_id: int, mtime: dt.datetime | None, now: dt.datetime, rec: StoredRecord
) -> IngestedRecord:
    values: dict[str, Any] = {
        "file_id": file_id,
        "form_key": rec.form_key,
        "form_id": rec.form_id,
        "fields": rec.fields,
        "issues": [{"field": i.field, "message": i.message} for i in rec.issues],
        "created_at": now,
    }
    rival = None
    if rec.form_id is not None:
        rival = conn.execute(
            select(records.c.id, files.c.file_mtime)
            .join(files, records.c.file_id == files.c.id)
            .where(
                records.c.form_key == rec.form_key,
                records.c.form_id == rec.form_id,
                records.c.status == "current",
            )
            .with_for_update(of=records)
        ).first()
    if rival is not None and mtime is not None and rival.file_mtime is not None and mtime < rival.file_mtime:
        # The stored one came from a newer file: it stays current, and this one is kept behind it.
        record_id = _insert(conn, {**values, "status": "superseded", "superseded_by": rival.id})
        return IngestedRecord(record_id, rec.form_key, rec.form_id, "superseded", superseded_by=rival.id)
    if rival is not None:
        # Free the one current place for this form and id first (uq_records_current), then take it.
        conn.execute(update(records).where(records.c.id == rival.id).values(status="superseded"))
    record_id = _insert(conn, {**values, "status": "current"})
    if rival is not None:
        conn.execute(update(records).where(records.c.id == rival.id).values(superseded_by=record_id))
    mark = _mark_returned(conn, rec.form_key, rec.form_id, mtime or now) if rec.form_id is not None else None
    return IngestedRecord(
        record_id, rec.form_key, rec.form_id, "current", superseded=rival.id if rival else None, register=mark
    )


def _insert(conn: Connection, values: dict[str, Any]) -> int:
    made = conn.execute(insert(records).values(**values))
    return cast(int, made.inserted_primary_key[0])  # type: ignore[index]


def _mark_returned(conn: Connection, form_key: str, form_id: str, at: dt.datetime) -> RegisterMark:
    entry = issued_forms.c
    marked = conn.execute(
        update(issued_forms)
        .where(entry.form_key == form_key, entry.form_id == form_id, entry.status == "issued")
        .values(status="returned", returned_at=at)
    )
    if marked.rowcount:
        return "marked returned"
    there = conn.execute(select(entry.id).where(entry.form_key == form_key, entry.form_id == form_id)).first()
    return "already returned" if there is not None else "not issued"


def _rows() -> Select[Any]:
    return select(
        records.c.id,
        records.c.form_key,
        records.c.form_id,
        records.c.status,
        records.c.fields,
        records.c.issues,
        files.c.first_path,
    ).join(files, records.c.file_id == files.c.id)


def _stored(row: Row[Any]) -> StoredRow:
    return StoredRow(
        record_id=row.id,
        form_key=row.form_key,
        form_id=row.form_id,
        status=row.status,
        source=Path(row.first_path),
        fields=_fields(row.fields),
        issues=tuple(_issues(row.issues)),
    )


def _fields(raw: object) -> dict[str, JsonValue]:
    return dict(cast(dict[str, JsonValue], raw))


def _issues(raw: object) -> list[FieldIssue]:
    return [FieldIssue(i["field"], i["message"]) for i in cast(list[dict[str, str]], raw)]


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    """Local time without a zone, as every other timestamp in the database."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def _unknown(record_id: int) -> str:
    return f"找不到记录 {record_id}：数据库中没有这个记录号"
