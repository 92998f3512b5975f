"""The abuse desk's tables (migration 0028): cases the scan found, contacts with the customer recorded on a ticket,
number blocks, and 10DLC campaigns with their numbers. Figures only: no content, no counterpart."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, UniqueConstraint

from custodian.db.metadata import UtcDateTime, id_type, metadata

abuse_case = Table(
    "abuse_case",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("state", String(8), nullable=False, comment="open or closed"),
    Column("found_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, comment="the last scan that found it above its peers"),
    Column("window_days", Integer, nullable=False),
    Column("peer_kind", String(16), nullable=False),
    Column("peer_band", String(24), nullable=False),
    Column("peers", Integer, nullable=False),
    Column("figures", Text, nullable=False, comment="JSON: per metric the account's level, threshold, median"),
    Column("closed_at", UtcDateTime),
    Column("closed_by", String(120)),
    Index("ix_abuse_case_state", "state", "account_id"),
)

abuse_contact = Table(
    "abuse_contact",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("ticket_id", id_type(), ForeignKey("ticket.id"), nullable=False),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("method", String(16), nullable=False, comment="phone, email or letter"),
    Column("outcome", String(16), nullable=False, comment="reached, no_answer, message_left or sent"),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_abuse_contact_ticket", "ticket_id"),
)

number_block = Table(
    "number_block",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("number_bidx", LargeBinary(16), nullable=False, comment="blind index of the blocked number"),
    Column("number_enc", LargeBinary, nullable=False, comment="the number, sealed with the account's key"),
    Column("ticket_id", id_type(), ForeignKey("ticket.id"), nullable=False),
    Column("reason", Text, nullable=False, comment="the analyst's words"),
    Column("blocked_by", String(120), nullable=False),
    Column("blocked_at", UtcDateTime, nullable=False),
    Column("lifted_at", UtcDateTime),
    Column("lifted_by", String(120)),
    Column("lift_reason", Text),
    Index("ix_number_block_number", "number_bidx", "lifted_at"),
)

sms_campaign = Table(
    "sms_campaign",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("entity_type", String(24), nullable=False),
    Column("ein_enc", LargeBinary, nullable=False, comment="the EIN, sealed with the account's key"),
    Column("use_case", String(200), nullable=False),
    Column("numbers", Integer, nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("registered_by", String(120), nullable=False),
    Column("release_id", id_type(), comment="the disclosure_release that sent it to the campaign registry"),
)

sms_campaign_number = Table(
    "sms_campaign_number",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("campaign_id", id_type(), ForeignKey("sms_campaign.id"), nullable=False),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("number_bidx", LargeBinary(16), nullable=False),
    UniqueConstraint("number_bidx", name="uq_sms_campaign_number_number_bidx"),
)
