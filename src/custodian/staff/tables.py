"""Staff identities, their console sessions, policy acknowledgements, credential issues, and the
sign-in token buckets."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    false,
)

from custodian.db.metadata import UtcDateTime, id_type, metadata

staff_member = Table(
    "staff_member",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("role", String(64), nullable=False, comment="a policy role, or privacy_officer"),
    Column("password_hash", String(200), nullable=False, comment="argon2id"),
    Column("password_must_change", Boolean, nullable=False),
    Column("totp_secret_enc", LargeBinary, nullable=False, comment="AES-GCM under a key derived from the master key"),
    Column("totp_enrolled", Boolean, nullable=False),
    Column("totp_last_step", Integer, nullable=False, comment="last accepted time step: no code is used twice"),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", UtcDateTime),
    Column("disabled_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("credentials_pending", Boolean, nullable=False, server_default=false(),
           comment="one-time credentials await a second privacy officer's approval"),
    Column("time_zone", String(64), comment="IANA zone the console shows times in; NULL = provider default"),
)

staff_session = Table(
    "staff_session",
    metadata,
    Column("token_hash", String(64), primary_key=True, comment="SHA-256 of the cookie value"),
    Column("staff_id", id_type(), ForeignKey("staff_member.id"), nullable=False),
    Column("stage", String(16), nullable=False, comment="password (second factor pending) or full"),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Index("ix_staff_session_staff_id", "staff_id"),
)

policy_acknowledgement = Table(
    "policy_acknowledgement",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("staff_id", id_type(), ForeignKey("staff_member.id"), nullable=False),
    Column("version_hash", String(64), nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=False),
    UniqueConstraint("staff_id", "version_hash"),
)

staff_credential_issue = Table(
    "staff_credential_issue",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("staff_id", id_type(), ForeignKey("staff_member.id"), nullable=False),
    Column("action", String(16), nullable=False, comment="add or reset"),
    Column("channel", String(16), nullable=False, comment="console or shell"),
    Column("issued_by", String(120), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False, comment="pending, approved, superseded, or not_required (shell)"),
    Column("decided_by", String(120)),
    Column("decided_at", UtcDateTime),
    Index("ix_staff_credential_issue_staff_id", "staff_id"),
)

rate_bucket = Table(
    "rate_bucket",
    metadata,
    Column("bucket_key", String(64), primary_key=True,
           comment="HMAC of scope and client address or username: neither is stored in clear"),
    Column("tokens", Float, nullable=False, comment="attempts left; refills continuously"),
    Column("stamp", Float, nullable=False, comment="seconds since the epoch of the last refill"),
    Index("ix_rate_bucket_stamp", "stamp"),
)
