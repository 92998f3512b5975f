"""sms keyword numbers: the sealed numbers of non-customers who texted STOP, for the suppression list

Revision ID: 0021_sms_keyword_numbers
Revises: 0020_consent_ledger
Create Date: 2026-12-05 12:30:00

Issue 16 §3: numbers that opted out by SMS keyword without a known account are suppressed too; the ledger
records them under an anonymous subject, and this table keeps the number itself sealed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_sms_keyword_numbers"
down_revision = "0020_consent_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_keyword_number",
        sa.Column("subject", sa.String(length=64), nullable=False,
                  comment="the ledger's anonymous subject of the number"),
        sa.Column("number_enc", sa.LargeBinary(), nullable=False,
                  comment="the E.164 number, sealed (consent/sms_inbound.py)"),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_sms_keyword_number")),
    )


def downgrade() -> None:
    op.drop_table("sms_keyword_number")
