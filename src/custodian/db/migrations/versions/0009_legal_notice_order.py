"""customer notice when a request is accepted for review: one notice row per request and account, its occasion,
whether a nondisclosure order holds it, delivery attempts and the time the mail server accepted it; the day a
nondisclosure order was lifted or overturned

Revision ID: 0009_legal_notice_order
Revises: 0008_record_lines
Create Date: 2026-12-05 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_legal_notice_order"
down_revision = "0008_record_lines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("legal_request", sa.Column("nondisclosure_lifted_on", sa.Date(), nullable=True,
                                             comment="the day the nondisclosure order was lifted or overturned"))
    op.add_column("legal_notice", sa.Column("occasion", sa.String(length=16), nullable=False,
                                            server_default="delivered",
                                            comment="accepted, delivered (emergency) or order_ended"))
    op.add_column("legal_notice", sa.Column("held_by_order", sa.Boolean(), nullable=False, server_default=sa.false(),
                                            comment="withheld while a nondisclosure order binds"))
    op.add_column("legal_notice", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("legal_notice", sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True,
                                            comment="when the mail server accepted the notice"))
    # Before: one row per outcome (a withheld row, then a sent row). Now one row per request and account,
    # its outcome updated in place; keep the latest outcome of each pair.
    op.execute("DELETE FROM legal_notice WHERE id NOT IN "
               "(SELECT latest FROM (SELECT MAX(id) AS latest FROM legal_notice GROUP BY request_id, account_id) k)")
    op.execute("UPDATE legal_notice SET sent_at = logged_at WHERE outcome = 'sent'")
    op.execute("UPDATE legal_notice SET held_by_order = true "
               "WHERE outcome = 'withheld' AND reason LIKE 'nondisclosure order%'")
    op.create_index("uq_legal_notice_account", "legal_notice", ["request_id", "account_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_legal_notice_account", table_name="legal_notice")
    with op.batch_alter_table("legal_notice") as batch:
        for name in ("sent_at", "attempts", "held_by_order", "occasion"):
            batch.drop_column(name)
    with op.batch_alter_table("legal_request") as batch:
        batch.drop_column("nondisclosure_lifted_on")
