"""Tables of the legal desk. Requester and target details live only inside `document_enc`, sealed
with the desk's own data key (legal/desk_key.py); the columns hold what the queue and the reports
count, never personal data."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from custodian.db.metadata import UtcDateTime, id_type, metadata


def _request_id() -> Column[int]:
    return Column("request_id", id_type(), ForeignKey("legal_request.id"), nullable=False)


legal_request = Table(
    "legal_request",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("tracking_number", String(24), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False, comment="SHA-256 of the requester's status secret"),
    Column("kind", String(16), nullable=False),
    Column("requester_type", String(24), nullable=False),
    Column("instrument_type", String(32), nullable=False),
    Column("state", String(24), nullable=False),
    Column("expedite", Boolean, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("inquiry_on", Date, nullable=False),
    Column("nondisclosure_until", Date, comment="a 2705(b) order forbids notice before this day"),
    Column("nondisclosure", Boolean, nullable=False),
    Column("nondisclosure_lifted_on", Date, comment="the day the nondisclosure order was lifted or overturned"),
    Column("channel", String(16), nullable=False, comment="portal, api or staff"),
    Column("document_enc", LargeBinary, nullable=False, comment="the request document, sealed"),
    Column("problems", Text, nullable=False, comment="JSON list of validation problems"),
    Column("instrument_blob_key", String(32), comment="signed instrument PDF in the blob store, sealed"),
    Column("policy_hash", String(64), nullable=False),
    Column("package_blob_key", String(32), comment="the AES zip of the production, sealed again at rest"),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_legal_request_state", "state"),
)

legal_approval = Table(
    "legal_approval",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("record_class", String(40), nullable=False),
    Column("approved_by", String(120), nullable=False),
    Column("rationale", Text, nullable=False),
    Column("approved_at", UtcDateTime, nullable=False),
    UniqueConstraint("request_id", "record_class"),
)

legal_match = Table(
    "legal_match",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("window_start", UtcDateTime, nullable=False),
    Column("window_end", UtcDateTime, nullable=False),
    Column("line_bidx", LargeBinary(16), comment="blind index of the target number; NULL = the whole account"),
    Index("ix_legal_match_request_id", "request_id"),
)

legal_verification = Table(
    "legal_verification",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("method", String(24), nullable=False, comment="email_domain or callback"),
    Column("passed", Boolean, nullable=False),
    Column("verified_by", String(120), nullable=False),
    Column("called_at", UtcDateTime),
    Column("detail_enc", LargeBinary, comment="who answered, which published number (sealed)"),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_legal_verification_request_id", "request_id"),
)

legal_production = Table(
    "legal_production",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("record_classes", Text, nullable=False, comment="JSON list of classes disclosed"),
    Column("files", Integer, nullable=False),
    Column("package_sha256", String(64), nullable=False),
    Column("produced_by", String(120), nullable=False),
    Column("produced_at", UtcDateTime, nullable=False),
    Index("ix_legal_production_account_id", "account_id"),
)

legal_invoice = Table(
    "legal_invoice",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("number", String(24), nullable=False, unique=True),
    Column("lines", Text, nullable=False, comment="JSON quote lines"),
    Column("total_cents", Integer, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("paid_cents", Integer, nullable=False),
)

legal_payment = Table(
    "legal_payment",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("invoice_id", id_type(), ForeignKey("legal_invoice.id"), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("method", String(16), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(120), nullable=False),
)

legal_notice = Table(
    "legal_notice",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    # pending, sent, withheld or failed, updated in place (the column comment predates "pending")
    Column("outcome", String(16), nullable=False, comment="sent, withheld or failed"),
    Column("reason", String(200), nullable=False),
    Column("logged_at", UtcDateTime, nullable=False),
    Column("occasion", String(16), nullable=False, server_default="delivered",
           comment="accepted, delivered (emergency) or order_ended"),
    Column("held_by_order", Boolean, nullable=False, server_default=false(),
           comment="withheld while a nondisclosure order binds"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("sent_at", UtcDateTime, comment="when the mail server accepted the notice"),
    UniqueConstraint("request_id", "account_id", "outcome", name="uq_legal_notice_once"),
    Index("uq_legal_notice_account", "request_id", "account_id", unique=True),
)

legal_preservation = Table(
    "legal_preservation",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _request_id(),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("hold_id", id_type(), nullable=False, comment="the legal hold keeping the live records"),
    Column("snapshot_blob_key", String(32), comment="sealed one-time snapshot; NULL once deleted"),
    Column("snapshot_sha256", String(64), nullable=False),
    Column("snapshot_files", Integer, nullable=False),
    Column("window_start", UtcDateTime, nullable=False),
    Column("window_end", UtcDateTime, nullable=False),
    Column("preserved_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("extensions", Integer, nullable=False),
    Column("linked_request_id", id_type(), ForeignKey("legal_request.id"), comment="the later data request"),
    Column("deleted_at", UtcDateTime),
    Column("receipt", Text, comment="JSON receipt of the deletion"),
    Index("ix_legal_preservation_request_id", "request_id"),
)

legal_intake_rejection = Table(
    "legal_intake_rejection",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("rejected_at", UtcDateTime, nullable=False),
    Column("rejected_on", Date, nullable=False, comment="the day, for the transparency report's periods"),
    Column("channel", String(16), nullable=False, comment="portal or api; nothing of the submission is kept"),
    Index("ix_legal_intake_rejection_rejected_on", "rejected_on"),
)
