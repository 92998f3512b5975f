"""Purged account references: a blind index of the reference a closure purge replaced

Revision ID: 0031_purged_references
Revises: 0030_citus_keys
Create Date: 2026-12-05 16:05:00

Issue 19 §4: re-importing the provider's accounts file after a closure purge must not bring the purged customer
back. The purge replaces the account's reference with a random pseudonym; `account_purge.ref_bidx` keeps the
keyed blind index (HMAC) of the old reference, which the accounts importer checks. No reference is stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_purged_references"
down_revision = "0030_citus_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_purge") as batch:
        batch.add_column(sa.Column("ref_bidx", sa.LargeBinary(), nullable=True,
                                   comment="blind index of the account reference the purge replaced"))
        batch.create_index("ix_account_purge_ref_bidx", ["ref_bidx"])


def downgrade() -> None:
    with op.batch_alter_table("account_purge") as batch:
        batch.drop_index("ix_account_purge_ref_bidx")
        batch.drop_column("ref_bidx")
