"""Starting a job, from the workbench or the command line: its row and its chunks, and on PostgreSQL its
chunks deferred to procrastinate's queue (on SQLite the server's own workers find the row)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from baodao.jobs.registry import split
from baodao.store import jobs as rows


def submit(
    engine: Engine,
    data_dir: Path,
    office_id: int,
    username: str,
    kind: str,
    title: str,
    params: dict[str, Any],
    total: int = 0,
) -> int:
    """A new job of ``kind``, split into its chunks and queued; its id."""
    chunks = split(kind, params, data_dir)
    job_id = rows.enqueue(engine, office_id, username, kind, title, params, total, chunks=chunks)
    _defer(engine, job_id, range(len(chunks)))
    return job_id


def retry(engine: Engine, job_id: int) -> bool:
    """A failed job queued again (its chunks not done); False when it is not failed."""
    left = rows.requeue(engine, job_id)
    _defer(engine, job_id, left)
    return bool(left)


def _defer(engine: Engine, job_id: int, chunks: range | list[int]) -> None:
    from baodao.jobs.queue import defer, on_queue

    if on_queue(engine) and len(chunks):
        defer(engine, job_id, chunks)
