"""The tables, declared once with SQLAlchemy Core; migrations create them, code reads them from here."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

issued_forms = Table(
    "issued_forms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_key", String(40), nullable=False),
    Column("form_id", String(120), nullable=False),
    Column("recipient", String(200), nullable=False, default=""),
    Column("issuing_org", String(200), nullable=False, default=""),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=True),
    Column("source", String(500), nullable=False, default=""),
    Column("source_row", Integer, nullable=True),
    Column("status", String(20), nullable=False, default="issued"),
    Column("returned_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    # A receipt carries its slip's 编号, so an id is unique within its form only.
    UniqueConstraint("form_key", "form_id", name="uq_issued_forms_key_id"),
    Index("ix_issued_forms_due", "form_key", "due_date"),
)

# Every file intake was given, known by its content: the same bytes under another name are the same file.
files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("first_path", Text, nullable=False),
    Column("first_seen_at", DateTime, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    Column("file_mtime", DateTime, nullable=True),
    UniqueConstraint("sha256", name="uq_files_sha256"),
    CheckConstraint("status IN ('read', 'rejected')", name="ck_files_status"),
)

# One form read from a file. A later return of the same form (key and id) supersedes it; both are kept.
records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_id", Integer, ForeignKey("files.id", name="fk_records_file"), nullable=False),
    Column("form_key", String(40), nullable=False),
    Column("form_id", String(120), nullable=True),
    Column("fields", JSON, nullable=False),
    Column("issues", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column(
        "superseded_by", Integer, ForeignKey("records.id", name="fk_records_superseded_by"), nullable=True
    ),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint("status IN ('current', 'superseded')", name="ck_records_status"),
    Index("ix_records_form", "form_key", "form_id"),
    Index("ix_records_file", "file_id"),
    # At most one current record per form id, even when two intakes run at once.
    Index(
        "uq_records_current",
        "form_key",
        "form_id",
        unique=True,
        sqlite_where=text("status = 'current'"),
        postgresql_where=text("status = 'current'"),
    ),
)

# Every value a person changed by hand, with who and when.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id", name="fk_corrections_record"), nullable=False),
    Column("field", String(100), nullable=False),
    Column("old_value", JSON, nullable=True),
    Column("new_value", JSON, nullable=True),
    Column("who", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_corrections_record", "record_id"),
)
