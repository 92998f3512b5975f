"""portal accounts: customers' online accounts, hashed sessions, hashed one-time codes, remembered devices

Revision ID: 0017_portal_accounts
Revises: 0016_dsr_requests
Create Date: 2026-12-05 09:40:00

47 CFR 64.2010(c): online access to CPNI only with a password the customer chose, set up without
readily available biographical or account information; a second factor on a new device: an e-mailed code,
or an authenticator app (TOTP) the customer enrols.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_portal_accounts"
down_revision = "0016_dsr_requests"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_account",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False, comment="argon2id of the online password"),
        sa.Column("failed_attempts", sa.Integer(), nullable=False,
                  comment="wrong passwords or codes since the last success"),
        sa.Column("locked_until", _AT, nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("password_set_at", _AT, nullable=False),
        sa.Column("totp_secret_enc", sa.LargeBinary(), nullable=True,
                  comment="authenticator secret, sealed under a key derived from the master key"),
        sa.Column("totp_enrolled", sa.Boolean(), server_default=sa.false(), nullable=False,
                  comment="the customer confirmed the authenticator: its codes replace the e-mailed one"),
        sa.Column("totp_last_step", sa.Integer(), server_default="0", nullable=False,
                  comment="last accepted time step: no code is used twice"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_portal_account_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_account")),
        sa.UniqueConstraint("account_id", name=op.f("uq_portal_account_account_id")),
    )
    op.create_table(
        "portal_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False, comment="SHA-256 of the cookie value"),
        sa.Column("portal_account_id", _ID, nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False, comment="password (e-mailed code pending) or full"),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("last_seen_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["portal_account_id"], ["portal_account.id"],
                                name=op.f("fk_portal_session_portal_account_id_portal_account")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_portal_session")),
    )
    with op.batch_alter_table("portal_session") as batch_op:
        batch_op.create_index("ix_portal_session_portal_account_id", ["portal_account_id"], unique=False)
    op.create_table(
        "portal_code",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("flow_hash", sa.String(length=64), nullable=False,
                  comment="SHA-256 of the browser's flow cookie: a code is good only in the browser that asked"),
        sa.Column("purpose", sa.String(length=16), nullable=False, comment="enrol, sign_in or new_email"),
        sa.Column("account_id", _ID, nullable=True,
                  comment="NULL when the enrolment named no matching account (the answer is the same)"),
        sa.Column("code_hash", sa.String(length=64), nullable=False,
                  comment="HMAC-SHA256 of the code under a derived key"),
        sa.Column("target_enc", sa.LargeBinary(), nullable=True,
                  comment="a new e-mail address awaiting confirmation, sealed"),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("used_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_portal_code_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_code")),
        sa.UniqueConstraint("flow_hash", name=op.f("uq_portal_code_flow_hash")),
    )
    with op.batch_alter_table("portal_code") as batch_op:
        batch_op.create_index("ix_portal_code_expires_at", ["expires_at"], unique=False)
    op.create_table(
        "portal_device",
        sa.Column("token_hash", sa.String(length=64), nullable=False,
                  comment="SHA-256 of the remembered-device cookie"),
        sa.Column("portal_account_id", _ID, nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["portal_account_id"], ["portal_account.id"],
                                name=op.f("fk_portal_device_portal_account_id_portal_account")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_portal_device")),
    )
    with op.batch_alter_table("portal_device") as batch_op:
        batch_op.create_index("ix_portal_device_portal_account_id", ["portal_account_id"], unique=False)


def downgrade() -> None:
    op.drop_table("portal_device")
    op.drop_table("portal_code")
    op.drop_table("portal_session")
    op.drop_table("portal_account")
