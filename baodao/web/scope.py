"""What a visitor may see and start: the library's listings cut down to the visitor's offices, and jobs
queued in their name."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import Engine

from baodao.jobs.submit import submit
from baodao.store import jobs as queue
from baodao.store.offices import file_name, file_of_record
from baodao.store.records import DoubtfulValue, StoredRow, doubtful, record
from baodao.store.register import RegisterRow, register_row
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


def visible_job(request: Request, job_id: int, kind: str | None = None) -> queue.Job:
    """The job (of ``kind``, if given) when it is one of the visitor's offices'; NotFound otherwise."""
    visitor: Visitor = request.state.visitor
    job = queue.get(request.app.state.engine, job_id)
    if job is None or (kind is not None and job.kind != kind) or not visitor.sees(job.office_id):
        raise NotFound()
    return job


def visible_entry(request: Request, entry_id: int) -> RegisterRow:
    """The register's entry when its form was issued by one of the visitor's offices; NotFound otherwise."""
    visitor: Visitor = request.state.visitor
    found = register_row(request.app.state.engine, entry_id)
    if found is None or not visitor.sees(found.office_id):
        raise NotFound()
    return found


def queue_job(
    request: Request, office_id: int, kind: str, title: str, params: dict[str, Any], total: int = 0
) -> int:
    """A job of ``kind`` queued by the visitor for ``office_id`` (`jobs.submit`); its id."""
    visitor: Visitor = request.state.visitor
    settings = request.app.state.settings
    engine = request.app.state.engine
    return submit(engine, settings.data_dir, office_id, visitor.user.username, kind, title, params, total)
