"""Offices, accounts, sessions, the audit log and jobs; every register entry and file belongs to an office.

Existing data goes to a default office (id 1, “本级”), which the first administrator is made at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

import sqlalchemy as sa
from alembic import op

revision = "0004w"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    offices = op.create_table(
        "offices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column(
            "parent_id", sa.Integer, sa.ForeignKey("offices.id", name="fk_offices_parent"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("parent_id", "name", name="uq_offices_parent_name"),
    )
    op.bulk_insert(
        offices,
        [{"id": 1, "name": "本级", "kind": "组织部", "parent_id": None, "created_at": dt.datetime.now()}],
    )
    if op.get_bind().dialect.name == "postgresql":  # the row was given its id: move the sequence past it
        op.execute("SELECT setval(pg_get_serial_sequence('offices', 'id'), 1)")
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column(
            "office_id", sa.Integer, sa.ForeignKey("offices.id", name="fk_users_office"), nullable=False
        ),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.CheckConstraint("role IN ('admin', 'clerk', 'reader')", name="ck_users_role"),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", name="fk_sessions_user"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_login_attempts_user", "login_attempts", ["username", "at"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column(
            "office_id", sa.Integer, sa.ForeignKey("offices.id", name="fk_audit_office"), nullable=True
        ),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_office", "audit", ["office_id", "id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "office_id", sa.Integer, sa.ForeignKey("offices.id", name="fk_jobs_office"), nullable=False
        ),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("messages", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(80), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_jobs_state"),
    )
    op.create_index("ix_jobs_state", "jobs", ["state", "id"])
    op.create_index("ix_jobs_office", "jobs", ["office_id", "id"])
    # A file (known by content) belongs to every office that handed it in.
    op.create_table(
        "office_files",
        sa.Column(
            "office_id",
            sa.Integer,
            sa.ForeignKey("offices.id", name="fk_office_files_office"),
            primary_key=True,
        ),
        sa.Column(
            "file_id", sa.Integer, sa.ForeignKey("files.id", name="fk_office_files_file"), primary_key=True
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_office_files_file", "office_files", ["file_id"])
    with op.batch_alter_table("issued_forms") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("replaces", sa.String(120), nullable=True))
        batch.create_foreign_key("fk_issued_forms_office", "offices", ["office_id"], ["id"])
        batch.create_index("ix_issued_forms_office", ["office_id"])
    op.execute("UPDATE issued_forms SET office_id = 1")
    bind = op.get_bind()
    stored = bind.execute(sa.text("SELECT id, first_path, first_seen_at FROM files")).all()
    if stored:
        linked = sa.table(
            "office_files", sa.column("office_id"), sa.column("file_id"), sa.column("name"), sa.column("at")
        )
        rows = [
            {"office_id": 1, "file_id": i, "name": PurePath(p).name[:255], "at": at} for i, p, at in stored
        ]
        op.bulk_insert(linked, rows)


def downgrade() -> None:
    with op.batch_alter_table("issued_forms") as batch:
        batch.drop_index("ix_issued_forms_office")
        batch.drop_constraint("fk_issued_forms_office", type_="foreignkey")
        batch.drop_column("replaces")
        batch.drop_column("withdrawn_at")
        batch.drop_column("office_id")
    for table in ("office_files", "jobs", "audit", "login_attempts", "sessions", "users", "offices"):
        op.drop_table(table)
