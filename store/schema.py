"""The tables, declared once with SQLAlchemy Core; migrations create them, code reads them from here."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, MetaData, String, Table, UniqueConstraint

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
