"""A batch of returned files read by intake and stored: never lose one, never store one twice."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.run import collect
from baodao.intake.worker import read_in_turn
from baodao.store.records import StoredRecord, ingest


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
        record = StoredRecord(outcome.form, outcome.form_id, outcome.fields, tuple(outcome.issues))
        stored = ingest(engine, path, digest, stat.st_size, mtime, [record])
        report.records.append(outcome)
    if stored.already:
        report.already.append(path)
