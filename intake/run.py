"""Intake of a batch of returned files: read, identify, extract and store each; never lose one."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from baodao.errors import BaodaoError
from form_templates.catalog import Form
from intake.docx_reader import read_docx
from intake.extract import extract, to_json
from intake.grid import Grid
from intake.identify import identify
from intake.model import FieldIssue, ReadRecord, Rejected
from intake.patterns import template_guide
from intake.pdf_reader import read_pdf
from intake.xlsx_reader import read_xlsx
from store.records import StoredIssue, StoredRecord, ingest

READERS: dict[str, Callable[[Path], Grid]] = {".docx": read_docx, ".xlsx": read_xlsx, ".pdf": read_pdf}


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


def read_file(path: Path) -> ReadRecord | Rejected:
    """One file as a record of its form, or the reason it cannot be one."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return Rejected(path, f"不是 DOCX、XLSX 或 PDF 文件（{path.suffix or '无扩展名'}），未读取")
    try:
        grid = reader(path)
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
    for path in collect(paths):
        outcome = read_file(path)
        data = path.read_bytes()
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
        if isinstance(outcome, Rejected):
            stored = ingest(engine, path, hashlib.sha256(data).hexdigest(), len(data), mtime, outcome.reason)
            report.rejected.append(outcome)
        else:
            record = StoredRecord(outcome.form, outcome.form_id, outcome.fields, _issues(outcome.issues))
            stored = ingest(engine, path, hashlib.sha256(data).hexdigest(), len(data), mtime, [record])
            report.records.append(outcome)
        if stored.already:
            report.already.append(path)
        progress(1)
    return report


def _issues(issues: list[FieldIssue]) -> tuple[StoredIssue, ...]:
    return tuple(StoredIssue(i.field, i.message) for i in issues)
