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
from form_templates.catalog import Form
from intake.extract import extract, to_json
from intake.grid import Grid
from intake.identify import identify
from intake.model import FieldIssue, ReadRecord, Rejected
from intake.patterns import template_guide
from intake.worker import ReadingWorker, read_grid
from store.records import StoredIssue, StoredRecord, ingest

SUPPORTED = (".docx", ".xlsx", ".xlsm", ".pdf")


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
    if path.suffix.lower() not in SUPPORTED:
        return Rejected(path, f"不是 DOCX、XLSX 或 PDF 文件（{path.suffix or '无扩展名'}），未读取")
    try:
        grid = (
            worker.read(path) if worker is not None else read_grid(path, limits or Limits.from_environment())
        )
    except BaodaoError as exc:
        return Rejected(path, str(exc))
    except Exception as exc:  # a damaged file fails inside the parser in many ways; none may stop the batch
        return Rejected(path, f"文件已损坏或格式不对，无法读取（{type(exc).__name__}: {exc}）")
    if "baodao.forms" in grid.properties:
        count = grid.properties["baodao.forms"]
        return Rejected(path, f"这是 baodao 的合并打印文件（{count} 份表单），不是交回的单份表单，未读取")
    found = identify(grid)
    if found is None:
        return Rejected(path, "认不出是哪一种表单：没有 baodao 的编号，标题和栏目也对不上目录中的表单")
    return _record(path, grid, found.form, found.form_id)


def _record(path: Path, grid: Grid, form: Form, form_id: str | None) -> ReadRecord:
    values, issues = extract(grid, form.spec, template_guide(form.docx))
    fields = to_json(values)
    if form_id is None and form.spec.id_field is not None:
        given = fields.get(form.spec.id_field)
        form_id = given if isinstance(given, str) and given else None
    return ReadRecord(path, form.key, form_id, fields, issues)


def intake(
    paths: Iterable[Path], engine: Engine, progress: Callable[[int], object] = lambda n: None
) -> IntakeReport:
    """Read and store every file under ``paths``; a file stored before (same content) changes nothing."""
    report = IntakeReport()
    with ReadingWorker(Limits.from_environment()) as worker:
        for path in collect(paths):
            _intake_one(path, engine, worker, report)
            progress(1)
    return report


def _intake_one(path: Path, engine: Engine, worker: ReadingWorker, report: IntakeReport) -> None:
    """Read and store one file; every outcome is stored, a rejection with its reason."""
    outcome = read_file(path, worker)
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
