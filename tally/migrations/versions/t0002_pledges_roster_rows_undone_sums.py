"""Pledges (posts, intentions), the roster row each member came from, undone ledger imports, and each
member's activities summed per half year (a tally reads one row per member).

Facts derived before this revision lack pledges: the derived state is cleared, so the next tally derives
every record again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "t0002"
down_revision = "t0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tally_pledges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("tally_people.id", name="fk_tally_pledge_person"),
            nullable=False,
        ),
        sa.Column("posts", sa.Integer, nullable=True),
        sa.Column("intentions", sa.Integer, nullable=True),
        sa.Column("record_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_tally_pledges_person", "tally_pledges", ["person_id"])
    op.create_index("ix_tally_pledges_record", "tally_pledges", ["record_id"])
    op.create_table(
        "tally_roster_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("tally_people.id", name="fk_tally_roster_person"),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.UniqueConstraint("path", "row_no", name="uq_tally_roster_rows"),
    )
    op.create_index("ix_tally_roster_rows_name", "tally_roster_rows", ["file_name", "row_no"])
    op.create_table(
        "tally_member_sums",
        sa.Column("person_id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("band", sa.String(20), primary_key=True),
        *(sa.Column(f"{name}{half}", sa.Integer, nullable=False) for name in "npals" for half in (1, 2)),
    )
    op.create_table(
        "tally_undone",
        sa.Column("file_id", sa.Integer, primary_key=True),
        sa.Column("undone_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_tally_people_listing",
        "tally_people",
        ["kind", "unit", "name", "id", "community", "member_no", "on_roster", "moved_on"],
    )
    # Derive everything again, now with pledges and people joined by form id.
    for table in ("tally_registrations", "tally_activities", "tally_ratings", "tally_derived", "tally_state"):
        op.execute(sa.text(f"DELETE FROM {table}"))


def downgrade() -> None:
    op.drop_index("ix_tally_people_listing", "tally_people")
    op.drop_table("tally_undone")
    op.drop_table("tally_member_sums")
    op.drop_index("ix_tally_roster_rows_name", "tally_roster_rows")
    op.drop_table("tally_roster_rows")
    op.drop_index("ix_tally_pledges_record", "tally_pledges")
    op.drop_index("ix_tally_pledges_person", "tally_pledges")
    op.drop_table("tally_pledges")
