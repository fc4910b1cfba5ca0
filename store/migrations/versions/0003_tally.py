"""Kept so that databases made when the tally's tables were migrated here stay on one line.

The tally's tables now come from the tally's own migrations (tally/migrations), tracked apart from these.
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
