"""disclosure ledger: releases through the disclosure gate and one row per account disclosed (append-only)

Revision ID: 0023_disclosure_ledger
Revises: 0022_policy_change_notices
Create Date: 2026-12-05 12:00:00

Issue 17 §1: "records one disclosure per account in an append-only disclosure ledger (recipient, purpose, classes,
form, time, actor, feed SHA-256), linked into the audit chain." Triggers on both databases refuse UPDATE and DELETE.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_disclosure_ledger"
down_revision = "0022_policy_change_notices"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)
TABLES = ("disclosure_release", "disclosure")


def upgrade() -> None:
    op.create_table(
        "disclosure_release",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False, comment="the policy's recipient name"),
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("classes", sa.Text(), nullable=False, comment="JSON list of record classes"),
        sa.Column("form", sa.String(length=16), nullable=False, comment="aggregate, de_identified or identifiable"),
        sa.Column("accounts_disclosed", sa.Integer(), nullable=False),
        sa.Column("excluded_by_choice", sa.Integer(), nullable=False,
                  comment="accounts whose consent did not allow it"),
        sa.Column("feed_sha256", sa.String(length=64), nullable=False),
        sa.Column("feed_format", sa.String(length=8), nullable=False,
                  comment="csv, jsonl, or json for an aggregate report"),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("made_at", _AT, nullable=False),
        sa.Column("legal_request_id", _ID, nullable=True, comment="a legal production the desk recorded here"),
        sa.Column("withheld_until", _AT, nullable=True,
                  comment="a nondisclosure order hides it from the customer until then"),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False, comment="the disclosure.release audit event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_release")),
    )
    op.create_index("ix_disclosure_release_recipient", "disclosure_release", ["recipient", "made_at"], unique=False)
    op.create_table(
        "disclosure",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("release_id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False, comment="no foreign key: the ledger outlives a purged account"),
        sa.Column("made_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["disclosure_release.id"],
                                name=op.f("fk_disclosure_release_id_disclosure_release")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure")),
    )
    op.create_index("ix_disclosure_account_id", "disclosure", ["account_id", "made_at"], unique=False)
    op.create_index("ix_disclosure_release_id", "disclosure", ["release_id"], unique=False)
    _append_only()


def _append_only() -> None:
    """UPDATE and DELETE raise on both databases (TRUNCATE, used only by the test harness, is not a row event)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION disclosure_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION 'the disclosure ledger is append-only'; END $$")
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION disclosure_append_only()")
        return
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       "BEGIN SELECT RAISE(ABORT, 'the disclosure ledger is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS disclosure_append_only()")
    op.drop_table("disclosure")
    op.drop_table("disclosure_release")
