"""Online accounts of customers, their sessions, one-time codes and remembered devices.

Nothing here is stored in clear that would open an account: sessions, codes and device tokens are
kept as hashes, passwords as argon2id, a new e-mail address awaiting its code sealed with the
account's key.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, false

from custodian.db.metadata import UtcDateTime, id_type, metadata

portal_account = Table(
    "portal_account",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False, comment="argon2id of the online password"),
    Column("failed_attempts", Integer, nullable=False, comment="wrong passwords or codes since the last success"),
    Column("locked_until", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_set_at", UtcDateTime, nullable=False),
    Column("totp_secret_enc", LargeBinary,
           comment="authenticator secret, sealed under a key derived from the master key"),
    Column("totp_enrolled", Boolean, nullable=False, server_default=false(),
           comment="the customer confirmed the authenticator: its codes replace the e-mailed one"),
    Column("totp_last_step", Integer, nullable=False, server_default="0",
           comment="last accepted time step: no code is used twice"),
)

portal_session = Table(
    "portal_session",
    metadata,
    Column("token_hash", String(64), primary_key=True, comment="SHA-256 of the cookie value"),
    Column("portal_account_id", id_type(), ForeignKey("portal_account.id"), nullable=False),
    Column("stage", String(16), nullable=False, comment="password (e-mailed code pending) or full"),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Index("ix_portal_session_portal_account_id", "portal_account_id"),
)

portal_code = Table(
    "portal_code",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("flow_hash", String(64), nullable=False, unique=True,
           comment="SHA-256 of the browser's flow cookie: a code is good only in the browser that asked"),
    Column("purpose", String(16), nullable=False, comment="enrol, sign_in or new_email"),
    Column("account_id", id_type(), ForeignKey("account.id"),
           comment="NULL when the enrolment named no matching account (the answer is the same)"),
    Column("code_hash", String(64), nullable=False, comment="HMAC-SHA256 of the code under a derived key"),
    Column("target_enc", LargeBinary, comment="a new e-mail address awaiting confirmation, sealed"),
    Column("tries", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Index("ix_portal_code_expires_at", "expires_at"),
)

portal_device = Table(
    "portal_device",
    metadata,
    Column("token_hash", String(64), primary_key=True, comment="SHA-256 of the remembered-device cookie"),
    Column("portal_account_id", id_type(), ForeignKey("portal_account.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_portal_device_portal_account_id", "portal_account_id"),
)
