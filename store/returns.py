"""A batch of returned files read by intake and stored: never lose one, never store one twice.

Each file of a batch lands in exactly one place of the report: read now, read before (unchanged), refused,
or passed over. A record is reported as it is stored, after any corrections made by hand, so what the
report says is what `baodao review` and an export show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from baodao.intake.layout import FormLayout, Layouts, layout_from_json
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord, Rejected
from baodao.intake.printed_id import settle_id
from baodao.intake.run import Skipped, collect
from baodao.intake.worker import read_in_turn
from baodao.store.offices import file_offices, link_file
from baodao.store.records import StoredRecord, ingest, records_of_file
from baodao.store.register import is_issued
from baodao.store.templates import issued_versions
from baodao.text import shown


@dataclass(frozen=True)
class Returned:
    """One record of a batch's file as stored now."""

    record: ReadRecord  # values and issues as stored (corrections made); a scan's confidences as read
    record_id: int
    new: bool  # stored by this run (False: the same file was read before)
    current: bool  # False when a newer return of the same form and id stands instead
    corrected: tuple[str, ...] = ()  # fields changed by hand since the file was read

    @property
    def doubts(self) -> int:
        """The issues `baodao review` lists for this record: those of a current record."""
        return len(self.record.issues) if self.current else 0

    def as_json(self) -> dict[str, object]:
        return {
            **self.record.as_json(),
            "record": self.record_id,
            "stored": "new" if self.new else "before",
            "current": self.current,
            "corrected": list(self.corrected),
        }


@dataclass
class IntakeReport:
    """What a batch came to, each file counted once: read now, read before, refused, or passed over."""

    returned: list[Returned] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    already: list[Path] = field(default_factory=list)  # files whose content was read before
    read: list[Path] = field(default_factory=list)  # files read and stored by this run
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def records(self) -> list[ReadRecord]:
        """Every record of the batch's files, as stored now."""
        return [r.record for r in self.returned]

    def as_json(self) -> dict[str, object]:
        return {
            "records": [r.as_json() for r in self.returned],
            "rejected": [r.as_json() for r in self.rejected],
            "skipped": [s.as_json() for s in self.skipped],
            "files": {
                "read": len(self.read),
                "before": len(self.already),
                "rejected": len(self.rejected),
                "skipped": len(self.skipped),
            },
        }


def intake(
    paths: Iterable[Path],
    engine: Engine,
    progress: Callable[[int], object] = lambda n: None,
    office_id: int | None = None,
) -> IntakeReport:
    """Read and store every file under ``paths``; a file stored before (same content) changes nothing.

    A file refused before is stored when it reads now (a refusal for time or memory is never final).
    With ``office_id``, each file no office has yet is that office's."""
    found, skipped = collect(paths)
    report = IntakeReport(skipped=skipped)
    # Files read at once (a reading process each): one per core; BAODAO_INTAKE_READERS when a machine runs
    # several job workers, each with its share of the cores.
    readers = int(os.environ.get("BAODAO_INTAKE_READERS", "2"))
    layouts = version_layouts(engine)
    for outcome in read_in_turn(found, Limits.from_environment(), workers=readers, layouts=layouts):
        if isinstance(outcome, ReadRecord):  # a scan's id read by OCR counts only when it was issued
            outcome = settle_id(outcome, lambda key, ident: is_issued(engine, key, ident))
        _store(outcome.source, outcome, engine, report, office_id)
        progress(1)
    return report


def version_layouts(engine: Engine) -> Layouts:
    """The layout of each issued form made from an office's template version, by form key and id: a
    scanned return is laid over the layout of the template it was printed from."""
    parsed: dict[int, FormLayout] = {}
    by_form: dict[tuple[str, str], FormLayout] = {}
    for key, form_id, version_id, layout in issued_versions(engine):
        if version_id not in parsed:
            parsed[version_id] = layout_from_json(layout)
        by_form[(key, form_id)] = parsed[version_id]
    return Layouts(by_form)


def _store(
    path: Path, outcome: ReadRecord | Rejected, engine: Engine, report: IntakeReport, office_id: int | None
) -> None:
    """Store one file's outcome (a rejection too, with its reason) and report what is stored."""
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()  # streamed: a hostile file may be huge
    stat = path.stat()
    mtime = dt.datetime.fromtimestamp(stat.st_mtime)
    if isinstance(outcome, Rejected):
        stored = ingest(engine, path, digest, stat.st_size, mtime, outcome.reason)
    else:
        record = StoredRecord(outcome.form, outcome.form_id, outcome.fields, tuple(outcome.issues))
        stored = ingest(engine, path, digest, stat.st_size, mtime, [record])
    if office_id is not None and not file_offices(engine, stored.file_id):
        link_file(engine, office_id, digest, shown(path.name))  # hashed once, here; a GBK name escaped
    if stored.status == "rejected":
        # Refused now, or refused before and refused again: a refusal either way, reported once.
        report.rejected.append(Rejected(path, stored.reason or "", getattr(outcome, "retry", False)))
        return
    (report.already if stored.already else report.read).append(path)
    confidence = outcome.confidence if isinstance(outcome, ReadRecord) else {}
    converted = outcome.converted_from if isinstance(outcome, ReadRecord) else None
    for row in records_of_file(engine, stored.file_id):
        as_stored = ReadRecord(
            path,
            row.form_key,
            row.form_id,
            row.fields,
            list(row.issues),
            confidence=confidence,
            converted_from=converted,
        )
        report.returned.append(
            Returned(as_stored, row.record_id, not stored.already, row.status == "current", row.corrected)
        )
