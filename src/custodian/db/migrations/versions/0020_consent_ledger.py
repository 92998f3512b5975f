"""consent ledger: the append-only consent_entry (triggers refuse UPDATE/DELETE), CPNI notices and campaigns

Revision ID: 0020_consent_ledger
Revises: 0019_dsr_export_jobs
Create Date: 2026-12-05 12:00:00

Issue 16 §1-§2: every choice recorded and never edited; records of CPNI approvals and notices kept at
least one year (47 CFR 64.2007(a)(3)), the supervisor's approval of outbound campaigns one year
(64.2009(d)). Until 0019_dsr_export_jobs is on main this revision follows 0018 (the lead re-chains it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_consent_ledger"
down_revision = "0019_dsr_export_jobs"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)
_MESSAGE = "consent_entry is append-only"


def upgrade() -> None:
    _create_consent_entry()
    op.create_table(
        "cpni_notice",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("medium", sa.String(length=8), nullable=False, comment="email or post"),
        sa.Column("sent_at", _AT, nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_cpni_notice_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpni_notice")),
    )
    with op.batch_alter_table("cpni_notice") as batch_op:
        batch_op.create_index("ix_cpni_notice_account_id", ["account_id", "sent_at"], unique=False)
    op.create_table(
        "cpni_campaign",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("supervisor", sa.String(length=64), nullable=False,
                  comment="the approving supervisor's staff username"),
        sa.Column("approved_at", _AT, nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpni_campaign")),
    )
    _refuse_changes()


def _create_consent_entry() -> None:
    op.create_table(
        "consent_entry",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("receipt_id", sa.String(length=36), nullable=False, comment="uuid4: the consent receipt's id"),
        sa.Column("account_id", _ID, nullable=True, comment="the account; NULL for a web visitor"),
        sa.Column("subject", sa.String(length=64), nullable=True,
                  comment="anonymous web consent id; exactly one of account_id/subject"),
        sa.Column("purpose", sa.String(length=80), nullable=False, comment="the policy purpose's name"),
        sa.Column("medium", sa.String(length=8), nullable=False,
                  comment="contact channel covered: any, email, sms, phone, post"),
        sa.Column("choice", sa.String(length=12), nullable=False, comment="granted, denied or withdrawn"),
        sa.Column("channel", sa.String(length=24), nullable=False, comment="how the choice was collected"),
        sa.Column("policy_version", sa.String(length=64), nullable=False,
                  comment="version hash of the policy in force"),
        sa.Column("text_sha256", sa.String(length=64), nullable=False,
                  comment="SHA-256 of the purpose text the person saw"),
        sa.Column("made_at", _AT, nullable=False, comment="when the person chose"),
        sa.Column("valid_until", _AT, nullable=True, comment="one-time oral approval: ends with the call (64.2008(f))"),
        sa.Column("recorded_at", _AT, nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False,
                  comment="actor, e.g. staff:jdoe, customer, sms-gateway"),
        sa.Column("ticket_id", _ID, nullable=True, comment="the ticket a representative recorded it on"),
        sa.Column("audit_seq", sa.Integer(), nullable=False, comment="seq of the consent.recorded audit event"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_consent_entry_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_entry")),
        sa.UniqueConstraint("receipt_id", name=op.f("uq_consent_entry_receipt_id")),
    )
    with op.batch_alter_table("consent_entry") as batch_op:
        batch_op.create_index("ix_consent_entry_account_id", ["account_id", "purpose"], unique=False)
        batch_op.create_index("ix_consent_entry_subject", ["subject"], unique=False)
        batch_op.create_index("ix_consent_entry_purpose", ["purpose", "medium"], unique=False)


def _refuse_changes() -> None:
    """BEFORE UPDATE / BEFORE DELETE triggers that raise: the ledger is never edited."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION consent_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$")
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER consent_entry_no_{event.lower()} BEFORE {event} ON consent_entry "
                       "FOR EACH ROW EXECUTE FUNCTION consent_entry_refuse_change()")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER consent_entry_no_{event.lower()} BEFORE {event} ON consent_entry "
                   f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")


def downgrade() -> None:
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS consent_entry_no_{event}" +
                   (" ON consent_entry" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS consent_entry_refuse_change()")
    op.drop_table("cpni_campaign")
    op.drop_table("cpni_notice")
    op.drop_table("consent_entry")
