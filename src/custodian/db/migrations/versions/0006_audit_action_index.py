"""audit events by action

Revision ID: 0006_audit_action_index
Revises: 0005_legal_desk
Create Date: 2026-11-22 09:30:00

The chain page finds the newest recorded verification, and the officer's search and staff report
filter by action; without this index each of those scans the whole trail backwards.
"""

from __future__ import annotations

from alembic import op

revision = "0006_audit_action_index"
down_revision = "0005_legal_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_event_action", "audit_event", ["action", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_event_action", table_name="audit_event")
