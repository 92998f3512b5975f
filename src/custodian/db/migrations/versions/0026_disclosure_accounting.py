"""disclosure accounting: a legal production withheld until its nondisclosure order is lifted

Revision ID: 0026_disclosure_accounting
Revises: 0025_breach_register
Create Date: 2026-12-05 12:40:00

Issue 17 §3: the customer's accounting of disclosures leaves out what a nondisclosure order still covers. A dated
order is `withheld_until`; an order without end (or an NSL's own gag) holds the production back until the desk
records it lifted, which this flag says. Adding a column fires no UPDATE trigger: the ledger stays append-only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_disclosure_accounting"
down_revision = "0025_breach_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("disclosure_release", sa.Column(
        "withheld_until_lifted", sa.Boolean(), nullable=False, server_default=sa.false(),
        comment="a nondisclosure order without end hides it from the customer until the order is lifted"))


def downgrade() -> None:
    with op.batch_alter_table("disclosure_release") as batch:
        batch.drop_column("withheld_until_lifted")
