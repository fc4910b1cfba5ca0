"""The tables, declared once with SQLAlchemy Core; migrations create them, code reads them from here."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
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
    Column("office_id", Integer, ForeignKey("offices.id", name="fk_issued_forms_office"), nullable=True),
    Column("withdrawn_at", DateTime, nullable=True),
    Column("replaces", String(120), nullable=True),  # the form id a reissued form takes the place of
    # The office's template version the form was made from (migration 0005); None: the bundled template.
    Column(
        "template_version_id",
        Integer,
        ForeignKey("template_versions.id", name="fk_issued_forms_template_version"),
        nullable=True,
    ),
    # A receipt carries its slip's 编号, so an id is unique within its form only.
    UniqueConstraint("form_key", "form_id", name="uq_issued_forms_key_id"),
    Index("ix_issued_forms_due", "form_key", "due_date"),
    Index("ix_issued_forms_office", "office_id"),
    Index("ix_issued_forms_template_version", "template_version_id"),  # intake's layouts by version
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

# The workbench (migration 0004w): offices in a tree, their users, sessions, the audit log and jobs.
offices = Table(
    "offices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parent_id", Integer, ForeignKey("offices.id", name="fk_offices_parent"), nullable=True),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("parent_id", "name", name="uq_offices_parent_name"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("office_id", Integer, ForeignKey("offices.id", name="fk_users_office"), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # A one-time password (new account, or reset by an administrator): replaced before anything else.
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("username", name="uq_users_username"),
    CheckConstraint("role IN ('admin', 'clerk', 'reader')", name="ck_users_role"),
)

# A signed-in browser: the cookie carries a random token, the table only its SHA-256.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", name="fk_sessions_user"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

# 统计 views asked for (a rule, period and office, as JSON), so that a restarted server makes them again.
tally_views = Table(
    "tally_views",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "user_id",
        Integer,
        ForeignKey("users.id", name="fk_tally_views_user", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("choice", String(300), nullable=False),
    Column("asked_at", DateTime, nullable=False),
    UniqueConstraint("user_id", "choice", name="uq_tally_views_choice"),
    Index("ix_tally_views_asked", "asked_at"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("ok", Boolean, nullable=False),
    Index("ix_login_attempts_user", "username", "at"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(64), nullable=False),
    Column("office_id", Integer, ForeignKey("offices.id", name="fk_audit_office"), nullable=True),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False),
    Column("detail", JSON, nullable=False),
    Index("ix_audit_office", "office_id", "id"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id", name="fk_jobs_office"), nullable=False),
    Column("username", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("params", JSON, nullable=False),
    Column("state", String(20), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("messages", JSON, nullable=False),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("worker", String(80), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime, nullable=True),
    Column("finished_at", DateTime, nullable=True),
    CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_jobs_state"),
    Index("ix_jobs_state", "state", "id"),
    Index("ix_jobs_office", "office_id", "id"),
)

# A job's parts: a big batch is split (100 files, 500 records) so that several workers share it. A chunk's
# params are laid over its job's; the job's done/total are the sums of its chunks'.
job_chunks = Table(
    "job_chunks",
    metadata,
    Column(
        "job_id",
        Integer,
        ForeignKey("jobs.id", name="fk_job_chunks_job", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("chunk", Integer, primary_key=True),
    Column("params", JSON, nullable=False),
    Column("state", String(20), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("messages", JSON, nullable=False),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("worker", String(80), nullable=True),
    Column("started_at", DateTime, nullable=True),
    Column("finished_at", DateTime, nullable=True),
    CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_job_chunks_state"),
    Index("ix_job_chunks_state", "state", "job_id"),
)

# A file (known by content) belongs to every office that handed it in, under the name it was given.
office_files = Table(
    "office_files",
    metadata,
    Column("office_id", Integer, ForeignKey("offices.id", name="fk_office_files_office"), primary_key=True),
    Column("file_id", Integer, ForeignKey("files.id", name="fk_office_files_file"), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_office_files_file", "file_id"),
)

# An office's own copy of a form's template (migration 0005): the file as used (repaired when the check
# mended it), what the check found, the layout LibreOffice gave it at activation, and whether it is in use.
template_versions = Table(
    "template_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_key", String(40), nullable=False),
    Column(
        "office_id", Integer, ForeignKey("offices.id", name="fk_template_versions_office"), nullable=False
    ),
    Column("version", Integer, nullable=False),  # 1, 2, … for each office and form
    Column("sha256", String(64), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("findings", JSON, nullable=False),
    Column("layout", JSON, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("activated_at", DateTime, nullable=True),
    Column("activated_by", String(64), nullable=True),
    Column("active", Boolean, nullable=False),
    UniqueConstraint("office_id", "form_key", "version", name="uq_template_versions_number"),
    UniqueConstraint("office_id", "form_key", "sha256", name="uq_template_versions_content"),
    # At most one version in use per office and form.
    Index(
        "uq_template_versions_active",
        "office_id",
        "form_key",
        unique=True,
        sqlite_where=text("active"),
        postgresql_where=text("active"),
    ),
)
