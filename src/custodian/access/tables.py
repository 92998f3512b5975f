"""Tickets (each a time-limited grant), wrong CPNI answers per customer, and break-glass accesses awaiting the
privacy officer's review."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from custodian.db.metadata import UtcDateTime, id_type, metadata

ticket = Table(
    "ticket",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("staff_id", id_type(), ForeignKey("staff_member.id"), nullable=False),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("summary", String(200), nullable=False, comment="the staff member's words; no personal data"),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("cpni_verified_at", UtcDateTime),
    Column("cpni_failures", Integer, nullable=False, server_default="0",
           comment="wrong CPNI passwords or answers on this ticket"),
    Column("cpni_method", String(32), comment="how the caller was authenticated for call detail and changes"),
    Column("identity_document", String(32), comment="in person: the type of government photo ID checked"),
    Index("ix_ticket_staff_id", "staff_id", "closed_at"),
    Index("ix_ticket_account_id", "account_id"),
)

cpni_failure = Table(
    "cpni_failure",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("ticket_id", id_type(), ForeignKey("ticket.id"), nullable=False),
    Column("failed_at", UtcDateTime, nullable=False),
    Index("ix_cpni_failure_account_id", "account_id", "failed_at"),
)

break_glass = Table(
    "break_glass",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("staff_id", id_type(), ForeignKey("staff_member.id"), nullable=False),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("reviewed", Boolean, nullable=False),
    Column("reviewed_by", String(64)),
    Column("reviewed_at", UtcDateTime),
    Column("outcome", String(16), comment="justified or unjustified"),
    Column("review_note", Text),
    Index("ix_break_glass_reviewed", "reviewed", "opened_at"),
)
