"""The file store's age policy: what finished jobs made (PDFs, ZIPs, forms) goes after N days; the files
offices handed in stay (records and the register point at them), and so do running jobs' folders."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from baodao.store.schema import jobs

PART_AGE = 24 * 3600  # a temporary file of an atomic write this old belongs to a process long gone


@dataclass(frozen=True)
class Cleaned:
    folders: int
    files: int
    bytes: int


def clean(engine: Engine, data_dir: Path, older_than_days: float) -> Cleaned:
    """Remove the folders of jobs finished more than ``older_than_days`` ago, and stale temporary files."""
    cutoff = dt.datetime.now() - dt.timedelta(days=older_than_days)
    with engine.connect() as conn:
        old = {
            int(i)
            for (i,) in conn.execute(
                select(jobs.c.id).where(jobs.c.state.in_(("done", "failed")), jobs.c.finished_at < cutoff)
            )
        }
    folders = files = size = 0
    root = data_dir / "jobs"
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.is_dir() and folder.name.isdigit() and int(folder.name) in old:
            size += sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            shutil.rmtree(folder)
            folders += 1
    now = time.time()
    for part in data_dir.rglob(".*.part"):
        if part.is_file() and now - part.stat().st_mtime > PART_AGE:
            size += part.stat().st_size
            part.unlink(missing_ok=True)
            files += 1
    return Cleaned(folders, files, size)
