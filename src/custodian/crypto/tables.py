"""Key material at rest: wrapped data keys, never a plaintext key."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table

from custodian.db.metadata import UtcDateTime, id_type, metadata

account_key = Table(
    "account_key",
    metadata,
    Column("account_id", id_type(), ForeignKey("account.id"), primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=True, comment="NULL once crypto-shredded"),
    Column("master_key_id", String(16), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("shredded_at", UtcDateTime, nullable=True),
)

keyring_secret = Table(
    "keyring_secret",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("master_key_id", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
