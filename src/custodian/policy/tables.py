"""Policy versions: every activation kept, so earlier notices stay viewable."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

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

# Issue 16 §5: one row per customer told of a policy version's material changes; a re-run skips those sent.
policy_change_notice = Table(
    "policy_change_notice",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("version_hash", String(64), nullable=False, comment="the version whose changes were told"),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("state", String(12), nullable=False, comment="sent, failed (retried) or no_address"),
    Column("attempts", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("version_hash", "account_id", name="uq_policy_change_notice_version_account"),
)
