"""Activity ledgers (活动台账): spreadsheets a community or unit keeps, one activity per row.

A ledger is stored like a returned form, one record per row, each known by a digest of what the row says:
importing the same file twice changes nothing, and a row repeated in a later, longer ledger is the same
record (the later file's copy stays current), so no activity is counted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from baodao.form_templates.coerce import CoerceError, read_integer
from baodao.office.sources import RowProblem
from baodao.store.records import IngestResult, StoredRecord, ingest
from baodao.tally.columns import Columns
from baodao.tally.facts import LEDGER_FORM

ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "活动日期", "服务时间", "活动时间", "时间"),
    "name": ("姓名", "党员姓名", "参加党员", "参加人", "党员"),
    "unit": ("单位", "工作单位", "报到单位", "所在单位", "单位党组织"),
    "community": ("社区", "报到社区", "服务社区", "居住地社区"),
    "category": ("类别", "活动类别", "服务类别", "类型"),
    "content": ("内容", "活动内容", "服务内容", "具体项目和内容", "活动名称", "服务项目", "项目名称"),
    "points": ("积分", "得分", "信用加分", "分数", "分值", "加分"),
}


@dataclass
class LedgerResult:
    """What importing one ledger did."""

    rows: int = 0
    stored: IngestResult | None = None
    problems: list[RowProblem] = field(default_factory=list)


def import_ledger(engine: Engine, path: Path) -> LedgerResult:
    """Store every readable row of a ledger; rows that cannot be read are named and left out."""
    cols = Columns(path, ALIASES, ("date", "unit"), "活动台账")
    result = LedgerResult()
    records: list[StoredRecord] = []
    seen: dict[str, int] = {}
    for row in cols.table.rows:
        on = cols.date(row, "date")
        fields: dict[str, str | int | None] = {
            n: cols.text(row, n) for n in ALIASES if n not in ("date", "points")
        }
        who = str(fields.get("name") or "")
        if not fields["unit"]:
            result.problems.append(
                RowProblem(row.number, cols.where("unit"), "", "是空的，这一行没有计入", who, path)
            )
            continue
        if not isinstance(on, dt.date) and "综合评价" not in str(fields["category"]):
            reason = "不是日期，这一行没有计入" if on else "是空的，这一行没有计入"
            result.problems.append(RowProblem(row.number, cols.where("date"), on or "", reason, who, path))
            continue
        points = cols.text(row, "points")
        try:
            earned = read_integer(points) if points else None
        except CoerceError:
            result.problems.append(
                RowProblem(row.number, cols.where("points"), points, "不是整数，这一行没有计入", who, path)
            )
            continue
        fields["date"] = on.isoformat() if isinstance(on, dt.date) else None
        fields["points"] = earned
        ident = _row_id(fields)
        if ident in seen:
            result.problems.append(
                RowProblem(
                    row.number,
                    "",
                    "",
                    f"与第{seen[ident]}行完全相同，只计一次（若确是两次活动，请在内容中注明）",
                    who,
                    path,
                )
            )
            continue
        seen[ident] = row.number
        records.append(StoredRecord(LEDGER_FORM, ident, dict(fields)))
    result.rows = len(records)
    if records:
        data = path.read_bytes()
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
        result.stored = ingest(engine, path, hashlib.sha256(data).hexdigest(), len(data), mtime, records)
    return result


def _row_id(fields: dict[str, str | int | None]) -> str:
    said = "\x1f".join(str(fields[n] or "") for n in sorted(fields))
    return "L-" + hashlib.sha256(said.encode("utf-8")).hexdigest()[:20]
