"""import runs carry their owner and a heartbeat

Revision ID: 0014_import_interrupted
Revises: 0013_sign_in_throttle
Create Date: 2026-12-05 06:20:00

An import killed with SIGKILL never writes its outcome, so its row stayed `running` forever. Each
run now records the process that owns it (host, process id, process start time) and a heartbeat at
every committed batch, from which `custodian import status` tells a live run from a dead one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_import_interrupted"
down_revision = "0013_sign_in_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("import_run", sa.Column("owner_host", sa.String(length=255), nullable=True,
                                            comment="the host, process id and process start time of the importer"))
    op.add_column("import_run", sa.Column("owner_pid", sa.Integer(), nullable=True))
    op.add_column("import_run", sa.Column("owner_started", sa.String(length=32), nullable=True))
    op.add_column("import_run", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True,
                                            comment="set at every committed batch: a dead run's stops moving"))


def downgrade() -> None:
    with op.batch_alter_table("import_run") as batch:
        for name in ("heartbeat_at", "owner_started", "owner_pid", "owner_host"):
            batch.drop_column(name)
