"""The job queue: long work (issuing, intake of a batch) as rows, so a reload or a restart shows where it is.

States: queued → running → done | failed. A job left running by a server that stopped is marked failed and
can be queued again (``requeue``): the work it does is idempotent, so running it again gives the same result.
Claiming is one conditional UPDATE, so any number of workers on any machine can share the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import jobs

MESSAGES_KEPT = 200
INTERRUPTED = "服务器在任务进行中停止了，任务未完成；可点“重新运行”，结果与一次完成的相同"


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
) -> int:
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
            return int(made.inserted_primary_key[0])  # type: ignore[index]
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


def requeue(engine: Engine, job_id: int) -> bool:
    """A failed job queued again; False when it is not failed."""
    with engine.begin() as conn:
        done = conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "failed")
            .values(state="queued", error=None, finished_at=None, worker=None)
        )
    return int(done.rowcount) == 1


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
