"""recipient contracts and business transfers: contract reviews, business-transfer notices

Revision ID: 0027_recipient_contracts
Revises: 0026_disclosure_accounting
Create Date: 2026-12-05 12:30:00

Issue 17 §4: each review of a recipient's contract the officer records. §5: one row per customer told of a
business transfer to a successor, so a re-run tells nobody twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_recipient_contracts"
down_revision = "0026_disclosure_accounting"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "business_transfer_notice",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("successor", sa.String(length=200), nullable=False,
                  comment="the successor the customer's information passes to"),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False, comment="sent, failed (retried) or no_address"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name=op.f("fk_business_transfer_notice_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_transfer_notice")),
        sa.UniqueConstraint("successor", "account_id", name="uq_business_transfer_notice_successor_account"),
    )
    op.create_table(
        "recipient_contract_review",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False, comment="the policy's recipient name"),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("next_review_on", sa.Date(),
                  comment="when the contract is next to be reviewed (else 12 months on)"),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, comment="what was reviewed, in words without personal data"),
        sa.Column("recorded_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_contract_review")),
    )
    op.create_index("ix_recipient_contract_review_recipient", "recipient_contract_review",
                    ["recipient", "reviewed_on"])


def downgrade() -> None:
    op.drop_index("ix_recipient_contract_review_recipient", table_name="recipient_contract_review")
    op.drop_table("recipient_contract_review")
    op.drop_table("business_transfer_notice")
