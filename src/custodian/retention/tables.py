"""Retention tables: legal holds, deletion floors and tombstones the importers consult, run state."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from custodian.db.metadata import UtcDateTime, id_type, metadata

legal_hold = Table(
    "legal_hold",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("classes", Text, nullable=False, default="", comment="comma-separated record classes; empty = all"),
    Column("window_start", UtcDateTime, comment="records that occurred at or after this time"),
    Column("window_end", UtcDateTime, comment="records that occurred before this time"),
    Column("until_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("source", String(120), nullable=False, comment='"cli", "legal:preservation:<id>", ...'),
    Column("placed_by", String(120), nullable=False),
    Column("placed_at", UtcDateTime, nullable=False),
    Column("released_at", UtcDateTime),
    Column("released_by", String(120)),
    Index("ix_legal_hold_account_id", "account_id"),
    Index("ix_legal_hold_source", "source"),
)

retention_floor = Table(
    "retention_floor",
    metadata,
    Column("account_id", id_type(), nullable=False),
    Column("record_class", String(40), nullable=False),
    Column("deleted_through", UtcDateTime, nullable=False,
           comment="retention deleted this class's records up to and including this occurrence time"),
    PrimaryKeyConstraint("account_id", "record_class"),
)

retention_tombstone = Table(
    "retention_tombstone",
    metadata,
    Column("account_id", id_type(), nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("record_class", String(40), nullable=False),
    Column("deleted_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "record_key"),
)

account_retention_choice = Table(
    "account_retention_choice",
    metadata,
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("record_class", String(40), nullable=False),
    Column("keep_hours", Integer, nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "record_class"),
    CheckConstraint("keep_hours > 0", name="keep_hours_positive"),
)

retention_run = Table(
    "retention_run",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("now_at", UtcDateTime, nullable=False, comment="the `now` the plan is computed for"),
    Column("policy_hash", String(64), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("audit_seq", Integer, comment="the receipt's sequence number in the audit chain"),
    CheckConstraint("status IN ('running', 'finished')", name="status"),
)

retention_tally = Table(
    "retention_tally",
    metadata,
    Column("run_id", id_type(), ForeignKey("retention_run.id"), nullable=False),
    Column("account_id", id_type(), nullable=False),
    Column("record_class", String(40), nullable=False),
    Column("deleted", Integer, nullable=False),
    PrimaryKeyConstraint("run_id", "account_id", "record_class"),
)

blob_deletion = Table(
    "blob_deletion",
    metadata,
    Column("blob_key", String(32), primary_key=True),
    Column("queued_at", UtcDateTime, nullable=False),
    comment="blobs whose rows are deleted; files unlinked after commit (a crash leaves them queued, not orphaned)",
)

account_purge = Table(
    "account_purge",
    metadata,
    Column("account_id", id_type(), ForeignKey("account.id"), primary_key=True),
    Column("shredded_at", UtcDateTime),
    Column("purged_at", UtcDateTime),
    Column("run_id", id_type(), comment="the retention run that purged the account"),
    Column("deidentified", Text, comment="JSON {record class: rows kept de-identified}"),
    Column("ref_bidx", LargeBinary, index=True, comment="blind index of the account reference the purge replaced"),
)
