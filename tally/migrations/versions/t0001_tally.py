"""Tally facts: people and units, registrations, activities and ratings derived from current records.

Databases made before the tally kept its own migrations already have these tables (from the store's 0003):
then nothing is created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "t0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("tally_people"):
        return
    op.create_table(
        "tally_people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("person_key", sa.String(400), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("community", sa.String(200), nullable=False),
        sa.Column("member_no", sa.String(120), nullable=True),
        sa.Column("on_roster", sa.Integer, nullable=False),
        sa.Column("moved_on", sa.Date, nullable=True),
        sa.UniqueConstraint("kind", "person_key", name="uq_tally_people_key"),
        sa.CheckConstraint("kind IN ('member', 'unit')", name="ck_tally_people_kind"),
    )
    op.create_index("ix_tally_people_unit", "tally_people", ["kind", "unit"])
    op.create_index("ix_tally_people_no", "tally_people", ["member_no"])
    op.create_table(
        "tally_registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("tally_people.id", name="fk_tally_reg_person"),
            nullable=False,
        ),
        sa.Column("community", sa.String(200), nullable=False),
        sa.Column("on_date", sa.Date, nullable=True),
        sa.Column("form_key", sa.String(40), nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_tally_registrations_person", "tally_registrations", ["person_id"])
    op.create_index("ix_tally_registrations_record", "tally_registrations", ["record_id"])
    op.create_table(
        "tally_activities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("tally_people.id", name="fk_tally_act_person"),
            nullable=False,
        ),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("points", sa.Integer, nullable=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_tally_activities_on", "tally_activities", ["on_date", "person_id", "category", "points"]
    )
    op.create_index("ix_tally_activities_person", "tally_activities", ["person_id", "on_date"])
    op.create_index("ix_tally_activities_record", "tally_activities", ["record_id"])
    op.create_table(
        "tally_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("tally_people.id", name="fk_tally_rating_person"),
            nullable=False,
        ),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("on_date", sa.Date, nullable=True),
        sa.Column("record_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_tally_ratings_record", "tally_ratings", ["record_id"])
    op.create_table(
        "tally_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(100), nullable=False),
    )
    op.create_table(
        "tally_derived",
        sa.Column("record_id", sa.Integer, primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tally_derived")
    op.drop_table("tally_state")
    op.drop_index("ix_tally_ratings_record", "tally_ratings")
    op.drop_table("tally_ratings")
    op.drop_index("ix_tally_activities_record", "tally_activities")
    op.drop_index("ix_tally_activities_person", "tally_activities")
    op.drop_index("ix_tally_activities_on", "tally_activities")
    op.drop_table("tally_activities")
    op.drop_index("ix_tally_registrations_record", "tally_registrations")
    op.drop_index("ix_tally_registrations_person", "tally_registrations")
    op.drop_table("tally_registrations")
    op.drop_index("ix_tally_people_no", "tally_people")
    op.drop_index("ix_tally_people_unit", "tally_people")
    op.drop_table("tally_people")
