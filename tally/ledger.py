"""Activity ledgers (活动台账): spreadsheets a community or unit keeps, one activity per row.

A ledger is stored like a returned form, one record per row. A row is known by what it means, not by how
the file wrote it: the day, the person (unit and name as compared) and the kind of activity, whatever the
column titles, their order, a 序号 column or a 社区 column left out. Importing the same activities again
(the same file, a later and longer ledger, a copy with other headers) stores no second activity; a row that
means the same activity but says other words, points or community replaces the stored one as a correction
and is listed for review. Imports can be listed and undone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, case, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import DataError, StorageError
from baodao.form_templates.coerce import CoerceError, read_integer
from baodao.form_templates.spec import JsonValue
from baodao.form_templates.text import squash
from baodao.office.sources import RowProblem, SourceRow
from baodao.store.db import exclusive
from baodao.store.offices import DEFAULT_OFFICE, link_file
from baodao.store.records import IngestResult, StoredRecord, ingest
from baodao.store.schema import files, office_files, records
from baodao.store.withdraw import reinstate_file, withdraw_file
from baodao.tally.categories import categorize
from baodao.tally.columns import Columns
from baodao.tally.facts import LEDGER_FORM
from baodao.tally.names import community_key, unit_key
from baodao.tally.schema import SYNC_LOCK, ensure_tables, tally_undone
from baodao.text import shown

ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "活动日期", "服务日期", "服务时间", "活动时间", "时间"),
    "name": ("姓名", "党员姓名", "参加党员", "参加人", "参加人员", "党员"),
    "unit": ("单位", "工作单位", "报到单位", "所在单位", "单位党组织", "单位名称"),
    "community": ("社区", "所属社区", "报到社区", "服务社区", "居住地社区", "所在社区"),
    "category": ("类别", "活动类别", "服务类别", "活动类型", "类型"),
    "content": ("内容", "活动内容", "服务内容", "具体项目和内容", "活动名称", "服务项目", "项目名称"),
    "points": ("积分", "得分", "信用加分", "分数", "分值", "加分"),
}
Fields = dict[str, str | int | None]


@dataclass
class LedgerResult:
    """What importing one ledger did."""

    rows: int = 0  # rows read and stored
    stored: IngestResult | None = None
    problems: list[RowProblem] = field(default_factory=list)
    known: int = 0  # rows that are activities stored before, unchanged
    changed: list[str] = field(default_factory=list)  # rows correcting a stored activity, for review
    redone: bool = False  # the file had been undone and counts again

    @property
    def already(self) -> bool:
        return self.stored is not None and self.stored.already and not self.redone

    @property
    def file_id(self) -> int | None:
        return self.stored.file_id if self.stored is not None else None


def import_ledger(
    engine: Engine,
    path: Path,
    sheet: str | None = None,
    office_id: int = DEFAULT_OFFICE,
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
) -> LedgerResult:
    """Store every readable row of a ledger as ``office_id``'s import (its tally counts the people it names);
    rows that cannot be read are named and left out. ``columns``: header → column, the clerk's choices;
    ``name``: the file's name as its office knows it (an upload is kept under its hash)."""
    result = LedgerResult()
    read = read_ledger(path, sheet, columns, result.problems)
    stored = _identify(read)
    result.rows = len(stored)
    if not stored:
        return result
    _compare(engine, stored, result)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
    records_ = [StoredRecord(LEDGER_FORM, ident, dict(fields)) for ident, (_, fields) in stored.items()]
    result.stored = ingest(ensure_tables(engine), path, digest, len(data), mtime, records_)
    link_file(engine, office_id, digest, name or shown(path.name))
    if result.stored.already:
        result.redone = _redo(engine, result.stored.file_id)
    return result


def read_ledger(
    path: Path,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    problems: list[RowProblem] | None = None,
) -> list[tuple[int, Fields]]:
    """A ledger's readable rows (number, fields), without storing anything; the rows left out (unreadable,
    or written twice) are added to ``problems``."""
    cols = Columns(path, ALIASES, ("date", "unit"), "活动台账", sheet, columns)
    problems = [] if problems is None else problems
    read: list[tuple[int, Fields]] = []
    seen: dict[str, int] = {}
    for row in cols.table.rows:
        fields = _fields(cols, row, path, problems)
        if fields is None:
            continue
        said = _meaning(fields)
        if said in seen:
            problems.append(
                RowProblem(
                    row.number,
                    "",
                    "",
                    f"与第{seen[said]}行完全相同，只计一次（若确是两次活动，请在内容中注明）",
                    str(fields.get("name") or ""),
                    path,
                )
            )
            continue
        seen[said] = row.number
        read.append((row.number, fields))
    return read


