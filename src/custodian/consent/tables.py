"""Tables of the consent ledger (issue 16 §1) and of CPNI notices and campaign approvals (§2).

`consent_entry` is append-only: database triggers refuse UPDATE and DELETE (migration 0020), and the
ledger, notices and campaign approvals are never deleted, which keeps the records of approval at least
one year (47 CFR 64.2007(a)(3)) and the supervisor's approvals one year (64.2009(d)). Columns hold no
personal data beyond the account id: the anonymous web consent id is a random identifier.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from custodian.db.metadata import UtcDateTime, id_type, metadata

consent_entry = Table(
    "consent_entry",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("receipt_id", String(36), nullable=False, unique=True, comment="uuid4: the consent receipt's id"),
    Column("account_id", id_type(), ForeignKey("account.id"), comment="the account; NULL for a web visitor"),
    Column("subject", String(64), comment="anonymous web consent id; exactly one of account_id/subject"),
    Column("purpose", String(80), nullable=False, comment="the policy purpose's name"),
    Column("medium", String(8), nullable=False, comment="contact channel covered: any, email, sms, phone, post"),
    Column("choice", String(12), nullable=False, comment="granted, denied or withdrawn"),
    Column("channel", String(24), nullable=False, comment="how the choice was collected"),
    Column("policy_version", String(64), nullable=False, comment="version hash of the policy in force"),
    Column("text_sha256", String(64), nullable=False, comment="SHA-256 of the purpose text the person saw"),
    Column("made_at", UtcDateTime, nullable=False, comment="when the person chose"),
    Column("valid_until", UtcDateTime, comment="one-time oral approval: ends with the call (64.2008(f))"),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(120), nullable=False, comment="actor, e.g. staff:jdoe, customer, sms-gateway"),
    Column("ticket_id", id_type(), comment="the ticket a representative recorded it on"),
    Column("audit_seq", Integer, nullable=False, comment="seq of the consent.recorded audit event"),
    Index("ix_consent_entry_account_id", "account_id", "purpose"),
    Index("ix_consent_entry_subject", "subject"),
    Index("ix_consent_entry_purpose", "purpose", "medium"),
)

cpni_notice = Table(
    "cpni_notice",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("medium", String(8), nullable=False, comment="email or post"),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("policy_version", String(64), nullable=False),
    Column("audit_seq", Integer, nullable=False),
    Index("ix_cpni_notice_account_id", "account_id", "sent_at"),
)

cpni_campaign = Table(
    "cpni_campaign",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),
    Column("purpose", String(80), nullable=False),
    Column("description", Text, nullable=False),
    Column("supervisor", String(64), nullable=False, comment="the approving supervisor's staff username"),
    Column("approved_at", UtcDateTime, nullable=False),
    Column("audit_seq", Integer, nullable=False),
)
