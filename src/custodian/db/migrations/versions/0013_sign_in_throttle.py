"""sign-in throttle: token buckets per client address and username; credential issues awaiting approval

Revision ID: 0013_sign_in_throttle
Revises: 0012_desk_intake
Create Date: 2026-12-05 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_sign_in_throttle"
down_revision = "0012_desk_intake"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rate_bucket",
        sa.Column("bucket_key", sa.String(length=64), nullable=False,
                  comment="HMAC of scope and client address or username: neither is stored in clear"),
        sa.Column("tokens", sa.Float(), nullable=False, comment="attempts left; refills continuously"),
        sa.Column("stamp", sa.Float(), nullable=False, comment="seconds since the epoch of the last refill"),
        sa.PrimaryKeyConstraint("bucket_key", name=op.f("pk_rate_bucket")),
    )
    with op.batch_alter_table("rate_bucket") as batch_op:
        batch_op.create_index("ix_rate_bucket_stamp", ["stamp"], unique=False)
    op.create_table(
        "staff_credential_issue",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("staff_id", _ID, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False, comment="add or reset"),
        sa.Column("channel", sa.String(length=16), nullable=False, comment="console or shell"),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False,
                  comment="pending, approved, superseded, or not_required (shell)"),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_member.id"],
                                name=op.f("fk_staff_credential_issue_staff_id_staff_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_credential_issue")),
    )
    with op.batch_alter_table("staff_credential_issue") as batch_op:
        batch_op.create_index("ix_staff_credential_issue_staff_id", ["staff_id"], unique=False)
    with op.batch_alter_table("staff_member") as batch_op:
        batch_op.add_column(sa.Column("credentials_pending", sa.Boolean(), server_default=sa.false(), nullable=False,
                                      comment="one-time credentials await a second privacy officer's approval"))


def downgrade() -> None:
    with op.batch_alter_table("staff_member") as batch_op:
        batch_op.drop_column("credentials_pending")
    op.drop_table("staff_credential_issue")
    op.drop_table("rate_bucket")
