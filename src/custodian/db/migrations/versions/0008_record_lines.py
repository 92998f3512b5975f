"""record lines: the account's own number on every log and content row; the line a legal match names

Particularity (Fourth Amendment; SpectrumVoIP DRG V: "a given telephone number may be assigned to many
different users"): a number target reaches only that line's records, so each record carries the blind index
of the account's own number. A migration cannot decrypt (no master key here): existing rows are filled
afterwards by records/own_lines.py, which `custodian db upgrade` and `custodian init` run.

Revision ID: 0008_record_lines
Revises: 0007_account_credentials
Create Date: 2026-12-05 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_record_lines"
down_revision = "0007_account_credentials"
branch_labels = None
depends_on = None

RECORD_TABLES = ("call_log", "fax_log", "sms_log", "content_item")
LINE_COMMENT = "blind index of the account's own number (its line); NULL = unknown"


def upgrade() -> None:
    # On PostgreSQL these tables are partitioned: ALTER TABLE on the parent adds the column to every partition.
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("own_number_bidx", sa.LargeBinary(length=16), nullable=True,
                                          comment=LINE_COMMENT))
    with op.batch_alter_table("legal_match") as batch_op:
        batch_op.add_column(sa.Column("line_bidx", sa.LargeBinary(length=16), nullable=True,
                                      comment="blind index of the target number; NULL = the whole account"))


def downgrade() -> None:
    with op.batch_alter_table("legal_match") as batch_op:
        batch_op.drop_column("line_bidx")
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("own_number_bidx")
