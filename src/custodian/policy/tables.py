"""Policy versions: every activation kept, so earlier notices stay viewable."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table, Text

from custodian.db.metadata import UtcDateTime, id_type, metadata

policy_version = Table(
    "policy_version",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("version_hash", String(64), nullable=False, comment="SHA-256 of source_text"),
    Column("provider_name", String(200), nullable=False),
    Column("source_text", Text, nullable=False),
    Column("effective_at", UtcDateTime, nullable=False),
    Column("activated_at", UtcDateTime, nullable=False),
    Column("activated_by", String(120), nullable=False),
    Index("ix_policy_version_effective_at", "effective_at"),
    Index("ix_policy_version_version_hash", "version_hash"),
)
