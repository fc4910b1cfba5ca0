"""Runs jobs: ``python -m baodao.jobs.worker --db URL --data DIR`` (the server starts its own; ``baodao
worker`` starts more, anywhere the database and the data folder are).

On SQLite a worker claims one job at a time from the ``jobs`` table and runs its chunks in turn. On
PostgreSQL it is a procrastinate worker (``baodao.jobs.queue``) handed one chunk at a time. Either way a
chunk runs through ``attempt`` and the kind's one job function: a chunk done is never run again, and the
worker that finishes a job's last chunk merges the chunks' results. A job's failure is written to its row
with the reason, never raised past it. A worker whose parent (the server) is gone stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import time
import traceback
from pathlib import Path

from sqlalchemy import Engine

from baodao.errors import BaodaoError, ConversionError, StorageError, WriteError
from baodao.jobs.context import JobContext
from baodao.jobs.registry import function_of, merge
from baodao.office.warm import keep_warm, prestart
from baodao.store import jobs as queue
from baodao.store.db import connect, database_url

POLL = 0.5
# Faults that may pass (the database away, the disk full, LibreOffice dead): on the queue, tried again.
PASSING = (StorageError, ConversionError, WriteError)
MERGE = -1  # the chunk number that stands for “merge the chunks' results” (all chunks done already)
log = logging.getLogger("baodao.jobs")


class Retry(Exception):
    """A chunk failed for a reason that may pass (the database, the disk, a program that died): try again."""


def job_folder(data_dir: Path, job_id: int) -> Path:
    return data_dir / "jobs" / str(int(job_id))


def chunk_folder(data_dir: Path, job_id: int, chunk: int) -> Path:
    """A chunk's own folder, the same on every attempt: running it again overwrites what it made."""
    return job_folder(data_dir, job_id) / ("out" if chunk == MERGE else f"chunk-{int(chunk)}")


def attempt(engine: Engine, data_dir: Path, job_id: int, chunk: int, worker: str, final: bool = True) -> None:
    """Run chunk ``chunk`` of ``job_id`` (or only the merge: ``MERGE``) and, when it was the last, merge.

    Bad input (a BaodaoError not in ``PASSING``) fails the job with its reason at once. Anything else fails
    it too when ``final``; otherwise the chunk is put back and ``Retry`` raised, for the queue to run it
    again after a while.
    """
    try:
        last = chunk == MERGE or _run_chunk(engine, data_dir, job_id, chunk, worker)
        if last:
            _complete(engine, data_dir, job_id)
    except BaodaoError as exc:
        if not final and isinstance(exc, PASSING):
            with contextlib.suppress(Exception):
                queue.note_retry(engine, job_id, max(chunk, 0), f"{exc}（稍后重试）")
            raise Retry(f"job {job_id} chunk {chunk}: {exc}") from exc
        queue.fail_chunk(engine, job_id, max(chunk, 0), str(exc), [])
    except Exception as exc:  # a bug or a passing fault must not take the worker down; the log has the trace
        traceback.print_exc()
        if not final:
            with contextlib.suppress(Exception):
                queue.note_retry(engine, job_id, max(chunk, 0), f"出错（{type(exc).__name__}），稍后重试")
            raise Retry(f"job {job_id} chunk {chunk}: {type(exc).__name__}: {exc}") from exc
        reason = f"任务出错未完成（{type(exc).__name__}）；请把任务编号 {job_id} 告诉管理员"
        with contextlib.suppress(Exception):
            queue.fail_chunk(engine, job_id, max(chunk, 0), reason, [])


