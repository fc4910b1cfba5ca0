"""Reads a form's fields from a grid with its spec: typed values, and a doubt for every value that fails.

Each field is looked for, most exact first: by its template's pattern (baodao's own layout), by the cell
beside or below its label, and as “label：value” text. A value that does not read or validate is kept,
as written, with its issue; nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import re

from baodao.form_templates.coerce import CoerceError, coerce, coerce_scalar
from baodao.form_templates.spec import FieldSpec, FormSpec, Record, Scalar, Value
from baodao.form_templates.text import squash
from baodao.form_templates.validate import validate
from baodao.intake.grid import Grid
from baodao.intake.labels import LabelIndex, norm, ticked_options
from baodao.intake.model import FieldIssue, JsonValue
from baodao.intake.patterns import TemplateGuide, TextPattern, text_sequences
from baodao.intake.tables import read_table_rows

_BLANK_DATE = re.compile(r"^[\s_年月日]*$")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u9fff\uff00-\uffef])")
_DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def extract(
    grid: Grid, spec: FormSpec, guide: TemplateGuide | None = None
) -> tuple[Record, list[FieldIssue]]:
    """The record ``grid`` holds for ``spec``, with the doubts about it."""
    guide = guide or TemplateGuide()
    columns = [c for f in spec.table_fields for c in f.columns]
    index = LabelIndex(grid, {t for f in [*spec.fields, *columns] for t in f.labels})
    found = _match_patterns(grid, guide.patterns, index)
    sequences = text_sequences(grid)
    for reader in guide.anchored:
        for name, value in (reader.read(sequences) or {}).items():
            found.setdefault(name, value)
    if grid.kind == "pdf":
        # Taken from among the lines only when it reads as its field's type (a date as a date).
        by_name = {f.name: f for f in spec.fields}
        for reader in guide.anchored:
            values = reader.read_among_lines(sequences) or {}
            if all(n not in found and n in by_name and _fits(by_name[n], v) for n, v in values.items()):
                found.update(values)
    record: Record = {}
    issues: list[FieldIssue] = []
    ordinal: dict[str, int] = {}
    for f in spec.fields:
        if f.type == "table":
            record[f.name] = _table(grid, f, issues, _year_of(grid))
            continue
        nth = ordinal.get(norm(f.label), 0)
        ordinal[norm(f.label)] = nth + 1
        raw = found.get(f.name)
        if raw is None:
            spot = index.beside(f, nth) or index.inline(f)
            raw = spot.text if spot is not None else None
        if raw is None and f.type == "list":
            region = next((r for r in guide.lists if r.field == f.name), None)
            items = region.read(sequences[0]) if region is not None else None
            raw = "\n".join(items) if items else None
        if raw is not None:
            raw = _trim(raw, index, guide, f.label, pdf=grid.kind == "pdf")
        boxes = _ticked_anywhere(grid, f) if f.type in ("choice", "choices") else None
        record[f.name] = _value(f, raw, issues, boxes)
    if grid.kind == "pdf":
        _dates_under_seals(grid, spec, record)
    unreadable = {i.field for i in issues}
    for problem in validate(spec, record):
        if problem.field not in unreadable:
            issues.append(FieldIssue(problem.field, str(problem)))
    return record, issues


def _fits(f: FieldSpec, raw: str) -> bool:
    """Whether ``raw`` reads as ``f``'s type."""
    if f.type not in ("date", "integer"):
        return True
    try:
        coerce(f, raw)
    except CoerceError:
        return False
    return True


def _trim(raw: str, index: LabelIndex, guide: TemplateGuide, label: str, pdf: bool) -> str:
    """A value without what a PDF line or cell joined to it: another “label：…”, or the form's own fixed
    lines below it (“社区党组织（盖章）”); and, in a PDF, without the spaces it puts beside CJK."""
    value = index.cut_at_labels(raw)
    kept = []
    for line in value.split("\n"):
        if squash(line) in guide.fixed_lines:
            break
        kept.append(line)
    value = "\n".join(kept).strip()
    return _CJK_SPACE.sub("", value) if pdf else value


def _dates_under_seals(grid: Grid, spec: FormSpec, record: Record) -> None:
    """A PDF keeps no paragraphs, only lines: give unlabeled dates still missing the free-standing date
    lines (“2019年10月21日” under a seal) in the order both come."""
    missing = [f for f in spec.fields if f.unlabeled and f.type == "date" and record.get(f.name) is None]
    if not missing:
        return
    taken = {v for v in record.values() if isinstance(v, dt.date)}
    lines = [squash(line) for text in grid.all_text().split("\n") for line in [text]]
    dates = []
    for before, line in zip(["", *lines], lines, strict=False):
        if _DATE_LINE.fullmatch(line):
            try:
                day = coerce(missing[0], line)
            except CoerceError:
                continue
            # The date under （盖章） is the seal's, even when another field holds the same day.
            if isinstance(day, dt.date) and (day not in taken or "盖章" in before):
                dates.append(day)
    for f, day in zip(missing, dates, strict=False):
        record[f.name] = day


