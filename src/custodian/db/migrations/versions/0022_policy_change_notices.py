"""policy change notices: one row per customer told of a policy version's material changes

Revision ID: 0022_policy_change_notices
Revises: 0021_sms_keyword_numbers
Create Date: 2026-12-05 12:20:00

Issue 16 §5: customers are told of material changes by e-mail, batched and resumable; a re-run skips the
customers already told (the unique version/account pair) and retries failed sends.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_policy_change_notices"
down_revision = "0021_sms_keyword_numbers"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "policy_change_notice",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("version_hash", sa.String(length=64), nullable=False,
                  comment="the version whose changes were told"),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False, comment="sent, failed (retried) or no_address"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name=op.f("fk_policy_change_notice_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_change_notice")),
        sa.UniqueConstraint("version_hash", "account_id", name="uq_policy_change_notice_version_account"),
    )


def downgrade() -> None:
    op.drop_table("policy_change_notice")
