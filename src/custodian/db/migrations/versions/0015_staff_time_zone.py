"""staff members choose the time zone the console shows times in

Revision ID: 0015_staff_time_zone
Revises: 0014_import_interrupted
Create Date: 2026-12-09 09:00:00

Every stored time stays UTC; the console shows it in the staff member's zone (UTC on hover). A
member without a zone of their own sees the provider's default (CUSTODIAN_STAFF_TIME_ZONE).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_staff_time_zone"
down_revision = "0014_import_interrupted"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff_member", sa.Column("time_zone", sa.String(length=64), nullable=True,
                                              comment="IANA zone the console shows times in; NULL = provider default"))


def downgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("time_zone")
