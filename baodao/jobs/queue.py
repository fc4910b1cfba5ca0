"""PostgreSQL: jobs go through procrastinate. The server and the command line defer a job's chunks; any
number of ``baodao worker`` processes, on any machine with the same database and file store, run them.

procrastinate's tables are the queue (who runs what, retries, workers' heartbeats); baodao's ``jobs`` and
``job_chunks`` keep what the pages show. A chunk that fails for a passing reason is tried again after 2, 4,
8 s; after ``RETRIES`` retries its job is failed with the reason. A worker killed outright (kill -9, a
machine lost) stops sending heartbeats: after ``stalled_after`` seconds another worker puts its chunk back
in the queue, and the chunk, idempotent, runs again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import threading
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy, SyncPsycopgConnector
from procrastinate.types import JSONValue
from sqlalchemy import Engine

from baodao.store.db import connect, database_url

TASK = "baodao.run_chunk"
QUEUE = "baodao"
RETRIES = 3
SCHEMA_LOCK = 0x62617071  # “bapq”: one process at a time applies procrastinate's schema
HEARTBEAT = float(os.environ.get("BAODAO_WORKER_HEARTBEAT", "10"))  # seconds between a worker's heartbeats
STALLED_AFTER = float(os.environ.get("BAODAO_WORKER_STALLED_AFTER", "60"))  # silent this long: presumed dead
log = logging.getLogger("baodao.jobs")
_worker: tuple[Engine, Path, str] | None = None  # this worker process's database, file store and name


def conninfo(db: str | Engine) -> str:
    """A libpq URL from a baodao database (its path or URL, or an engine on it)."""
    url = db.url.render_as_string(hide_password=False) if isinstance(db, Engine) else database_url(db)
    return url.replace("postgresql+psycopg://", "postgresql://")


def on_queue(engine: Engine) -> bool:
    """Jobs on this database go through procrastinate (PostgreSQL), not the server's own workers (SQLite)."""
    return engine.dialect.name == "postgresql"


def ensure_schema(url: str) -> None:
    """procrastinate's tables, made once (idempotent; alone, under an advisory lock)."""
    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        found = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        if found is None or found[0] is None:
            schema = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
            conn.execute(schema)  # procrastinate's own SQL, no parameters
        conn.commit()


def _run_chunk(context: JobContext, job_id: int, chunk: int) -> None:
    from baodao.jobs.worker import attempt

    if _worker is None:
        raise RuntimeError("this process is not a baodao worker")
    engine, data_dir, name = _worker
    attempt(engine, data_dir, job_id, chunk, name, final=context.job.attempts >= RETRIES)


def _app(url: str, sync: bool) -> App:
    connector = SyncPsycopgConnector(conninfo=url) if sync else PsycopgConnector(conninfo=url)
    app = App(connector=connector)
    from baodao.jobs.worker import Retry

    app.task(
        name=TASK,
        queue=QUEUE,
        pass_context=True,
        retry=RetryStrategy(max_attempts=RETRIES, exponential_wait=2, retry_exceptions={Retry}),
    )(_run_chunk)
    return app


@functools.cache
def _deferrer(url: str) -> App:
    """The process's app for deferring (synchronous), opened once, with the schema made if need be."""
    ensure_schema(url)
    app = _app(url, sync=True)
    app.open()
    return app


def defer(engine: Engine, job_id: int, chunks: Iterable[int]) -> None:
    """Put chunks of ``job_id`` in the queue (``worker.MERGE``: only its merge is left)."""
    app = _deferrer(conninfo(engine))
    task = app.configure_task(TASK, lock=None)
    kwargs: list[dict[str, JSONValue]] = [{"job_id": int(job_id), "chunk": int(n)} for n in chunks]
    task.batch_defer(*kwargs)


@dataclass(frozen=True)
class QueueState:
    """What procrastinate's tables say: chunks waiting, running, failed, and stalled (their worker silent)."""

    waiting: int
    running: int
    failed: int
    stalled: int
    workers: int


