"""What a job function is handed: its parameters, the database, its own folder, and a way to report progress.

A job function is ``run(ctx: JobContext) -> dict`` (JSON: the result the page shows). It reads only
``ctx``, so any worker holding the database and the data folder can run it: the server's own worker
processes on SQLite, procrastinate's workers on PostgreSQL (``baodao worker``). It runs once per chunk of
its job: ``ctx.params`` are the job's with the chunk's laid over them (its 100 files, its 500 rows).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from baodao.store import jobs as queue

WRITE_EVERY = 0.5  # seconds between progress writes


@dataclass
class JobContext:
    engine: Engine
    job_id: int
    office_id: int
    username: str
    params: dict[str, Any]
    data_dir: Path
    workdir: Path  # this chunk's own folder; result files are named relative to it
    chunk: int = 0
    done: int = 0
    total: int = 0
    messages: list[str] = field(default_factory=list)
    _written: float = 0.0

    def expect(self, total: int) -> None:
        self.total = total
        self._write(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.total = max(self.total, self.done)
        self._write()

    def say(self, message: str) -> None:
        self.messages.append(message)
        self._write(force=True)

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._written >= WRITE_EVERY:
            queue.chunk_progress(self.engine, self.job_id, self.chunk, self.done, self.total, self.messages)
            self._written = now
