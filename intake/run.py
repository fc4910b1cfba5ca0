"""Intake of a batch of returned files: read, identify, extract and store each; never lose one."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from baodao.errors import BaodaoError
from baodao.limits import Limits
from intake.model import FieldIssue, ReadRecord, Rejected
from intake.worker import ReadingWorker, read_in_turn, read_record
from store.records import StoredIssue, StoredRecord, ingest


@dataclass
class IntakeReport:
    """What a batch came to: the records read, the files refused (with reasons), and files seen before."""

    records: list[ReadRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    already: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "records": [r.as_json() for r in self.records],
            "rejected": [r.as_json() for r in self.rejected],
        }


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files named, and every file under folders named; Word's lock files (~$…) and hidden files skipped."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        found += [p for p in candidates if not p.name.startswith(("~$", "."))]
    return found


def read_file(
    path: Path, worker: ReadingWorker | None = None, limits: Limits | None = None
) -> ReadRecord | Rejected:
    """One file as a record of its form, or the reason it cannot be one.

    With a ``worker``, the file is parsed in that process under its time and memory limits.
    """
    if worker is not None:
        return worker.read(path)
    try:
        return read_record(path, limits or Limits.from_environment())
    except BaodaoError as exc:
        return Rejected(path, str(exc))
    except Exception as exc:  # a damaged file fails inside the parser in many ways; none may stop the batch
        return Rejected(path, f"文件已损坏或格式不对，无法读取（{type(exc).__name__}: {exc}）")


def intake(
    paths: Iterable[Path], engine: Engine, progress: Callable[[int], object] = lambda n: None
) -> IntakeReport:
    """Read and store every file under ``paths``; a file stored before (same content) changes nothing."""
    report = IntakeReport()
    for outcome in read_in_turn(collect(paths), Limits.from_environment()):
        _store(outcome.source, outcome, engine, report)
        progress(1)
    return report


def _store(path: Path, outcome: ReadRecord | Rejected, engine: Engine, report: IntakeReport) -> None:
    """Store one file's outcome; a rejection is stored too, with its reason."""
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()  # streamed: a hostile file may be huge
    stat = path.stat()
    mtime = dt.datetime.fromtimestamp(stat.st_mtime)
    if isinstance(outcome, Rejected):
        stored = ingest(engine, path, digest, stat.st_size, mtime, outcome.reason)
        report.rejected.append(outcome)
    else:
        record = StoredRecord(outcome.form, outcome.form_id, outcome.fields, _issues(outcome.issues))
        stored = ingest(engine, path, digest, stat.st_size, mtime, [record])
        report.records.append(outcome)
    if stored.already:
        report.already.append(path)


def _issues(issues: list[FieldIssue]) -> tuple[StoredIssue, ...]:
    return tuple(StoredIssue(i.field, i.message) for i in issues)
