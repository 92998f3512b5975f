"""abuse desk: cases above their peers, contacts recorded on tickets, number blocks, 10DLC campaigns

Revision ID: 0028_abuse_desk
Revises: 0027_recipient_contracts
Create Date: 2026-12-05 12:40:00

Issue 17 §6: the analyst's queue (figures only), the contact with the customer before any action (002 P104, P105),
blocks of numbers from sending (reversible), and the campaigns business accounts register with their EIN (002 P111).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_abuse_desk"
down_revision = "0027_recipient_contracts"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f(f"fk_{table}_account_id_account"))


def _ticket_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f(f"fk_{table}_ticket_id_ticket"))


def upgrade() -> None:
    op.create_table(
        "abuse_case",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False, comment="open or closed"),
        sa.Column("found_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False, comment="the last scan that found it above its peers"),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("peer_kind", sa.String(length=16), nullable=False),
        sa.Column("peer_band", sa.String(length=24), nullable=False),
        sa.Column("peers", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False,
                  comment="JSON: per metric the account's level, threshold, median"),
        sa.Column("closed_at", _AT),
        sa.Column("closed_by", sa.String(length=120)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abuse_case")),
        _account_fk("abuse_case"),
    )
    op.create_index("ix_abuse_case_state", "abuse_case", ["state", "account_id"])
    op.create_table(
        "abuse_contact",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False, comment="phone, email or letter"),
        sa.Column("outcome", sa.String(length=16), nullable=False,
                  comment="reached, no_answer, message_left or sent"),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abuse_contact")),
        _ticket_fk("abuse_contact"),
        _account_fk("abuse_contact"),
    )
    op.create_index("ix_abuse_contact_ticket", "abuse_contact", ["ticket_id"])
    op.create_table(
        "number_block",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("number_bidx", sa.LargeBinary(length=16), nullable=False,
                  comment="blind index of the blocked number"),
        sa.Column("number_enc", sa.LargeBinary(), nullable=False, comment="the number, sealed with the account's key"),
        sa.Column("ticket_id", _ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, comment="the analyst's words"),
        sa.Column("blocked_by", sa.String(length=120), nullable=False),
        sa.Column("blocked_at", _AT, nullable=False),
        sa.Column("lifted_at", _AT),
        sa.Column("lifted_by", sa.String(length=120)),
        sa.Column("lift_reason", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_block")),
        _account_fk("number_block"),
        _ticket_fk("number_block"),
    )
    op.create_index("ix_number_block_number", "number_block", ["number_bidx", "lifted_at"])
    op.create_table(
        "sms_campaign",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("entity_type", sa.String(length=24), nullable=False),
        sa.Column("ein_enc", sa.LargeBinary(), nullable=False, comment="the EIN, sealed with the account's key"),
        sa.Column("use_case", sa.String(length=200), nullable=False),
        sa.Column("numbers", sa.Integer(), nullable=False),
        sa.Column("registered_at", _AT, nullable=False),
        sa.Column("registered_by", sa.String(length=120), nullable=False),
        sa.Column("release_id", _ID,
                  comment="the disclosure_release that sent it to the campaign registry"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_campaign")),
        _account_fk("sms_campaign"),
    )
    op.create_table(
        "sms_campaign_number",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("campaign_id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("number_bidx", sa.LargeBinary(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_campaign_number")),
        sa.ForeignKeyConstraint(["campaign_id"], ["sms_campaign.id"],
                                name=op.f("fk_sms_campaign_number_campaign_id_sms_campaign")),
        _account_fk("sms_campaign_number"),
        sa.UniqueConstraint("number_bidx", name="uq_sms_campaign_number_number_bidx"),
    )


def downgrade() -> None:
    op.drop_table("sms_campaign_number")
    op.drop_table("sms_campaign")
    op.drop_index("ix_number_block_number", table_name="number_block")
    op.drop_table("number_block")
    op.drop_index("ix_abuse_contact_ticket", table_name="abuse_contact")
    op.drop_table("abuse_contact")
    op.drop_index("ix_abuse_case_state", table_name="abuse_case")
    op.drop_table("abuse_case")
