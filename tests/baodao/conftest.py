"""Command-line tests that touch the database run on SQLite and on PostgreSQL, through ``--db URL``."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine


@pytest.fixture
def db(engine: Engine) -> str:
    """The ``--db`` value of a migrated database of the test's own (SQLite file, or PostgreSQL)."""
    return engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
