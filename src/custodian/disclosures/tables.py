"""The disclosure ledger (issue 17 §1): one `disclosure_release` per release made through the gate (or a legal
production the desk records here), and one `disclosure` per account it disclosed. Append-only: no code updates or
deletes a row, and database triggers (migration 0023) refuse both. Account ids carry no foreign key: the ledger
outlives a purged account, as the audit trail does."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from custodian.db.metadata import UtcDateTime, id_type, metadata

disclosure_release = Table(
    "disclosure_release",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("recipient", String(80), nullable=False, comment="the policy's recipient name"),
    Column("purpose", String(80), nullable=False),
    Column("classes", Text, nullable=False, comment="JSON list of record classes"),
    Column("form", String(16), nullable=False, comment="aggregate, de_identified or identifiable"),
    Column("accounts_disclosed", Integer, nullable=False),
    Column("excluded_by_choice", Integer, nullable=False, comment="accounts whose consent did not allow it"),
    Column("feed_sha256", String(64), nullable=False),
    Column("feed_format", String(8), nullable=False, comment="csv, jsonl, or json for an aggregate report"),
    Column("actor", String(120), nullable=False),
    Column("made_at", UtcDateTime, nullable=False),
    Column("legal_request_id", id_type(), comment="a legal production the desk recorded here"),
    Column("withheld_until", UtcDateTime, comment="a nondisclosure order hides it from the customer until then"),
    Column("withheld_until_lifted", Boolean, nullable=False, server_default=false(),
           comment="a nondisclosure order without end hides it from the customer until the order is lifted"),
    Column("audit_seq", BigInteger, nullable=False, comment="the disclosure.release audit event"),
    Index("ix_disclosure_release_recipient", "recipient", "made_at"),
)

disclosure = Table(
    "disclosure",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("release_id", id_type(), ForeignKey("disclosure_release.id"), nullable=False),
    Column("account_id", id_type(), nullable=False, comment="no foreign key: the ledger outlives a purged account"),
    Column("made_at", UtcDateTime, nullable=False),
    Index("ix_disclosure_account_id", "account_id", "made_at"),
    Index("ix_disclosure_release_id", "release_id"),
)

# Issue 17 §5: one row per customer told of a business transfer to a successor; a re-run skips those sent.
business_transfer_notice = Table(
    "business_transfer_notice",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("successor", String(200), nullable=False, comment="the successor the customer's information passes to"),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("state", String(12), nullable=False, comment="sent, failed (retried) or no_address"),
    Column("attempts", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("successor", "account_id", name="uq_business_transfer_notice_successor_account"),
)

# Issue 17 §4: each review of a recipient's contract the officer records (the latest one counts).
recipient_contract_review = Table(
    "recipient_contract_review",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("recipient", String(80), nullable=False, comment="the policy's recipient name"),
    Column("reviewed_on", Date, nullable=False),
    Column("next_review_on", Date, comment="when the contract is next to be reviewed (else 12 months on)"),
    Column("reviewed_by", String(120), nullable=False),
    Column("note", Text, nullable=False, comment="what was reviewed, in words without personal data"),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_recipient_contract_review_recipient", "recipient", "reviewed_on"),
)
