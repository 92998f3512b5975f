"""dsr export links: stored export ZIPs with a 7-day download link (token kept as its SHA-256 only)

Revision ID: 0018_dsr_export_links
Revises: 0017_portal_accounts
Create Date: 2026-12-05 10:40:00

Issue 15 §2: "The link works for 7 days, then the file is deleted." The file lives under <data>/exports/;
the row records when it expires and when the export-expiry job deleted it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_dsr_export_links"
down_revision = "0017_portal_accounts"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dsr_export",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("request_id", _ID, nullable=True, comment="the request it answers, if any"),
        sa.Column("token_hash", sa.String(length=64), nullable=False,
                  comment="SHA-256 of the e-mailed download token"),
        sa.Column("file_name", sa.String(length=80), nullable=False,
                  comment="the ZIP's name under <data>/exports/ (random)"),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("deleted_at", _AT, nullable=True, comment="the file was deleted (expired)"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_dsr_export_account_id_account")),
        sa.ForeignKeyConstraint(["request_id"], ["privacy_request.id"],
                                name=op.f("fk_dsr_export_request_id_privacy_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dsr_export")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dsr_export_token_hash")),
    )
    with op.batch_alter_table("dsr_export") as batch_op:
        batch_op.create_index("ix_dsr_export_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_table("dsr_export")
