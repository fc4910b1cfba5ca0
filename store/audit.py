"""The audit log: who issued, read, corrected or withdrew what, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import audit


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    username: str
    office_id: int | None
    action: str
    target: str
    detail: dict[str, object]


def log(
    engine: Engine,
    username: str,
    office_id: int | None,
    action: str,
    target: str = "",
    detail: dict[str, object] | None = None,
) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(audit).values(
                    at=dt.datetime.now(),
                    username=username[:64],
                    office_id=office_id,
                    action=action,
                    target=target[:200],
                    detail=detail or {},
                )
            )
    except SQLAlchemyError as exc:
        raise StorageError(f"无法写入操作日志：{exc}") from exc


def entries(engine: Engine, office_ids: set[int], limit: int = 200) -> list[AuditEntry]:
    query = select(audit).where(audit.c.office_id.in_(office_ids)).order_by(audit.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [
            AuditEntry(r.at, r.username, r.office_id, r.action, r.target, dict(r.detail))
            for r in conn.execute(query)
        ]
