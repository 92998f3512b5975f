"""Subscriber record tables. Columns ending `_enc` hold AES-GCM ciphertext; `_bidx` a blind index.

High-volume tables (call/fax/SMS logs, content) carry `account_id` and the event time in their
primary key and are range-partitioned by month on PostgreSQL (see db/partitions.py).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from custodian.db.metadata import UtcDateTime, account_scoped_id, id_type, metadata, partitioned_by_month


def _own_line() -> Column[bytes]:
    """The record's line: blind index of the account's own number (particularity; records/own_lines.py)."""
    return Column("own_number_bidx", LargeBinary(16), comment=LINE_COMMENT)


LINE_COMMENT = "blind index of the account's own number (its line); NULL = unknown"


def _account_fk() -> Column[int]:
    return Column("account_id", id_type(), ForeignKey("account.id"), nullable=False)


account = Table(
    "account",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("ref", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("profile", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("company_enc", LargeBinary),
    Column("signup_on", Date),
    Column("closed_on", Date),
    Column("controller", String(200), comment="business client that controls the data; NULL = provider"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("child_reported_at", UtcDateTime,
           comment="a parent reported the data as a child's (seed 002 P88): the retention engine purges the account"),
    CheckConstraint("kind IN ('residential', 'business')", name="kind"),
    CheckConstraint("profile IN ('standard', 'hipaa')", name="profile"),
    CheckConstraint("status IN ('active', 'suspended', 'closed')", name="status"),
    CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_on_iff_closed"),
)

person = Table(
    "person",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _account_fk(),
    Column("role", String(24), nullable=False),
    Column("first_name_enc", LargeBinary),
    Column("last_name_enc", LargeBinary),
    Column("email_enc", LargeBinary),
    Column("email_bidx", LargeBinary(16), index=True),
    Column("phone_enc", LargeBinary),
    Column("phone_bidx", LargeBinary(16), index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_person_account_id", "account_id"),
)

postal_address = Table(
    "postal_address",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _account_fk(),
    Column("purpose", String(16), nullable=False),
    Column("street_enc", LargeBinary),
    Column("city_enc", LargeBinary),
    Column("state_enc", LargeBinary),
    Column("postal_code_enc", LargeBinary),
    Column("country", String(2)),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_postal_address_account_id", "account_id"),
)

account_credential = Table(
    "account_credential",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _account_fk(),
    Column("credential", String(20), nullable=False, comment="cpni_password or secret_question"),
    Column("secret_hash", String(200), nullable=False, comment="argon2id of the password or the normalised answer"),
    Column("question_enc", LargeBinary, comment="the secret question, sealed with the account's key"),
    Column("set_at", UtcDateTime, nullable=False),
    Column("set_by", String(120), nullable=False, comment="the staff member who recorded it"),
    UniqueConstraint("account_id", "credential"),
)

address_of_record = Table(
    "address_of_record",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _account_fk(),
    Column("medium", String(8), nullable=False, comment="email or postal"),
    Column("address_enc", LargeBinary, nullable=False, comment="the address, sealed with the account's key"),
    Column("became_at", UtcDateTime, nullable=False, comment="when it became the address of record"),
    Column("recorded_by", String(120), nullable=False, comment="import, or the staff member who changed it"),
    CheckConstraint("medium IN ('email', 'postal')", name="medium"),
    Index("ix_address_of_record_account_id", "account_id", "medium", "became_at"),
)

e911_address = Table(
    "e911_address",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _account_fk(),
    Column("number_bidx", LargeBinary(16), nullable=False, index=True),
    Column("street_enc", LargeBinary, nullable=False),
    Column("city_enc", LargeBinary, nullable=False),
    Column("state_enc", LargeBinary, nullable=False),
    Column("postal_code_enc", LargeBinary, nullable=False),
    Column("country", String(2), nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "number_bidx", "registered_at"),
    Index("ix_e911_address_account_id", "account_id"),
)

number_assignment = Table(
    "number_assignment",
    metadata,
    account_scoped_id("number_assignment"),
    Column("number_bidx", LargeBinary(16), nullable=False),
    Column("number_enc", LargeBinary, nullable=False),
    _account_fk(),
    Column("extension", String(16)),
    Column("assigned_from", UtcDateTime, nullable=False),
    Column("assigned_to", UtcDateTime, comment="NULL while still assigned"),
    Column("carrier", String(80)),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("account_id", "id"),
    # one holder at a time is checked by the importer (ingest/writers/numbers.py): Citus cannot enforce it
    UniqueConstraint("account_id", "number_bidx", "assigned_from"),
    Index("ix_number_assignment_account_id", "account_id"),
)

call_log = Table(
    "call_log",
    metadata,
    _account_fk(),
    Column("started_at", UtcDateTime, nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("source_format", String(12), nullable=False),
    Column("answered_at", UtcDateTime),
    Column("ended_at", UtcDateTime),
    Column("duration_s", Integer, nullable=False),
    Column("billsec_s", Integer, nullable=False),
    Column("disposition", String(32), nullable=False),
    Column("payload_enc", LargeBinary, nullable=False, comment="numbers, caller-id name, channels"),
    _own_line(),
    PrimaryKeyConstraint("account_id", "started_at", "record_key"),
    **partitioned_by_month("started_at"),
)

fax_log = Table(
    "fax_log",
    metadata,
    _account_fk(),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("pages", Integer),
    Column("status", String(24), nullable=False),
    Column("payload_enc", LargeBinary, nullable=False, comment="own and counterpart numbers"),
    _own_line(),
    PrimaryKeyConstraint("account_id", "occurred_at", "record_key"),
    **partitioned_by_month("occurred_at"),
)

sms_log = Table(
    "sms_log",
    metadata,
    _account_fk(),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("segments", Integer, nullable=False),
    Column("payload_enc", LargeBinary, nullable=False, comment="from and to numbers"),
    _own_line(),
    PrimaryKeyConstraint("account_id", "sent_at", "record_key"),
    **partitioned_by_month("sent_at"),
)

content_item = Table(
    "content_item",
    metadata,
    _account_fk(),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("media_type", String(80)),
    Column("blob_key", String(32), comment="encrypted payload in the blob store"),
    Column("size_bytes", Integer),
    Column("inline_enc", LargeBinary, comment="small text content (SMS bodies) kept in the row"),
    Column("payload_enc", LargeBinary, comment="counterpart number"),
    _own_line(),
    PrimaryKeyConstraint("account_id", "occurred_at", "record_key"),
    **partitioned_by_month("occurred_at"),
)

comment_log = Table(
    "comment_log",
    metadata,
    account_scoped_id("comment_log"),
    _account_fk(),
    Column("written_at", UtcDateTime, nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("author", String(120), nullable=False),
    Column("text_enc", LargeBinary, nullable=False),
    PrimaryKeyConstraint("account_id", "id"),
    UniqueConstraint("account_id", "record_key"),
)

payment_instrument = Table(
    "payment_instrument",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    _account_fk(),
    Column("brand", String(24), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("processor_token_enc", LargeBinary),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "brand", "last4"),
    UniqueConstraint("account_id", "id"),  # the target of billing_transaction's (account_id, instrument_id)
    CheckConstraint("length(last4) = 4", name="last4_only"),
)

billing_transaction = Table(
    "billing_transaction",
    metadata,
    account_scoped_id("billing_transaction"),
    _account_fk(),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("record_key", LargeBinary(16), nullable=False),
    Column("reference", String(80), comment="NULL once a closure purge de-identified the transaction"),
    Column("amount_cents", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("method", String(24), nullable=False),
    Column("state", String(24), nullable=False),
    Column("instrument_id", id_type()),
    PrimaryKeyConstraint("account_id", "id"),
    UniqueConstraint("account_id", "record_key"),
    ForeignKeyConstraint(["account_id", "instrument_id"], ["payment_instrument.account_id", "payment_instrument.id"],
                         name="fk_billing_transaction_instrument_payment_instrument"),
)

PARTITIONED_TABLES = {
    "call_log": "started_at",
    "fax_log": "occurred_at",
    "sms_log": "sent_at",
    "content_item": "occurred_at",
}

# Citus readiness (docs/operations.md "Beyond one server"): the high-volume subscriber tables, distributed by
# `account_id`. Each key and unique constraint must contain it, and every query on them names one account
# (tests/db/test_citus_ready.py). The other subscriber tables are small per account and may follow later.
DISTRIBUTED_BY_ACCOUNT = ("call_log", "fax_log", "sms_log", "content_item", "comment_log", "billing_transaction",
                          "number_assignment")
