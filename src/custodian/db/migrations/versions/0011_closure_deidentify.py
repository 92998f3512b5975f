"""closure de-identification: kept billing rows lose their reference; the purge records what it kept

Revision ID: 0011_closure_deidentify
Revises: 0010_cpni_address_of_record
Create Date: 2026-12-05 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_closure_deidentify"
down_revision = "0010_cpni_address_of_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_transaction") as batch_op:
        batch_op.alter_column("reference", existing_type=sa.String(length=80), nullable=True,
                              comment="NULL once a closure purge de-identified the transaction")
    with op.batch_alter_table("account_purge") as batch_op:
        batch_op.add_column(sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True,
                                      comment="the retention run that purged the account"))
        batch_op.add_column(sa.Column("deidentified", sa.Text(), nullable=True,
                                      comment='JSON {record class: rows kept de-identified}'))


def downgrade() -> None:
    with op.batch_alter_table("account_purge") as batch_op:
        batch_op.drop_column("deidentified")
        batch_op.drop_column("run_id")
    with op.batch_alter_table("billing_transaction") as batch_op:
        batch_op.alter_column("reference", existing_type=sa.String(length=80), nullable=False, comment=None)
