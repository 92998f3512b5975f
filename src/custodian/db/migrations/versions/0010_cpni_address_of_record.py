"""the address of record's history; how a ticket's caller was authenticated; wrong CPNI answers per customer

Revision ID: 0010_cpni_address_of_record
Revises: 0009_legal_notice_order
Create Date: 2026-12-05 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_cpni_address_of_record"
down_revision = "0009_legal_notice_order"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "address_of_record",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("medium", sa.String(length=8), nullable=False, comment="email or postal"),
        sa.Column("address_enc", sa.LargeBinary(), nullable=False,
                  comment="the address, sealed with the account's key"),
        sa.Column("became_at", sa.DateTime(timezone=True), nullable=False,
                  comment="when it became the address of record"),
        sa.Column("recorded_by", sa.String(length=120), nullable=False,
                  comment="import, or the staff member who changed it"),
        sa.CheckConstraint("medium IN ('email', 'postal')", name=op.f("ck_address_of_record_medium")),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name=op.f("fk_address_of_record_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_of_record")),
    )
    op.create_index("ix_address_of_record_account_id", "address_of_record", ["account_id", "medium", "became_at"])
    op.create_table(
        "cpni_failure",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("ticket_id", _ID, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_cpni_failure_account_id_account")),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_cpni_failure_ticket_id_ticket")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpni_failure")),
    )
    op.create_index("ix_cpni_failure_account_id", "cpni_failure", ["account_id", "failed_at"])
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.add_column(sa.Column("cpni_method", sa.String(length=32), nullable=True,
                                      comment="how the caller was authenticated for call detail and changes"))
        batch_op.add_column(sa.Column("identity_document", sa.String(length=32), nullable=True,
                                      comment="in person: the type of government photo ID checked"))


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.drop_column("identity_document")
        batch_op.drop_column("cpni_method")
    op.drop_index("ix_cpni_failure_account_id", table_name="cpni_failure")
    op.drop_table("cpni_failure")
    op.drop_index("ix_address_of_record_account_id", table_name="address_of_record")
    op.drop_table("address_of_record")
