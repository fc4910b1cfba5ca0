"""Intake: the files given to intake, the records read from them, and the corrections made by hand."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("first_path", sa.Text, nullable=False),
        sa.Column("first_seen_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("file_mtime", sa.DateTime, nullable=True),
        sa.UniqueConstraint("sha256", name="uq_files_sha256"),
        sa.CheckConstraint("status IN ('read', 'rejected')", name="ck_files_status"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id", name="fk_records_file"), nullable=False),
        sa.Column("form_key", sa.String(40), nullable=False),
        sa.Column("form_id", sa.String(120), nullable=True),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("issues", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column(
            "superseded_by",
            sa.Integer,
            sa.ForeignKey("records.id", name="fk_records_superseded_by"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("status IN ('current', 'superseded')", name="ck_records_status"),
    )
    op.create_index("ix_records_form", "records", ["form_key", "form_id"])
    op.create_index("ix_records_file", "records", ["file_id"])
    op.create_index(
        "uq_records_current",
        "records",
        ["form_key", "form_id"],
        unique=True,
        sqlite_where=sa.text("status = 'current'"),
        postgresql_where=sa.text("status = 'current'"),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "record_id", sa.Integer, sa.ForeignKey("records.id", name="fk_corrections_record"), nullable=False
        ),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("old_value", sa.JSON, nullable=True),
        sa.Column("new_value", sa.JSON, nullable=True),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_corrections_record", "corrections", ["record_id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_record", "corrections")
    op.drop_table("corrections")
    op.drop_index("uq_records_current", "records")
    op.drop_index("ix_records_file", "records")
    op.drop_index("ix_records_form", "records")
    op.drop_table("records")
    op.drop_table("files")
