"""The register as the 登记簿 page reads it: filtered and counted in SQL, a page at a time, and each entry's
history (issued, returned with which file, corrected, withdrawn, reissued) from the register, the
records read, their corrections and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, and_, case, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from baodao.errors import StorageError, UnknownFormError
from baodao.form_templates.catalog import get_form
from baodao.store.register import RegisterRow, _register_row
from baodao.store.schema import audit, corrections, files, issued_forms, office_files, records

State = Literal["issued", "overdue", "returned", "withdrawn"]
STATES: dict[State, str] = {
    "issued": "待交回",
    "overdue": "逾期未交回",
    "returned": "已交回",
    "withdrawn": "已作废",
}
MAX_PAGE = 200


@dataclass(frozen=True)
class RegisterFilter:
    """What the clerk narrowed the register to; every part optional."""

    offices: frozenset[int]  # the offices the visitor sees (always applied)
    office: int | None = None  # one of them
    form_key: str | None = None
    state: State | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    search: str = ""  # part of a name or of a 编号


def _state(today: dt.date) -> ColumnElement[str]:
    c = issued_forms.c
    return case(
        (c.status == "withdrawn", "withdrawn"),
        (c.status == "returned", "returned"),
        (and_(c.due_date.is_not(None), c.due_date < today), "overdue"),
        else_="issued",
    )


def _where(f: RegisterFilter, today: dt.date, with_state: bool = True) -> list[ColumnElement[bool]]:
    c = issued_forms.c
    office_ids = {f.office} & f.offices if f.office is not None else set(f.offices)
    where: list[ColumnElement[bool]] = [c.office_id.in_(office_ids or {-1})]
    if f.form_key:
        where.append(c.form_key == f.form_key)
    if f.issued_from is not None:
        where.append(c.issue_date >= f.issued_from)
    if f.issued_to is not None:
        where.append(c.issue_date <= f.issued_to)
    text = f.search.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(or_(c.recipient.like(pattern, escape="\\"), c.form_id.like(pattern, escape="\\")))
    if with_state and f.state is not None:
        where.append(_state(today) == f.state)
    return where


def register_page(
    engine: Engine, f: RegisterFilter, today: dt.date, page: int = 1, size: int = 50
) -> tuple[list[RegisterRow], int]:
    """One page of the entries ``f`` selects, newest first, and how many it selects in all."""
    size = max(1, min(size, MAX_PAGE))
    where = _where(f, today)
    query = (
        select(issued_forms)
        .where(*where)
        .order_by(issued_forms.c.id.desc())
        .limit(size)
        .offset((max(1, page) - 1) * size)
    )
    try:
        with engine.connect() as conn:
            total = int(conn.scalar(select(func.count()).select_from(issued_forms).where(*where)) or 0)
            rows = [_register_row(r._mapping) for r in conn.execute(query)]
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取发放登记：{exc}") from exc
    return rows, total


def register_counts(engine: Engine, f: RegisterFilter, today: dt.date) -> dict[str, int]:
    """How many of the entries ``f`` selects (whatever state it asks for) are in each state."""
    state = _state(today)
    query = select(state, func.count()).where(*_where(f, today, with_state=False)).group_by(state)
    try:
        with engine.connect() as conn:
            found = {str(s): int(n) for s, n in conn.execute(query)}
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取发放登记：{exc}") from exc
    return {s: found.get(s, 0) for s in STATES}


def register_forms(engine: Engine, offices: frozenset[int]) -> list[str]:
    """The forms these offices have issued, for the filter's choices."""
    query = (
        select(issued_forms.c.form_key)
        .where(issued_forms.c.office_id.in_(offices or {-1}))
        .group_by(issued_forms.c.form_key)
        .order_by(issued_forms.c.form_key)
    )
    with engine.connect() as conn:
        return [str(k) for (k,) in conn.execute(query)]


@dataclass(frozen=True)
class Event:
    """One step of an entry's life, oldest first."""

    at: dt.datetime | None
    what: str  # 发放, 交回, 更正, 作废, 补发
    detail: str
    who: str = ""
    record_id: int | None = None
    day_only: bool = False  # the issue date: a day, with no time of its own


def entry_history(engine: Engine, row: RegisterRow, offices: frozenset[int]) -> list[Event]:
    """What happened to the entry: issued, each return (with the file's name as the office gave it),
    the corrections made to what was read, its withdrawal and reissue, oldest first."""
    e = row.entry
    events = [
        Event(
            dt.datetime.combine(e.issue_date, dt.time()),
            "发放",
            f"发给 {e.recipient or '—'}"
            + (f"，应于 {e.due_date} 前交回" if e.due_date else "")
            + (f"；补发，替代 {row.replaces}" if row.replaces else ""),
            e.issuing_org,
            day_only=True,
        )
    ]
    with engine.connect() as conn:
        read = conn.execute(
            select(
                records.c.id, records.c.created_at, records.c.status, records.c.file_id, files.c.first_path
            )
            .join(files, files.c.id == records.c.file_id)
            .where(records.c.form_key == e.form_key, records.c.form_id == e.form_id)
            .order_by(records.c.id)
        ).all()
        names = {
            file_id: name
            for file_id, name in conn.execute(
                select(office_files.c.file_id, office_files.c.name).where(
                    office_files.c.file_id.in_([r.file_id for r in read] or [-1]),
                    office_files.c.office_id.in_(offices or {-1}),
                )
            )
        }
        for r in read:
            name = names.get(r.file_id, "（其他组织交来的文件）")
            later = "；已被后来交回的一份取代" if r.status == "superseded" else ""
            events.append(Event(r.created_at, "交回", f"读入文件 {name}{later}", record_id=r.id))
        fixed = conn.execute(
            select(corrections)
            .where(corrections.c.record_id.in_([r.id for r in read] or [-1]))
            .order_by(corrections.c.at)
        ).all()
        labels = _labels(e.form_key)
        for c in fixed:
            change = f"{labels.get(c.field, c.field)}：{_shown(c.old_value)} → {_shown(c.new_value)}"
            events.append(Event(c.at, "更正", change, c.who, c.record_id))
        target = f"{e.form_key} {e.form_id}"
        logged = conn.execute(
            select(audit.c.at, audit.c.username, audit.c.action)
            .where(audit.c.target == target, audit.c.action.in_(("作废", "补发")))
            .order_by(audit.c.id)
        ).all()
        replaced_by = conn.execute(
            select(issued_forms.c.form_id, issued_forms.c.created_at).where(
                issued_forms.c.form_key == e.form_key, issued_forms.c.replaces == e.form_id
            )
        ).first()
    withdrawn_logged = False
    for at, who, action in logged:
        if action == "作废":
            withdrawn_logged = True
            events.append(Event(at, "作废", "作废（登记保留）", who))
        else:
            events.append(Event(at, "补发", "提交补发", who))
    if row.withdrawn_at is not None and not withdrawn_logged:
        events.append(Event(row.withdrawn_at, "作废", "作废（登记保留）"))
    if replaced_by is not None:
        events.append(Event(replaced_by.created_at, "补发", f"已补发，新编号 {replaced_by.form_id}"))
    return sorted(events, key=lambda ev: ev.at or dt.datetime.min)


def _labels(form_key: str) -> dict[str, str]:
    try:
        return {f.name: f.label for f in get_form(form_key).spec.fields}
    except UnknownFormError:
        return {}


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
