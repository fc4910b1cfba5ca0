"""The issuance register: every form baodao issued, to whom, and by when it is due back."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_forms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("form_key", sa.String(40), nullable=False),
        sa.Column("form_id", sa.String(120), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("issuing_org", sa.String(200), nullable=False),
        sa.Column("issue_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("returned_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("form_key", "form_id", name="uq_issued_forms_key_id"),
    )
    op.create_index("ix_issued_forms_due", "issued_forms", ["form_key", "due_date"])


def downgrade() -> None:
    op.drop_index("ix_issued_forms_due", "issued_forms")
    op.drop_table("issued_forms")
