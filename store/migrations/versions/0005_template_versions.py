"""Template versions: an office's edited copy of a form's template, its layout, and which one is in use;
each issued form names the version it was made from (none: the bundled template)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004w"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("form_key", sa.String(40), nullable=False),
        sa.Column(
            "office_id",
            sa.Integer,
            sa.ForeignKey("offices.id", name="fk_template_versions_office"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("layout", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("activated_at", sa.DateTime, nullable=True),
        sa.Column("activated_by", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.UniqueConstraint("office_id", "form_key", "version", name="uq_template_versions_number"),
        sa.UniqueConstraint("office_id", "form_key", "sha256", name="uq_template_versions_content"),
    )
    op.create_index(
        "uq_template_versions_active",
        "template_versions",
        ["office_id", "form_key"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    with op.batch_alter_table("issued_forms") as batch:
        batch.add_column(sa.Column("template_version_id", sa.Integer, nullable=True))
        batch.create_foreign_key(
            "fk_issued_forms_template_version", "template_versions", ["template_version_id"], ["id"]
        )
        batch.create_index("ix_issued_forms_template_version", ["template_version_id"])


def downgrade() -> None:
    with op.batch_alter_table("issued_forms") as batch:
        batch.drop_index("ix_issued_forms_template_version")
        batch.drop_constraint("fk_issued_forms_template_version", type_="foreignkey")
        batch.drop_column("template_version_id")
    op.drop_index("uq_template_versions_active", table_name="template_versions")
    op.drop_table("template_versions")