def _fields(cols: Columns, row: SourceRow, path: Path, problems: list[RowProblem]) -> Fields | None:
    on = cols.date(row, "date")
    fields: Fields = {n: cols.text(row, n) for n in ALIASES if n not in ("date", "points")}
    who = str(fields.get("name") or "")
    if not fields["unit"]:
        problems.append(RowProblem(row.number, cols.where("unit"), "", "是空的，这一行没有计入", who, path))
        return None
    if not isinstance(on, dt.date) and "综合评价" not in str(fields["category"]):
        reason = "不是日期，这一行没有计入" if on else "是空的，这一行没有计入"
        problems.append(RowProblem(row.number, cols.where("date"), on or "", reason, who, path))
        return None
    points = cols.text(row, "points")
    try:
        earned = read_integer(points) if points else None
    except CoerceError:
        problems.append(
            RowProblem(row.number, cols.where("points"), points, "不是整数，这一行没有计入", who, path)
        )
        return None
    fields["date"] = on.isoformat() if isinstance(on, dt.date) else None
    fields["points"] = earned
    return fields


def _slot(fields: Fields) -> tuple[str, ...]:
    """Which activity a row is about: day, unit, person and kind, as the tally compares them. The community
    is not part of it: a copy without the 社区 column, or naming it another way, means the same activities
    (a community that differs is a correction, shown for review)."""
    text = {k: squash(str(v or "")) for k, v in fields.items()}
    kind: str = categorize(text["category"], text["content"])
    if "综合评价" in text["category"] or "等次" in text["category"]:
        kind = "rating"
    elif "报到" in text["category"]:
        kind = "registration"
    return (text["date"], unit_key(text["unit"]), text["name"], kind)


def _meaning(fields: Fields) -> str:
    """Everything a row says, as compared: two rows alike in this are the same activity written twice."""
    text = [squash(str(fields[k] or "")) for k in ("category", "content", "points")]
    community = community_key(squash(str(fields["community"] or "")))
    return "\x1f".join([*_slot(fields), community, *text])


def _identify(read: list[tuple[int, Fields]]) -> dict[str, tuple[int, Fields]]:
    """Each row's id: its slot, and among rows of one file in the same slot, its place when they are put in
    order of what they say (so a reordered copy gives each the same id)."""
    by_slot: dict[tuple[str, ...], list[tuple[int, Fields]]] = defaultdict(list)
    for number, fields in read:
        by_slot[_slot(fields)].append((number, fields))
    found: dict[str, tuple[int, Fields]] = {}
    for slot, rows in by_slot.items():
        for n, (number, fields) in enumerate(sorted(rows, key=lambda r: _meaning(r[1]))):
            digest = hashlib.sha256("\x1f".join([*slot, str(n)]).encode("utf-8")).hexdigest()[:20]
            found["L-" + digest] = (number, fields)
    return found


def _compare(engine: Engine, stored: dict[str, tuple[int, Fields]], result: LedgerResult) -> None:
    """Count the rows that are stored activities unchanged, and list those that correct one."""
    r = records.c
    ids = sorted(stored)
    try:
        with ensure_tables(engine).connect() as conn:
            current: dict[str, dict[str, JsonValue]] = {}
            for start in range(0, len(ids), 500):
                query = select(r.form_id, r.fields).where(
                    r.form_key == LEDGER_FORM, r.status == "current", r.form_id.in_(ids[start : start + 500])
                )
                current.update({form_id: fields for form_id, fields in conn.execute(query)})
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取已读入的台账：{exc}") from exc
    for ident, (number, fields) in stored.items():
        before = current.get(ident)
        if before is None:
            continue
        if not fields["community"] and before.get("community"):
            fields["community"] = str(before["community"])  # left out, not changed: what was known stays
        if _meaning(before) == _meaning(fields):  # type: ignore[arg-type]
            result.known += 1
            continue
        result.changed.append(f"第{number}行：{_said(before)} → {_said(fields)}，按更正计入，请核对")


