"""public legal intake: submissions refused for missing required fields are counted, nothing else kept

Revision ID: 0012_desk_intake
Revises: 0011_closure_deidentify
Create Date: 2026-12-05 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_desk_intake"
down_revision = "0011_closure_deidentify"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_intake_rejection",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rejected_on", sa.Date(), nullable=False,
                  comment="the day, for the transparency report's periods"),
        sa.Column("channel", sa.String(length=16), nullable=False,
                  comment="portal or api; nothing of the submission is kept"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_intake_rejection")),
    )
    op.create_index("ix_legal_intake_rejection_rejected_on", "legal_intake_rejection", ["rejected_on"])


def downgrade() -> None:
    op.drop_index("ix_legal_intake_rejection_rejected_on", table_name="legal_intake_rejection")
    op.drop_table("legal_intake_rejection")
