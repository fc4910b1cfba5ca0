"""The issuance register: which forms went out, to whom, due when, and whether they came back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.docgen.issued import IssuedForm
from baodao.errors import StorageError
from baodao.store.schema import issued_forms

CHUNK = 500  # ids per IN (…) query, well under every database's parameter limit


def record_issued(engine: Engine, entries: Sequence[IssuedForm]) -> tuple[int, int]:
    """Add the entries not yet registered, in one transaction; returns (added, already there).

    A form is known by its key and id, so issuing the same batch again adds nothing.
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
                rows = [{**_row(e), "created_at": now} for e in chunk if (e.form_key, e.form_id) not in known]
                if rows:
                    conn.execute(issued_forms.insert(), rows)
                added += len(rows)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法写入发放登记：{exc}") from exc
    return added, len(entries) - added


def list_issued(
    engine: Engine, form_key: str | None = None, overdue_on: dt.date | None = None
) -> list[IssuedForm]:
    """Register entries, oldest due first; with ``overdue_on``, only those not returned by then."""
    query = select(issued_forms).order_by(issued_forms.c.due_date, issued_forms.c.form_id)
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
