"""The issuance register: which forms went out, to whom, due when, and whether they came back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError

from baodao.docgen.issued import IssuedForm
from baodao.errors import StorageError
from baodao.store.schema import issued_forms

DEFAULT_OFFICE = 1  # made by migration 0004w; the CLI registers there
CHUNK = 500  # ids per IN (…) query, well under every database's parameter limit


def record_issued(
    engine: Engine,
    entries: Sequence[IssuedForm],
    office_id: int = DEFAULT_OFFICE,
    template_version_id: int | None = None,
) -> tuple[int, int]:
    """Add the entries not yet registered, as ``office_id``'s, in one transaction; (added, already there).

    A form is known by its key and id, so issuing the same batch again adds nothing. ``template_version_id``
    names the office's template version the forms were made from (None: the bundled template).
    """
    now = dt.datetime.now()
    added = 0
    try:
        with engine.begin() as conn:
            for start in range(0, len(entries), CHUNK):
                chunk = entries[start : start + CHUNK]
                query = select(issued_forms.c.form_key, issued_forms.c.form_id).where(
                    issued_forms.c.form_id.in_([e.form_id for e in chunk])
                )
                known = {(key, ident) for key, ident in conn.execute(query)}
                rows = [
                    {
                        **_row(e),
                        "created_at": now,
                        "office_id": office_id,
                        "template_version_id": template_version_id,
                    }
                    for e in chunk
                    if (e.form_key, e.form_id) not in known
                ]
                if rows:
                    conn.execute(issued_forms.insert(), rows)
                added += len(rows)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法写入发放登记：{exc}") from exc
    return added, len(entries) - added


def is_issued(engine: Engine, form_key: str, form_id: str) -> bool:
    """Whether the register has form ``form_key`` issued under ``form_id`` (withdrawn ones too: a return
    of one is stored, and flagged as such)."""
    query = select(issued_forms.c.id).where(
        issued_forms.c.form_key == form_key, issued_forms.c.form_id == form_id
    )
    try:
        with engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取发放登记：{exc}") from exc


def list_issued(
    engine: Engine,
    form_key: str | None = None,
    overdue_on: dt.date | None = None,
    office_ids: Collection[int] | None = None,
) -> list[IssuedForm]:
    """Register entries, oldest due first; with ``overdue_on``, only those not returned by then; with
    ``office_ids``, only those these offices issued."""
    query = select(issued_forms).order_by(issued_forms.c.due_date, issued_forms.c.form_id)
    if office_ids is not None:
        query = query.where(issued_forms.c.office_id.in_(list(office_ids)))
    if form_key is not None:
        query = query.where(issued_forms.c.form_key == form_key)
    if overdue_on is not None:
        query = query.where(issued_forms.c.status == "issued", issued_forms.c.due_date < overdue_on)
    try:
        with engine.connect() as conn:
            return [_entry(row._mapping) for row in conn.execute(query)]
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取发放登记：{exc}") from exc


def _row(e: IssuedForm) -> dict[str, object]:
    return {
        "form_key": e.form_key,
        "form_id": e.form_id,
        "recipient": e.recipient,
        "issuing_org": e.issuing_org,
        "issue_date": e.issue_date,
        "due_date": e.due_date,
        "source": e.source,
        "source_row": e.source_row,
        "status": e.status,
    }


def _entry(m: object) -> IssuedForm:
    row = dict(m)  # type: ignore[call-overload]
    return IssuedForm(
        form_key=row["form_key"],
        form_id=row["form_id"],
        recipient=row["recipient"],
        issuing_org=row["issuing_org"],
        issue_date=row["issue_date"],
        due_date=row["due_date"],
        source=row["source"],
        source_row=row["source_row"],
        status=row["status"],
    )


@dataclass(frozen=True)
class RegisterRow:
    """A register entry as the workbench lists it: with its row id, office and history."""

    id: int
    office_id: int | None
    entry: IssuedForm
    returned_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    replaces: str | None = None  # the withdrawn form's id this one was reissued in place of
    template_version_id: int | None = None  # None: made from the bundled template


def register_rows(engine: Engine, office_ids: set[int], form_key: str | None = None) -> list[RegisterRow]:
    """The entries of these offices, newest first."""
    query = (
        select(issued_forms)
        .where(issued_forms.c.office_id.in_(office_ids))
        .order_by(issued_forms.c.id.desc())
    )
    if form_key:
        query = query.where(issued_forms.c.form_key == form_key)
    try:
        with engine.connect() as conn:
            return [_register_row(r._mapping) for r in conn.execute(query)]
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取发放登记：{exc}") from exc


def register_row(engine: Engine, entry_id: int) -> RegisterRow | None:
    with engine.connect() as conn:
        row = conn.execute(select(issued_forms).where(issued_forms.c.id == entry_id)).first()
    return _register_row(row._mapping) if row is not None else None


def withdraw(engine: Engine, entry_id: int) -> RegisterRow:
    """Mark an entry withdrawn (kept, never deleted); a return of it later is flagged by its status."""
    with engine.begin() as conn:
        done = conn.execute(
            update(issued_forms)
            .where(issued_forms.c.id == entry_id, issued_forms.c.status != "withdrawn")
            .values(status="withdrawn", withdrawn_at=dt.datetime.now())
        )
    found = register_row(engine, entry_id)
    if found is None:
        raise StorageError(f"发放登记中没有第 {entry_id} 条")
    if done.rowcount == 0:
        raise StorageError(f"{found.entry.form_key} {found.entry.form_id} 已经作废过了")
    return found


def _register_row(m: Any) -> RegisterRow:
    return RegisterRow(
        m["id"],
        m["office_id"],
        _entry(m),
        m["returned_at"],
        m["withdrawn_at"],
        m["replaces"],
        m["template_version_id"],
    )


def returned_after_withdrawal(engine: Engine, rows: Sequence[RegisterRow]) -> set[int]:
    """The withdrawn entries (by row id) whose form came back all the same: a current record has its id."""
    from baodao.store.schema import records

    withdrawn = {(r.entry.form_key, r.entry.form_id): r.id for r in rows if r.entry.status == "withdrawn"}
    if not withdrawn:
        return set()
    query = select(records.c.form_key, records.c.form_id).where(
        records.c.status == "current", records.c.form_id.in_([ident for _, ident in withdrawn])
    )
    with engine.connect() as conn:
        found = {(key, ident) for key, ident in conn.execute(query)}
    return {row_id for pair, row_id in withdrawn.items() if pair in found}


def mark_replaces(engine: Engine, form_key: str, form_id: str, replaced: str) -> None:
    """Note that ``form_id`` was issued in place of the withdrawn ``replaced``."""
    with engine.begin() as conn:
        conn.execute(
            update(issued_forms)
            .where(issued_forms.c.form_key == form_key, issued_forms.c.form_id == form_id)
            .values(replaces=replaced)
        )