def _said(fields: dict[str, JsonValue] | Fields) -> str:
    who = squash(str(fields.get("name") or "")) or squash(str(fields.get("unit") or ""))
    where = squash(str(fields.get("community") or ""))
    who += f"（{where}）" if where else ""
    points = fields.get("points")
    extra = f"，{points}分" if points is not None else ""
    return f"{fields.get('date')} {who}“{squash(str(fields.get('content') or ''))}”{extra}"


def _redo(engine: Engine, file_id: int) -> bool:
    """A file imported again after its import was undone counts again."""
    try:
        with exclusive(engine, SYNC_LOCK) as conn:
            if conn.scalar(select(tally_undone.c.file_id).where(tally_undone.c.file_id == file_id)) is None:
                return False
            reinstate_file(conn, file_id)
            conn.execute(delete(tally_undone).where(tally_undone.c.file_id == file_id))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法恢复台账读入 {file_id}：{exc}") from exc
    return True


@dataclass(frozen=True)
class LedgerImport:
    """One ledger file as imported: its id, where it was read, when, its rows, how many count now."""

    file_id: int
    path: str
    imported_at: dt.datetime
    rows: int
    counted: int
    undone_at: dt.datetime | None
    offices: frozenset[int] = frozenset()  # the offices that imported it
    name: str = ""  # as the (first) office that imported it named it


def list_imports(engine: Engine, offices: Collection[int] | None = None) -> list[LedgerImport]:
    """Every ledger file imported (by one of ``offices``; None: by anyone), oldest first."""
    r, f, u = records.c, files.c, tally_undone.c
    query = (
        select(
            f.id,
            f.first_path,
            f.first_seen_at,
            func.count(),
            func.sum(case((r.status == "current", 1), else_=0)),
            u.undone_at,
        )
        .join(records, r.file_id == f.id)
        .outerjoin(tally_undone, u.file_id == f.id)
        .where(r.form_key == LEDGER_FORM)
        .group_by(f.id, f.first_path, f.first_seen_at, u.undone_at)
        .order_by(f.id)
    )
    owners: dict[int, set[int]] = defaultdict(set)
    named: dict[int, str] = {}
    try:
        with ensure_tables(engine).connect() as conn:
            rows = conn.execute(query).all()
            ledger_files = select(r.file_id).where(r.form_key == LEDGER_FORM)
            linked = (
                select(office_files.c.file_id, office_files.c.office_id, office_files.c.name)
                .where(office_files.c.file_id.in_(ledger_files))
                .order_by(office_files.c.at)
            )
            for file_id, office_id, name in conn.execute(linked):
                owners[file_id].add(office_id)
                named.setdefault(file_id, name)
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取台账读入记录：{exc}") from exc
    found = [
        LedgerImport(i, p, at, int(n), int(c or 0), undone, frozenset(owners[i]), named.get(i, Path(p).name))
        for i, p, at, n, c, undone in rows
    ]
    return found if offices is None else [i for i in found if i.offices & set(offices)]


@dataclass(frozen=True)
class Undone:
    file_id: int
    path: str
    rows: int
    restored: int


def undo_import(engine: Engine, file_id: int, offices: Collection[int] | None = None) -> Undone:
    """Undo a ledger import (of one of ``offices``; None: anyone's): its rows count no more, and the rows it
    had replaced count again. An import other offices made too is theirs as well: it is not undone here."""
    known = {i.file_id: i for i in list_imports(engine, offices)}
    found = known.get(file_id)
    if found is not None and offices is not None and not found.offices <= set(offices):
        raise DataError(f"台账读入 {file_id}（{found.path}）也是其他组织读入的，只能由共同的上级组织撤销")
    if found is None:
        listed = "、".join(str(i) for i in known) or "无"
        raise DataError(
            f"没有编号为 {file_id} 的台账读入（已读入的台账编号：{listed}；见 baodao ledger list）"
        )
    if found.undone_at is not None:
        raise DataError(f"台账读入 {file_id}（{found.path}）已于 {found.undone_at:%Y-%m-%d %H:%M} 撤销")
    try:
        with exclusive(engine, SYNC_LOCK) as conn:  # not while a tally derives its facts
            done = withdraw_file(conn, file_id)
            conn.execute(insert(tally_undone).values(file_id=file_id, undone_at=dt.datetime.now()))
    except SQLAlchemyError as exc:
        raise StorageError(f"无法撤销台账读入 {file_id}：{exc}") from exc
    return Undone(file_id, found.path, done.records, done.restored)
