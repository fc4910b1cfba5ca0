"""The tally's own tables: its schema module and its migrations agree, and t0002 goes down and up."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from baodao.tally.schema import MIGRATIONS, VERSION_TABLE, ensure_tables, metadata

NEW = {"tally_pledges", "tally_roster_rows", "tally_undone", "tally_member_sums"}


def _tally_only(name: str | None, kind: str, parent: dict[str, str | None]) -> bool:
    """Compare the tally's tables only: the store's live in the same database."""
    return kind != "table" or name in metadata.tables


def test_schema_module_matches_the_tally_migrations(engine: Engine) -> None:
    ensure_tables(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": _tally_only})
        assert compare_metadata(context, metadata) == []
        assert conn.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}")) == "t0003"


def test_t0002_goes_down_and_up(engine: Engine) -> None:
    ensure_tables(engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["version_table"] = VERSION_TABLE
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "t0001")
    assert not NEW & set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert set(inspect(engine).get_table_names()) >= NEW
