"""统计 views the workbench was asked for, kept so that a restarted server makes the recent ones again."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from baodao.errors import StorageError
from baodao.store.schema import tally_views, users

Choice = Mapping[str, str | int | None]  # rule, year, half, day, office: what makes one tally differ
KEPT_DAYS = 30  # a view not asked for in this long is forgotten


@dataclass(frozen=True)
class AskedView:
    user_id: int
    choice: dict[str, str | int | None]
    asked_at: dt.datetime


def remember_view(engine: Engine, user_id: int, choice: Choice, now: dt.datetime | None = None) -> None:
    """Note that ``user_id`` asked for the 统计 view of ``choice`` (now), and forget views not asked for
    in `KEPT_DAYS`."""
    now = now or dt.datetime.now()
    text = json.dumps(dict(choice), ensure_ascii=False, sort_keys=True)
    v = tally_views.c
    try:
        with engine.begin() as conn:
            conn.execute(delete(tally_views).where(v.asked_at < now - dt.timedelta(days=KEPT_DAYS)))
            changed = conn.execute(
                update(tally_views).where(v.user_id == user_id, v.choice == text).values(asked_at=now)
            )
            if not changed.rowcount:
                conn.execute(insert(tally_views).values(user_id=user_id, choice=text, asked_at=now))
    except IntegrityError:
        return  # the same user asked for the same view at the same moment in another request: noted there
    except SQLAlchemyError as exc:
        raise StorageError(f"无法记下统计视图：{exc}") from exc


def recent_views(engine: Engine, limit: int, now: dt.datetime | None = None) -> list[AskedView]:
    """The views active users asked for in the last `KEPT_DAYS`, most recent first, at most ``limit``."""
    now = now or dt.datetime.now()
    v, u = tally_views.c, users.c
    query = (
        select(v.user_id, v.choice, v.asked_at)
        .join(users, u.id == v.user_id)
        .where(u.active.is_(True), v.asked_at >= now - dt.timedelta(days=KEPT_DAYS))
        .order_by(v.asked_at.desc(), v.id.desc())
        .limit(limit)
    )
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError as exc:
        raise StorageError(f"无法读取统计视图：{exc}") from exc
    return [AskedView(user_id, json.loads(choice), asked_at) for user_id, choice, asked_at in rows]
