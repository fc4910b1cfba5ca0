"""Each roster row belongs to the office that loaded it; rows loaded before offices belong to the default
office (“本级”, id 1), as migration 0004w gave it the forms issued and the files read before.

A ledger import is a stored file, and which office handed a file in is kept by the store (office_files,
0004w); the tally reads it there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "t0003"
down_revision = "t0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tally_roster_rows") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer, nullable=True))
    op.execute("UPDATE tally_roster_rows SET office_id = 1")
    with op.batch_alter_table("tally_roster_rows") as batch:
        batch.alter_column("office_id", existing_type=sa.Integer, nullable=False)
        batch.create_index("ix_tally_roster_rows_office", ["office_id", "person_id"])


def downgrade() -> None:
    with op.batch_alter_table("tally_roster_rows") as batch:
        batch.drop_index("ix_tally_roster_rows_office")
        batch.drop_column("office_id")
