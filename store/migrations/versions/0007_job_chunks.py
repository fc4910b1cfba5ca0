"""Job chunks: a big batch split into parts that any worker runs; a job's progress is the sum of its parts.

Every existing job becomes one chunk (its whole work), in the state the job is in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_chunks",
        sa.Column(
            "job_id",
            sa.Integer,
            sa.ForeignKey("jobs.id", name="fk_job_chunks_job", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("chunk", sa.Integer, primary_key=True),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("messages", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(80), nullable=True),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_job_chunks_state"),
    )
    op.create_index("ix_job_chunks_state", "job_chunks", ["state", "job_id"])
    op.execute(
        "INSERT INTO job_chunks (job_id, chunk, params, state, done, total, messages, result, error,"
        " attempts, worker, started_at, finished_at)"
        " SELECT id, 0, '{}', state, done, total, '[]', NULL, error, attempts, worker, started_at,"
        " finished_at FROM jobs"
    )


def downgrade() -> None:
    op.drop_index("ix_job_chunks_state", table_name="job_chunks")
    op.drop_table("job_chunks")
