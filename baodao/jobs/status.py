"""What `baodao jobs` and the 任务 page say of the queue: jobs by state, and on PostgreSQL procrastinate's
chunks waiting, running, failed and stalled (their worker silent), and the workers alive."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from baodao.store import jobs as rows
from baodao.store.db import connect


@dataclass(frozen=True)
class QueueSummary:
    queued: int
    running: int
    done: int
    failed: int
    on_queue: bool  # PostgreSQL: the figures below are procrastinate's
    chunks_waiting: int = 0
    chunks_running: int = 0
    chunks_failed: int = 0
    chunks_stalled: int = 0
    workers: int = 0


def summary(engine: Engine) -> QueueSummary:
    counts = rows.counts(engine)
    if engine.dialect.name != "postgresql":
        return QueueSummary(**counts, on_queue=False)
    from baodao.jobs.queue import state

    q = state(engine)
    return QueueSummary(
        **counts,
        on_queue=True,
        chunks_waiting=q.waiting,
        chunks_running=q.running,
        chunks_failed=q.failed,
        chunks_stalled=q.stalled,
        workers=q.workers,
    )


def overview(db: str | None) -> list[str]:
    engine = connect(db)
    s = summary(engine)
    lines = [f"任务：排队 {s.queued}，进行中 {s.running}，失败 {s.failed}，已完成 {s.done}"]
    if s.on_queue:
        lines.append(
            f"队列（procrastinate）：等待 {s.chunks_waiting} 份，运行中 {s.chunks_running} 份，"
            f"失败 {s.chunks_failed} 份，停滞 {s.chunks_stalled} 份；在线工作进程 {s.workers} 个"
        )
    else:
        lines.append("SQLite：任务由 baodao serve 自己的工作进程（或 baodao worker）运行")
    for job in rows.failed_jobs(engine, 10):
        lines.append(f"失败  {job.id}  {job.title}：{job.error}")
    return lines
