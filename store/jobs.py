"""The jobs' state: long work (issuing, intake of a batch) as rows, so a reload or a restart shows where it
is (and what is left).

States: queued → running → done | failed. A job is split into chunks (``job_chunks``): a big batch into parts
of 100 files or 500 records that several workers share; a job's progress is the sum of its chunks'. A chunk
done is never run again; the last chunk to finish says so, and its worker merges the chunks' results.
A job left running by a server that stopped is marked failed and can be queued again (``requeue``): the work
it does is idempotent, so running it again gives the same result. On SQLite a worker claims a whole job with
one conditional UPDATE; on PostgreSQL procrastinate hands chunks to workers (``baodao.jobs.queue``) and this
table keeps only what the pages show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.db import exclusive
from baodao.store.schema import job_chunks, jobs

MESSAGES_KEPT = 200
INTERRUPTED = "服务器在任务进行中停止了，任务未完成；可点“重新运行”，结果与一次完成的相同"
JOB_LOCK = 0x626A << 32  # “bj”: a job's chunks finish one at a time (PostgreSQL advisory lock key + job id)


@dataclass(frozen=True)
class Job:
    id: int
    office_id: int
    username: str
    kind: str
    title: str
    params: dict[str, Any]
    state: str
    done: int
    total: int
    messages: list[str]
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def state_label(self) -> str:
        return {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败"}[self.state]


def enqueue(
    engine: Engine,
    office_id: int,
    username: str,
    kind: str,
    title: str,
    params: dict[str, Any],
    total: int = 0,
    chunks: list[dict[str, Any]] | None = None,
) -> int:
    """A new queued job and its chunks (each a dict laid over ``params``; by default one, the whole job)."""
    parts = chunks or [{}]
    try:
        with engine.begin() as conn:
            made = conn.execute(
                insert(jobs).values(
                    office_id=office_id,
                    username=username,
                    kind=kind,
                    title=title[:200],
                    params=params,
                    state="queued",
                    done=0,
                    total=total,
                    messages=[],
                    attempts=0,
                    created_at=dt.datetime.now(),
                )
            )
            job_id = int(made.inserted_primary_key[0])  # type: ignore[index]
            conn.execute(
                insert(job_chunks),
                [
                    {
                        "job_id": job_id,
                        "chunk": n,
                        "params": part,
                        "state": "queued",
                        "done": 0,
                        "total": 0,
                        "messages": [],
                        "attempts": 0,
                    }
                    for n, part in enumerate(parts)
                ],
            )
            return job_id
    except SQLAlchemyError as exc:
        raise StorageError(f"无法登记任务“{title}”：{exc}") from exc


def claim(engine: Engine, worker: str) -> Job | None:
    """The oldest queued job, now running under ``worker``; None when nothing waits."""
    with engine.connect() as conn:
        waiting = conn.execute(
            select(jobs.c.id).where(jobs.c.state == "queued").order_by(jobs.c.id).limit(5)
        ).all()
    for (job_id,) in waiting:
        with engine.begin() as conn:
            taken = conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.state == "queued")
                .values(
                    state="running",
                    worker=worker,
                    started_at=dt.datetime.now(),
                    attempts=jobs.c.attempts + 1,
                    done=0,
                    error=None,
                )
            )
        if taken.rowcount == 1:
            return get(engine, job_id)
    return None


def progress(engine: Engine, job_id: int, done: int, total: int, messages: list[str]) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(done=done, total=total, messages=messages[-MESSAGES_KEPT:])
        )


def finish(engine: Engine, job_id: int, result: dict[str, Any], messages: list[str]) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                state="done",
                result=result,
                messages=messages[-MESSAGES_KEPT:],
                finished_at=dt.datetime.now(),
                done=jobs.c.total,
            )
        )


def fail(engine: Engine, job_id: int, reason: str, messages: list[str] | None = None) -> None:
    values: dict[str, Any] = {"state": "failed", "error": reason, "finished_at": dt.datetime.now()}
    if messages is not None:
        values["messages"] = messages[-MESSAGES_KEPT:]
    with engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def fail_interrupted(engine: Engine, worker_prefix: str = "") -> int:
    """Mark failed every running job (of workers whose name starts with ``worker_prefix``); how many."""
    query = update(jobs).where(jobs.c.state == "running")
    if worker_prefix:
        query = query.where(jobs.c.worker.startswith(worker_prefix))
    with engine.begin() as conn:
        done = conn.execute(query.values(state="failed", error=INTERRUPTED, finished_at=dt.datetime.now()))
    return int(done.rowcount)


def requeue(engine: Engine, job_id: int) -> list[int]:
    """A failed job queued again: the chunks it has still to do (those done are kept); [] when not failed."""
    with engine.begin() as conn:
        done = conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "failed")
            .values(state="queued", error=None, finished_at=None, worker=None)
        )
        if int(done.rowcount) != 1:
            return []
        conn.execute(
            update(job_chunks)
            .where(job_chunks.c.job_id == job_id, job_chunks.c.state != "done")
            .values(state="queued", error=None, worker=None, done=0)
        )
        left = conn.execute(
            select(job_chunks.c.chunk)
            .where(job_chunks.c.job_id == job_id, job_chunks.c.state != "done")
            .order_by(job_chunks.c.chunk)
        )
        return [int(n) for (n,) in left] or [-1]  # -1: every chunk done, only the merge is left


@dataclass(frozen=True)
class Chunk:
    job_id: int
    chunk: int
    params: dict[str, Any]
    state: str
    done: int
    total: int
    messages: list[str]
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    worker: str | None


def chunks_of(engine: Engine, job_id: int) -> list[Chunk]:
    query = select(job_chunks).where(job_chunks.c.job_id == job_id).order_by(job_chunks.c.chunk)
    with engine.connect() as conn:
        return [_chunk(r) for r in conn.execute(query)]


def start_chunk(engine: Engine, job_id: int, chunk: int, worker: str) -> Chunk | None:
    """Chunk ``chunk`` of ``job_id`` now running under ``worker``; None when it is done already (a worker
    that died after finishing it, or a second delivery of it) or its job is failed or gone."""
    now = dt.datetime.now()
    with engine.begin() as conn:
        taken = conn.execute(
            update(job_chunks)
            .where(
                job_chunks.c.job_id == job_id,
                job_chunks.c.chunk == chunk,
                job_chunks.c.state.in_(("queued", "running")),
            )
            .values(
                state="running",
                worker=worker[:80],
                started_at=now,
                attempts=job_chunks.c.attempts + 1,
                done=0,
                error=None,
            )
        )
        if taken.rowcount != 1:
            return None
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "queued")
            .values(state="running", worker=worker[:80], started_at=now, attempts=jobs.c.attempts + 1)
        )
        row = conn.execute(
            select(job_chunks).where(job_chunks.c.job_id == job_id, job_chunks.c.chunk == chunk)
        ).one()
    return _chunk(row)


def chunk_progress(
    engine: Engine, job_id: int, chunk: int, done: int, total: int, messages: list[str]
) -> None:
    """A chunk's progress, and its job's: the sums over its chunks (what the page shows)."""
    with engine.begin() as conn:
        conn.execute(
            update(job_chunks)
            .where(job_chunks.c.job_id == job_id, job_chunks.c.chunk == chunk)
            .values(done=done, total=total, messages=messages[-MESSAGES_KEPT:])
        )
        _sum_progress(conn, job_id, messages)


def finish_chunk(
    engine: Engine, job_id: int, chunk: int, result: dict[str, Any], messages: list[str]
) -> bool:
    """Chunk done with its result; True when no chunk of the job is left to do (its results can be merged).

    The chunks of one job finish one at a time (a lock on the job), so exactly one finisher sees none left.
    """
    with exclusive(engine, JOB_LOCK + int(job_id)) as conn:
        conn.execute(
            update(job_chunks)
            .where(job_chunks.c.job_id == job_id, job_chunks.c.chunk == chunk)
            .values(
                state="done",
                result=result,
                messages=messages[-MESSAGES_KEPT:],
                finished_at=dt.datetime.now(),
                done=job_chunks.c.total,
            )
        )
        _sum_progress(conn, job_id)
        left = conn.execute(
            select(func.count())
            .select_from(job_chunks)
            .where(job_chunks.c.job_id == job_id, job_chunks.c.state != "done")
        ).scalar_one()
    return int(left) == 0


def fail_chunk(engine: Engine, job_id: int, chunk: int, reason: str, messages: list[str]) -> None:
    """Chunk failed, and with it its job (the page shows the reason; 重新运行 does what is left)."""
    now = dt.datetime.now()
    said = {"messages": messages[-MESSAGES_KEPT:]} if messages else {}
    with engine.begin() as conn:
        conn.execute(
            update(job_chunks)  # a chunk done stays done (the merge after it failed): 重新运行 merges again
            .where(job_chunks.c.job_id == job_id, job_chunks.c.chunk == chunk, job_chunks.c.state != "done")
            .values(state="failed", error=reason, finished_at=now, **said)
        )
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state != "done")
            .values(state="failed", error=reason, finished_at=now, **said)
        )


def note_retry(engine: Engine, job_id: int, chunk: int, reason: str) -> None:
    """A chunk that failed for a passing reason (the database, the disk) and will be tried again."""
    with engine.begin() as conn:
        conn.execute(
            update(job_chunks)
            .where(job_chunks.c.job_id == job_id, job_chunks.c.chunk == chunk, job_chunks.c.state != "done")
            .values(state="queued", error=reason, worker=None)
        )


def _sum_progress(conn: Connection, job_id: int, messages: list[str] | None = None) -> None:
    """The job's done and total, the sums of its chunks'; its messages, the latest a chunk said."""
    done, total = conn.execute(
        select(
            func.coalesce(func.sum(job_chunks.c.done), 0), func.coalesce(func.sum(job_chunks.c.total), 0)
        ).where(job_chunks.c.job_id == job_id)
    ).one()
    known = conn.execute(select(jobs.c.total).where(jobs.c.id == job_id)).scalar_one_or_none()
    conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.state != "done")
        .values(
            done=int(done),
            total=max(int(known or 0), int(total)),
            **({"messages": messages[-MESSAGES_KEPT:]} if messages else {}),
        )
    )


def get(engine: Engine, job_id: int) -> Job | None:
    with engine.connect() as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    return _job(row) if row is not None else None


def jobs_of(engine: Engine, office_ids: set[int], limit: int = 50) -> list[Job]:
    query = select(jobs).where(jobs.c.office_id.in_(office_ids)).order_by(jobs.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [_job(r) for r in conn.execute(query)]


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        office_id=row.office_id,
        username=row.username,
        kind=row.kind,
        title=row.title,
        params=dict(row.params),
        state=row.state,
        done=row.done,
        total=row.total,
        messages=list(row.messages),
        result=dict(row.result) if row.result is not None else None,
        error=row.error,
        attempts=row.attempts,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


def _chunk(row: Any) -> Chunk:
    return Chunk(
        job_id=row.job_id,
        chunk=row.chunk,
        params=dict(row.params),
        state=row.state,
        done=row.done,
        total=row.total,
        messages=list(row.messages),
        result=dict(row.result) if row.result is not None else None,
        error=row.error,
        attempts=row.attempts,
        worker=row.worker,
    )


def counts(engine: Engine) -> dict[str, int]:
    """How many jobs are in each state (every state named, 0 when none)."""
    with engine.connect() as conn:
        found: dict[str, int] = dict(
            conn.execute(select(jobs.c.state, func.count()).group_by(jobs.c.state)).all()
        )
    return {state: int(found.get(state, 0)) for state in ("queued", "running", "done", "failed")}


def failed_jobs(engine: Engine, limit: int = 20) -> list[Job]:
    query = select(jobs).where(jobs.c.state == "failed").order_by(jobs.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [_job(r) for r in conn.execute(query)]
