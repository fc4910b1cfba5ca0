"""统计 views remembered for a restarted server: once per user and view, newest first, forgotten after 30
days and for a disabled account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select

from baodao.store.accounts import add_user, set_active, user_named
from baodao.store.offices import DEFAULT_OFFICE
from baodao.store.schema import tally_views
from baodao.store.tally_views import recent_views, remember_view

PASSWORD = "correct-horse-9"
NOW = dt.datetime(2026, 11, 30, 9, 0)
Asked = dict[str, str | int | None]
STREET: Asked = {"policy": "zhengzhou-2019", "year": 2025, "half": 1, "as_of": "2025-06-30", "office": None}
YEAR: Asked = {"policy": "rongcheng-2019", "year": 2025, "half": None, "as_of": None, "office": 3}


def _id(engine: Engine, username: str) -> int:
    user = user_named(engine, username)
    assert user is not None
    return user.id


def test_a_view_asked_again_is_one_view_asked_later(engine: Engine) -> None:
    add_user(engine, "wang", PASSWORD, "clerk", DEFAULT_OFFICE)
    wang = _id(engine, "wang")
    remember_view(engine, wang, STREET, NOW)
    remember_view(engine, wang, YEAR, NOW + dt.timedelta(minutes=1))
    remember_view(engine, wang, dict(reversed(STREET.items())), NOW + dt.timedelta(minutes=2))  # same view
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(tally_views)) == 2
    found = recent_views(engine, 10, NOW + dt.timedelta(minutes=3))
    assert [(v.user_id, v.choice, v.asked_at) for v in found] == [
        (wang, STREET, NOW + dt.timedelta(minutes=2)),
        (wang, YEAR, NOW + dt.timedelta(minutes=1)),
    ]
    assert [v.choice for v in recent_views(engine, 1, NOW + dt.timedelta(minutes=3))] == [STREET]


def test_views_of_a_disabled_account_or_older_than_30_days_are_not_made_again(engine: Engine) -> None:
    add_user(engine, "wang", PASSWORD, "clerk", DEFAULT_OFFICE)
    add_user(engine, "li", PASSWORD, "clerk", DEFAULT_OFFICE)
    remember_view(engine, _id(engine, "wang"), STREET, NOW - dt.timedelta(days=31))
    remember_view(engine, _id(engine, "li"), YEAR, NOW - dt.timedelta(days=29))
    assert [v.choice for v in recent_views(engine, 10, NOW)] == [YEAR]
    set_active(engine, "li", False)
    assert recent_views(engine, 10, NOW) == []
    remember_view(engine, _id(engine, "wang"), YEAR, NOW)  # and the old one is forgotten for good
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(tally_views)) == 2
