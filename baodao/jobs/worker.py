"""Runs queued jobs: ``python -m baodao.jobs.worker --db URL --data DIR`` (the server starts its own).

A worker claims one job at a time and runs it in this process; a job's failure is written to its row with
the reason, never raised past it. A worker whose parent (the server) is gone stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import time
import traceback
from pathlib import Path

from sqlalchemy import Engine

from baodao.errors import BaodaoError
from baodao.jobs.context import JobContext
from baodao.jobs.registry import function_of
from baodao.store import jobs as queue
from baodao.store.db import connect

POLL = 0.5


def job_folder(data_dir: Path, job_id: int) -> Path:
    return data_dir / "jobs" / str(int(job_id))


def run_one(engine: Engine, job: queue.Job, data_dir: Path) -> None:
    """Run ``job`` (claimed) to its end: done with its result, or failed with the reason in Chinese."""
    folder = job_folder(data_dir, job.id) / f"run-{job.attempts}"
    folder.mkdir(parents=True, exist_ok=True)
    ctx = JobContext(engine, job.id, job.office_id, job.username, job.params, data_dir, folder)
    try:
        result = function_of(job.kind)(ctx)
    except BaodaoError as exc:
        queue.fail(engine, job.id, str(exc), ctx.messages)
        return
    except Exception as exc:  # a bug must not take the worker down; the log has the trace
        traceback.print_exc()
        queue.fail(
            engine, job.id, f"任务出错未完成（{type(exc).__name__}）；请把任务编号 {job.id} 告诉管理员"
        )
        return
    result["folder"] = str(folder.relative_to(data_dir))
    queue.finish(engine, job.id, result, ctx.messages)


def serve(db: str, data_dir: Path, name: str, parent: int | None = None, once: bool = False) -> None:
    engine = connect(db)
    try:
        while parent is None or os.getppid() == parent:
            job = queue.claim(engine, name)
            if job is not None:
                run_one(engine, job, data_dir)
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
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.db, args.data, args.name, args.parent, args.once)


if __name__ == "__main__":
    main()
