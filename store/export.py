"""Exports a form's stored records for clerks' own spreadsheets: XLSX, CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from openpyxl import Workbook

from baodao.errors import DataError, write_failure
from baodao.files import atomic_path
from baodao.form_templates.spec import FieldSpec, FormSpec, JsonValue, Scalar
from baodao.office.xlsx import FORMULA_STARTS, put, put_text
from baodao.store.records import StoredRow
from baodao.text import without_controls

FIXED = ("记录号", "编号", "来源文件", "存疑")


def export_records(spec: FormSpec, rows: list[StoredRow], out: Path) -> Path:
    """Write ``rows`` to ``out``; the format follows its suffix."""
    try:
        _write(spec, rows, out)
    except OSError as exc:  # the disk is full, or the folder cannot be written: nothing half-written
        raise write_failure(out, exc) from exc
    return out


def _write(spec: FormSpec, rows: list[StoredRow], out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        _xlsx(spec, rows, out)
    elif suffix == ".csv":
        _csv(spec, rows, out)
    elif suffix == ".json":
        data = [
            {
                "record": r.record_id,
                "id": r.form_id,
                "source": str(r.source),
                "fields": r.fields,
                "issues": [{"field": i.field, "message": i.message} for i in r.issues],
            }
            for r in rows
        ]
        with atomic_path(out) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        raise DataError(f"不支持导出为 {out.suffix or '无扩展名'}：请用 .xlsx、.csv 或 .json")


def _flat(value: JsonValue) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False)
        return "、".join(str(v) for v in value)
    return str(value)


def _header(spec: FormSpec) -> list[str]:
    return [*FIXED, *(f.label for f in spec.fields if f.type != "table")]


def _line(spec: FormSpec, row: StoredRow) -> list[str]:
    doubt = "；".join(i.message for i in row.issues)
    fixed = [str(row.record_id), row.form_id or "", str(row.source), doubt]
    return fixed + [_flat(row.fields.get(f.name)) for f in spec.fields if f.type != "table"]


def _typed(f: FieldSpec, value: JsonValue) -> Scalar | None:
    """A stored value as its spreadsheet cell: integers as numbers, dates as dates, the rest as text.

    A value kept as written because it failed its check (年龄 “三十”) stays text.
    """
    if f.type == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if f.type == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return _flat(value)


def _xlsx(spec: FormSpec, rows: list[StoredRow], out: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.key
    ws.append(_header(spec))
    scalars = [f for f in spec.fields if f.type != "table"]
    for row in rows:
        ws.append([None] * len(_header(spec)))
        r = ws.max_row
        ws.cell(r, 1).value = row.record_id
        for c, text in enumerate(_line(spec, row)[1 : len(FIXED)], start=2):
            put_text(ws.cell(r, c), text)
        for c, f in enumerate(scalars, start=len(FIXED) + 1):
            put(ws.cell(r, c), f, _typed(f, row.fields.get(f.name)))
    for table in spec.table_fields:
        sheet = wb.create_sheet(table.label[:31])
        sheet.append(["记录号", "编号", *(c.label for c in table.columns)])
        for row in rows:
            items = row.fields.get(table.name)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    sheet.append([row.record_id, None] + [None] * len(table.columns))
                    put_text(sheet.cell(sheet.max_row, 2), row.form_id or "")
                    for c, col in enumerate(table.columns, start=3):
                        put(sheet.cell(sheet.max_row, c), col, _typed(col, item.get(col.name)))
    with atomic_path(out) as tmp:
        wb.save(tmp)


def _csv(spec: FormSpec, rows: list[StoredRow], out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(spec))
    for row in rows:
        writer.writerow([_safe(text) for text in _line(spec, row)])
    with atomic_path(out) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8-sig")  # the BOM tells Excel it is UTF-8


def _safe(text: str) -> str:
    """A value typed by the public never runs as a formula when the CSV is opened in Excel."""
    text = without_controls(text)  # a terminal or editor showing the CSV would act on them
    return "'" + text if text.startswith(FORMULA_STARTS) else text
