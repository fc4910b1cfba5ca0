"""统计 views the workbench was asked for: a restarted server makes the recent ones again before anyone asks.

A tally of a street's 100,000 members takes a second or more; kept in the server's memory, it is lost when
the server restarts. Which views were asked for (by whom, for which rule, period and office) is kept here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tally_views",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", name="fk_tally_views_user", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("choice", sa.String(300), nullable=False),
        sa.Column("asked_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "choice", name="uq_tally_views_choice"),
    )
    op.create_index("ix_tally_views_asked", "tally_views", ["asked_at"])


def downgrade() -> None:
    op.drop_index("ix_tally_views_asked", table_name="tally_views")
    op.drop_table("tally_views")
