"""customers' CPNI password and secret question; wrong attempts per ticket

Revision ID: 0007_account_credentials
Revises: 0006_audit_action_index
Create Date: 2026-11-22 10:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_account_credentials"
down_revision = "0006_audit_action_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_credential",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("credential", sa.String(length=20), nullable=False, comment="cpni_password or secret_question"),
        sa.Column("secret_hash", sa.String(length=200), nullable=False,
                  comment="argon2id of the password or the normalised answer"),
        sa.Column("question_enc", sa.LargeBinary(), nullable=True,
                  comment="the secret question, sealed with the account's key"),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=120), nullable=False, comment="the staff member who recorded it"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_account_credential_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_credential")),
        sa.UniqueConstraint("account_id", "credential", name=op.f("uq_account_credential_account_id_credential")),
    )
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.add_column(sa.Column("cpni_failures", sa.Integer(), server_default="0", nullable=False,
                                      comment="wrong CPNI passwords or answers on this ticket"))


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch_op:
        batch_op.drop_column("cpni_failures")
    op.drop_table("account_credential")