def _ticked_anywhere(grid: Grid, f: FieldSpec) -> list[str] | None:
    """Options ticked in any text of the file (grids put each option in its own cell), or None if no
    text shows two or more of the options beside boxes."""
    texts = [p.text for p in grid.paragraphs] + [c.text for t in grid.tables for c in t.cells]
    seen = chosen = 0
    picked: set[str] = set()
    for text in texts:
        found = ticked_options(text, f.options)
        if found is None:
            continue
        shown = sum(1 for o in f.options if o in text)
        if shown == 0:
            continue
        seen += shown
        chosen += len(found)
        picked.update(found)
    if seen < min(2, len(f.options)):
        return None
    return [o for o in f.options if o in picked]


def _match_patterns(grid: Grid, patterns: tuple[TextPattern, ...], index: LabelIndex) -> dict[str, str]:
    paragraphs = [p.text for p in grid.paragraphs]
    texts = paragraphs + [c.text for t in grid.tables for c in t.cells]
    # A sentence a PDF wrapped over lines: try runs of up to four lines joined back together.
    texts += ["".join(paragraphs[i : i + n]) for n in (2, 3, 4) for i in range(len(paragraphs) - n + 1)]
    if grid.kind == "pdf":
        # A borderless layout table prints as one ruled cell in a PDF: its sentences are runs of lines.
        for cell in (c for t in grid.tables for c in t.cells if "\n" in c.text):
            lines = cell.text.split("\n")
            texts += ["".join(lines[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(lines) - n + 1)]
    found: dict[str, str] = {}
    used: set[int] = set()  # each text answers one pattern: two “联系电话：…” lines are two fields
    for pattern in patterns:
        for at, text in enumerate(texts):
            if at in used:
                continue
            values = pattern.read(text)
            if values is not None and not any(norm(v) in index.labels for v in values.values() if v):
                for name, value in values.items():
                    found.setdefault(name, value)
                used.add(at)
                break
    return found


def _value(f: FieldSpec, raw: str | None, issues: list[FieldIssue], boxes: list[str] | None = None) -> Value:
    if boxes is not None and f.type in ("choice", "choices"):
        raw = raw or ""
    elif raw is None or not raw.strip() or (f.type == "date" and _BLANK_DATE.match(raw)):
        return [] if f.type in ("choices", "list") else None
    if f.type in ("choice", "choices"):
        chosen = ticked_options(raw, f.options) if boxes is None else boxes
        if chosen is not None:
            if f.type == "choices":
                return chosen
            if len(chosen) > 1:
                shown = "、".join(chosen)
                issues.append(FieldIssue(f.name, f"{f.label}：勾选了{len(chosen)}项（{shown}），只能选一项"))
            return chosen[0] if chosen else None
    try:
        return coerce(f, raw)
    except CoerceError as exc:
        issues.append(FieldIssue(f.name, f"{f.label}：{exc}"))
        return raw.strip()


def _year_of(grid: Grid) -> int | None:
    """The year a form states somewhere (“2025年上半年”, a dated seal), for dates printed without one."""
    m = _YEAR.search(grid.all_text())
    return int(m.group(1)) if m else None


def _table(grid: Grid, f: FieldSpec, issues: list[FieldIssue], year: int | None) -> Value:
    rows = read_table_rows(grid, f)
    if rows is None:
        return []
    out: list[dict[str, Scalar | None]] = []
    for n, raw_row in enumerate(rows, start=1):
        row: dict[str, Scalar | None] = {}
        for col in f.columns:
            text = raw_row.get(col.name, "")
            if not text or (col.type == "date" and _BLANK_DATE.match(text)):
                row[col.name] = None
                continue
            try:
                row[col.name] = coerce_scalar(col, text, year=year)
            except CoerceError as exc:
                issues.append(FieldIssue(f.name, f"{f.label}第{n}行“{col.label}”：{exc}"))
                row[col.name] = text
        out.append(row)
    return out


def to_json(record: Record) -> dict[str, JsonValue]:
    """The output contract's values: dates as YYYY-MM-DD, everything else as read."""
    return {name: _json(value) for name, value in record.items()}


def _json(value: Value) -> JsonValue:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [{k: _scalar(v) for k, v in item.items()} for item in value if isinstance(item, dict)]
    if isinstance(value, list):
        return [str(item) for item in value]
    return _scalar(value)


def _scalar(value: Scalar | None) -> str | int | None:
    if value == "":
        return None  # an empty text is no value, as the contract gives it
    return value.isoformat() if isinstance(value, dt.date) else value
