"""Alembic environment: migrations run on the connection baodao hands over (store/db.py)."""

from __future__ import annotations

from alembic import context

from baodao.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    version_table=context.config.attributes.get("version_table", "alembic_version"),
)
with context.begin_transaction():
    context.run_migrations()
