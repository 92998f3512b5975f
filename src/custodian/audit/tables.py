"""Audit storage: events partitioned by month on PostgreSQL, and a one-row head that serialises appends."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from custodian.db.metadata import UtcDateTime, id_type, metadata, partitioned_by_month

audit_event = Table(
    "audit_event",
    metadata,
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(80), nullable=False),
    Column("account_id", id_type(), comment="no foreign key: events outlive purged accounts"),
    Column("record_classes", String(400), nullable=False),
    Column("reason", Text, nullable=False),
    Column("detail", Text, nullable=False, comment="canonical JSON; never personal data"),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    PrimaryKeyConstraint("occurred_at", "seq"),
    Index("ix_audit_event_seq", "seq"),
    Index("ix_audit_event_action", "action", "seq"),
    Index("ix_audit_event_account_id", "account_id", "occurred_at"),
    **partitioned_by_month("occurred_at"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