def state(engine: Engine, stalled_after: float = STALLED_AFTER) -> QueueState:
    url = conninfo(engine)
    ensure_schema(url)
    with psycopg.connect(url) as conn:
        counts: dict[str, int] = dict(
            conn.execute(
                "SELECT status::text, count(*) FROM procrastinate_jobs WHERE task_name = %s GROUP BY status",
                (TASK,),
            ).fetchall()
        )
        alive = conn.execute(
            "SELECT count(*) FROM procrastinate_workers"
            " WHERE last_heartbeat >= now() - make_interval(secs => %s)",
            (stalled_after,),
        ).fetchone()
        stalled = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs j"
            " LEFT JOIN procrastinate_workers w ON w.id = j.worker_id"
            " WHERE j.status = 'doing' AND j.task_name = %s"
            " AND (j.worker_id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %s))",
            (TASK, stalled_after),
        ).fetchone()
    return QueueState(
        waiting=int(counts.get("todo", 0)),
        running=int(counts.get("doing", 0)),
        failed=int(counts.get("failed", 0)),
        stalled=int(stalled[0]) if stalled else 0,
        workers=int(alive[0]) if alive else 0,
    )


def work(
    db: str,
    data_dir: Path,
    name: str,
    parent: int | None = None,
    once: bool = False,
    heartbeat: float = HEARTBEAT,
    stalled_after: float = STALLED_AFTER,
) -> None:
    """Be a procrastinate worker until SIGTERM/SIGINT (the chunk running finishes first), the parent is
    gone, or, ``once``, the queue is empty."""
    global _worker
    url = conninfo(db)
    ensure_schema(url)
    engine = connect(db)
    _worker = (engine, data_dir, name)
    try:
        _run(_work(url, name, parent, once, heartbeat, stalled_after, signals=not once))
    finally:
        _worker = None
        engine.dispose()


def _run(work: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run``, also when this thread already runs an event loop (a notebook, Playwright's sync
    API): then the worker runs on a thread of its own, and the caller waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="baodao-worker") as thread:
        thread.submit(asyncio.run, work).result()


async def _work(
    url: str,
    name: str,
    parent: int | None,
    once: bool,
    heartbeat: float,
    stalled_after: float,
    signals: bool,
) -> None:
    app = _app(url, sync=False)
    async with app.open_async():
        options: dict[str, Any] = {
            "queues": [QUEUE],
            "name": name,
            "concurrency": 1,  # one chunk at a time: `baodao worker --concurrency N` runs N processes
            "wait": not once,
            # signal handlers can be set only on the main thread (not so when ``_run`` needed a thread)
            "install_signal_handlers": signals and threading.current_thread() is threading.main_thread(),
            "update_heartbeat_interval": heartbeat,
            "stalled_worker_timeout": stalled_after,
            "delete_jobs": "successful",  # the queue stays small; baodao's tables keep the history
        }
        worker = asyncio.create_task(app.run_worker_async(**options))
        helpers = [] if once else [asyncio.create_task(_rescue_stalled(app, heartbeat, stalled_after))]
        try:
            while not worker.done():
                await asyncio.wait([worker], timeout=1.0)
                if parent is not None and os.getppid() != parent and not worker.done():
                    worker.cancel()  # the server that started this worker is gone: stop after the chunk
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)


async def _rescue_stalled(app: App, every: float, stalled_after: float) -> None:
    """Put back in the queue the chunks of workers that stopped sending heartbeats (killed, machine lost)."""
    while True:
        await asyncio.sleep(every)
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                queue=QUEUE, seconds_since_heartbeat=stalled_after
            )
            for job in stalled:
                with contextlib.suppress(Exception):  # another worker put it back first
                    await app.job_manager.retry_job(job)
                    log.warning(
                        "job %s (%s) of a silent worker put back in the queue", job.id, job.call_string
                    )
        except Exception:  # the database away for a moment: try again at the next turn
            log.exception("looking for stalled jobs failed")
