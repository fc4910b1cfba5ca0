"""Alembic environment of the tally's tables, versioned apart from the store's."""

from __future__ import annotations

from alembic import context

from baodao.tally.schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, version_table=VERSION_TABLE
)
with context.begin_transaction():
    context.run_migrations()
