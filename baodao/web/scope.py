"""What a visitor may see: the library's listings cut down to the visitor's offices."""

from __future__ import annotations

from sqlalchemy import Engine

from baodao.store.offices import file_name, file_of_record
from baodao.store.records import DoubtfulValue, StoredRow, doubtful, record
from baodao.web.auth import NotFound, Visitor


def visible_doubts(engine: Engine, visitor: Visitor) -> list[DoubtfulValue]:
    """The review queue of the visitor's offices (chosen by the query, not after it)."""
    return doubtful(engine, offices=visitor.offices)


def visible_record(engine: Engine, visitor: Visitor, record_id: int) -> tuple[StoredRow, int, str]:
    """The record, its file's id and the name the visitor's office gave the file; NotFound otherwise."""
    file_id = file_of_record(engine, record_id)
    name = file_name(engine, set(visitor.offices), file_id) if file_id is not None else None
    if file_id is None or name is None:
        raise NotFound()
    return record(engine, record_id), file_id, name
