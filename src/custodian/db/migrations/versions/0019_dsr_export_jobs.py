"""dsr export jobs: the portal's "Download everything" built in the background with its progress; the
portal showing of a privacy request

Revision ID: 0019_dsr_export_jobs
Revises: 0018_dsr_export_links
Create Date: 2026-12-05 12:00:00

Issue 15 §2: "a background export job (the page shows progress) builds a ZIP". One row per build: its state,
phase and counts, and the stored export (dsr_export) it made; the download token sealed with the account's key.
Seed 002 P154: privacy_request.portal_showing records whether the requester said the data cannot be obtained
through the portal. Seed 002 P88: account.child_reported_at marks an account a parent reported as a child's;
the retention engine purges it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_dsr_export_jobs"
down_revision = "0018_dsr_export_links"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("account") as batch_op:
        batch_op.add_column(sa.Column(
            "child_reported_at", _AT, nullable=True,
            comment="a parent reported the data as a child's (seed 002 P88): the retention engine purges the account"))
    with op.batch_alter_table("privacy_request") as batch_op:
        batch_op.add_column(sa.Column(
            "portal_showing", sa.Integer(), nullable=True,
            comment="access, cpni_copy: 1 when the requester says the portal cannot give it, 0 when not; else NULL"))
    op.create_table(
        "dsr_export_job",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False, comment="queued, running, done or failed"),
        sa.Column("phase", sa.String(length=40), nullable=True,
                  comment="the step the build is in (kernel/progress.py phase)"),
        sa.Column("done", sa.Integer(), nullable=False, comment="units of the phase done"),
        sa.Column("total", sa.Integer(), nullable=False, comment="units of the phase"),
        sa.Column("error", sa.String(length=200), nullable=True,
                  comment="why it failed, in words; never personal data"),
        sa.Column("file_name", sa.String(length=80), nullable=True,
                  comment="the ZIP being built under <data>/exports/ (a rebuild removes it)"),
        sa.Column("link_enc", sa.LargeBinary(), nullable=True,
                  comment="the download token, sealed with the account's key"),
        sa.Column("export_id", _ID, nullable=True, comment="the stored export it made"),
        sa.Column("attempts", sa.Integer(), nullable=False, comment="builds started (the export-builds job resumes)"),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("started_at", _AT, nullable=True),
        sa.Column("finished_at", _AT, nullable=True),
        sa.Column("updated_at", _AT, nullable=False,
                  comment="last progress: a stale running job was orphaned"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_dsr_export_job_account_id_account")),
        sa.ForeignKeyConstraint(["export_id"], ["dsr_export.id"], name=op.f("fk_dsr_export_job_export_id_dsr_export")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dsr_export_job")),
    )
    with op.batch_alter_table("dsr_export_job") as batch_op:
        batch_op.create_index("ix_dsr_export_job_account_id_state", ["account_id", "state"], unique=False)
        batch_op.create_index("ix_dsr_export_job_state", ["state"], unique=False)


def downgrade() -> None:
    op.drop_table("dsr_export_job")
    with op.batch_alter_table("privacy_request") as batch_op:
        batch_op.drop_column("portal_showing")
    with op.batch_alter_table("account") as batch_op:
        batch_op.drop_column("child_reported_at")