def _run_chunk(engine: Engine, data_dir: Path, job_id: int, chunk: int, worker: str) -> bool:
    """Run one chunk; True when no chunk of its job is left (this one was the last, now or before)."""
    job = queue.get(engine, job_id)
    if job is None or job.state in ("done", "failed"):
        return False
    part = queue.start_chunk(engine, job_id, chunk, worker)
    if part is None:  # done already: delivered twice, or its worker died after finishing it
        return all(c.state == "done" for c in queue.chunks_of(engine, job_id))
    folder = chunk_folder(data_dir, job_id, chunk)
    folder.mkdir(parents=True, exist_ok=True)
    params = {**job.params, **part.params}
    ctx = JobContext(engine, job.id, job.office_id, job.username, params, data_dir, folder, chunk=chunk)
    result = function_of(job.kind)(ctx)
    return queue.finish_chunk(engine, job_id, chunk, result, ctx.messages)


def _complete(engine: Engine, data_dir: Path, job_id: int) -> None:
    """The job done with its chunks' results merged (run again by a second finisher, it changes nothing)."""
    job = queue.get(engine, job_id)
    if job is None or job.state == "done":
        return
    parts = queue.chunks_of(engine, job_id)
    if any(p.state != "done" or p.result is None for p in parts):
        return
    folder = chunk_folder(data_dir, job_id, MERGE)
    folder.mkdir(parents=True, exist_ok=True)
    ctx = JobContext(engine, job.id, job.office_id, job.username, job.params, data_dir, folder, chunk=0)
    ctx.messages = [m for p in parts for m in p.messages]
    results = [p.result for p in parts if p.result is not None]
    result = merge(job.kind, ctx, results)
    result["folder"] = str(job_folder(data_dir, job_id).relative_to(data_dir))
    queue.finish(engine, job_id, result, ctx.messages)


def run_one(engine: Engine, job: queue.Job, data_dir: Path, worker: str = "") -> None:
    """Run ``job`` (claimed) to its end, chunk by chunk: done with its result, or failed with the reason."""
    name = worker or f"{socket.gethostname()}:{os.getpid()}"
    for part in queue.chunks_of(engine, job.id):
        if part.state == "done":
            continue
        attempt(engine, data_dir, job.id, part.chunk, name)
        now = queue.get(engine, job.id)
        if now is None or now.state in ("done", "failed"):
            return
    attempt(engine, data_dir, job.id, MERGE, name)  # every chunk was done before: only the merge is left


def serve(
    db: str,
    data_dir: Path,
    name: str,
    parent: int | None = None,
    once: bool = False,
    heartbeat: float | None = None,
    stalled_after: float | None = None,
) -> None:
    """Run jobs until stopped (or, ``once``, until none is waiting): SQLite's claim loop or procrastinate
    (with a heartbeat every ``heartbeat`` s; a worker silent ``stalled_after`` s has its chunk run again).
    A long-running worker keeps one soffice warm for its single-file PDFs (``office/warm.py``)."""
    if not once and keep_warm():
        prestart()
    if database_url(db).startswith("postgresql"):
        from baodao.jobs import queue as procrastinated

        procrastinated.work(
            db,
            data_dir,
            name,
            parent=parent,
            once=once,
            heartbeat=heartbeat or procrastinated.HEARTBEAT,
            stalled_after=stalled_after or procrastinated.STALLED_AFTER,
        )
        return
    engine = connect(db)
    try:
        while parent is None or os.getppid() == parent:
            job = queue.claim(engine, name)
            if job is not None:
                run_one(engine, job, data_dir, name)
                continue
            if once:
                return
            time.sleep(POLL)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="baodao job worker")
    parser.add_argument("--db", required=True)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--name", default=f"{socket.gethostname()}:{os.getpid()}")
    parser.add_argument("--parent", type=int, default=None)
    parser.add_argument("--once", action="store_true", help="run what is queued, then stop")
    parser.add_argument("--heartbeat", type=float, default=None, help="seconds between heartbeats")
    parser.add_argument(
        "--stalled-after", type=float, default=None, help="a silent worker's chunk runs again"
    )
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        serve(
            args.db,
            args.data.resolve(),
            args.name,
            args.parent,
            args.once,
            args.heartbeat,
            args.stalled_after,
        )


if __name__ == "__main__":
    main()
