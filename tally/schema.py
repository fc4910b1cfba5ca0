"""The tally's own tables, declared once; tally's migrations create them and only tally writes them."""

from __future__ import annotations

import weakref
from pathlib import Path

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from baodao.store.db import migrate

metadata = MetaData()
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SYNC_LOCK = 0x62616F64  # “baod”: the advisory lock (PostgreSQL) held while the tally's tables are written
VERSION_TABLE = "baodao_tally_version"  # apart from the store's alembic_version: each layer migrates its own

# What the tally counts, derived from current records (and the roster) by tally.sync: one row per person or
# unit, per registration, per activity, per rating. Aggregates run over these, in SQL.
tally_people = Table(
    "tally_people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("person_key", String(400), nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit", String(200), nullable=False),
    Column("community", String(200), nullable=False, default=""),
    Column("member_no", String(120), nullable=True),
    Column("on_roster", Integer, nullable=False, default=0),
    Column("moved_on", Date, nullable=True),
    UniqueConstraint("kind", "person_key", name="uq_tally_people_key"),
    CheckConstraint("kind IN ('member', 'unit')", name="ck_tally_people_kind"),
    Index("ix_tally_people_unit", "kind", "unit"),
    Index("ix_tally_people_no", "member_no"),
    # Every column a tally lists members by, in its order: members are read from the index alone, sorted.
    Index(
        "ix_tally_people_listing",
        "kind",
        "unit",
        "name",
        "id",
        "community",
        "member_no",
        "on_roster",
        "moved_on",
    ),
)

tally_registrations = Table(
    "tally_registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("tally_people.id", name="fk_tally_reg_person"), nullable=False),
    Column("community", String(200), nullable=False),
    Column("on_date", Date, nullable=True),
    Column("form_key", String(40), nullable=False),  # whose deadline applies
    Column("record_id", Integer, nullable=False),
    Index("ix_tally_registrations_person", "person_id"),
    Index("ix_tally_registrations_record", "record_id"),
)

tally_activities = Table(
    "tally_activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("tally_people.id", name="fk_tally_act_person"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("category", String(20), nullable=False),
    Column("points", Integer, nullable=True),
    Column("content", Text, nullable=False, default=""),
    Column("record_id", Integer, nullable=False),
    Column("row_no", Integer, nullable=False),
    # Covering the member aggregate (period range, then person, kind and points) spares a row lookup each.
    Index("ix_tally_activities_on", "on_date", "person_id", "category", "points"),
    Index("ix_tally_activities_person", "person_id", "on_date"),
    Index("ix_tally_activities_record", "record_id"),
)

tally_ratings = Table(
    "tally_ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "person_id", Integer, ForeignKey("tally_people.id", name="fk_tally_rating_person"), nullable=False
    ),
    Column("grade", String(20), nullable=False),
    Column("on_date", Date, nullable=True),
    Column("record_id", Integer, nullable=False),
    Index("ix_tally_ratings_record", "record_id"),
)

# What a member pledged on the forms that record it (004 认领岗位, 003 服务意向, 002 附件5 服务项目): how many
# posts or projects, how many intentions; NULL where the form does not ask.
tally_pledges = Table(
    "tally_pledges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "person_id", Integer, ForeignKey("tally_people.id", name="fk_tally_pledge_person"), nullable=False
    ),
    Column("posts", Integer, nullable=True),
    Column("intentions", Integer, nullable=True),
    Column("record_id", Integer, nullable=False),
    Index("ix_tally_pledges_person", "person_id"),
    Index("ix_tally_pledges_record", "record_id"),
)

# Which roster row each member was read from: the issuance register names the data file and row each
# issued form was made from, so a returned form with an id is joined to its person through them.
tally_roster_rows = Table(
    "tally_roster_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "person_id", Integer, ForeignKey("tally_people.id", name="fk_tally_roster_person"), nullable=False
    ),
    Column("file_name", String(500), nullable=False),  # the roster's name, as the register may hold it
    Column("path", Text, nullable=False),  # the roster's full path when it was loaded
    Column("row_no", Integer, nullable=False),
    Column("office_id", Integer, nullable=False),  # the office that loaded the roster (store's offices.id)
    UniqueConstraint("path", "row_no", name="uq_tally_roster_rows"),
    Index("ix_tally_roster_rows_name", "file_name", "row_no"),
    Index("ix_tally_roster_rows_office", "office_id", "person_id"),
)

# Each member's activities summed per half year of one year, under one points band (“5±3”; “raw” for a
# policy that keeps points as written): filled by the first tally that needs them, forgotten per person when
# their facts change, so a tally reads one row per member instead of summing every activity again.
tally_member_sums = Table(
    "tally_member_sums",
    metadata,
    Column("person_id", Integer, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("band", String(20), primary_key=True),
    *(Column(f"{name}{half}", Integer, nullable=False) for name in "npals" for half in (1, 2)),
)

# Ledger imports undone (`baodao ledger undo`): their rows count no more; importing the file again redoes.
tally_undone = Table(
    "tally_undone",
    metadata,
    Column("file_id", Integer, primary_key=True),
    Column("undone_at", DateTime, nullable=False),
)

# What the records looked like when facts were last derived: when it is unchanged, nothing is to do.
tally_state = Table(
    "tally_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(100), nullable=False),
)

# Which records the facts above were derived from, and at which revision (its number of corrections).
tally_derived = Table(
    "tally_derived",
    metadata,
    Column("record_id", Integer, primary_key=True),
    Column("revision", Integer, nullable=False),
)


_ready: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_tables(engine: Engine) -> Engine:
    """Bring the tally's tables up to date on ``engine`` (once per engine); returns it."""
    if engine not in _ready:
        migrate(engine, MIGRATIONS, VERSION_TABLE)
        _ready.add(engine)
    return engine
