"""data-subject requests: the requests, their verification tokens (hashed) and their events

Revision ID: 0016_dsr_requests
Revises: 0015_staff_time_zone
Create Date: 2026-12-05 09:40:00

The requester's contact details are sealed with the request desk's key and found by the records
store's blind indexes; a verification token is stored only as its SHA-256.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_dsr_requests"
down_revision = "0015_staff_time_zone"
branch_labels = None
depends_on = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "privacy_request",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False, comment="the number the requester is given"),
        sa.Column("request_type", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), comment="access: categories or specific_pieces"),
        sa.Column("jurisdiction", sa.String(length=8), nullable=False, comment="ISO 3166 code the requester gave"),
        sa.Column("by_agent", sa.Integer(), nullable=False, comment="1 when an authorized agent submitted it"),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), comment="NULL: the policy sets no deadline for this type and jurisdiction"),
        sa.Column("extendable_to", sa.Date(), comment="the latest due day an extension may set; NULL: no extension"),
        sa.Column("extended_at", sa.DateTime(timezone=True), comment="when the one extension was given"),
        sa.Column("email_bidx", sa.LargeBinary(length=16), nullable=False,
                  comment="blind index of the requester's e-mail"),
        sa.Column("phone_bidx", sa.LargeBinary(length=16), comment="blind index of the phone number given"),
        sa.Column("details_enc", sa.LargeBinary(), nullable=False,
                  comment="name, e-mail, phone, account ref, postal code, agent, correction text: sealed JSON"),
        sa.Column("authorization_blob_key", sa.String(length=32), comment="the agent's signed authorization, sealed"),
        sa.Column("account_id", _id(), comment="the matched account, once verified"),
        sa.Column("matched_points", sa.Integer(), comment="data points of the record store the requester matched"),
        sa.Column("deny_reason", sa.String(length=40)),
        sa.Column("reminded_at", sa.DateTime(timezone=True), comment="the verification reminder was sent"),
        sa.Column("deadline_reminded_at", sa.DateTime(timezone=True),
                  comment="the privacy contact was reminded of the deadline"),
        sa.Column("verified_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_privacy_request_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_privacy_request_reference")),
    )
    op.create_index("ix_privacy_request_state", "privacy_request", ["state"])
    op.create_index("ix_privacy_request_email_bidx", "privacy_request", ["email_bidx"])
    op.create_table(
        "privacy_request_token",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("request_id", _id(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, comment="SHA-256 of the e-mailed token"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(["request_id"], ["privacy_request.id"],
                                name=op.f("fk_privacy_request_token_request_id_privacy_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_request_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_privacy_request_token_token_hash")),
    )
    op.create_index("ix_privacy_request_token_request_id", "privacy_request_token", ["request_id"])
    op.create_table(
        "privacy_request_event",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("request_id", _id(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, comment="what happened, in words; never personal data"),
        sa.ForeignKeyConstraint(["request_id"], ["privacy_request.id"],
                                name=op.f("fk_privacy_request_event_request_id_privacy_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_request_event")),
    )
    op.create_index("ix_privacy_request_event_request_id", "privacy_request_event", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_privacy_request_event_request_id", table_name="privacy_request_event")
    op.drop_table("privacy_request_event")
    op.drop_index("ix_privacy_request_token_request_id", table_name="privacy_request_token")
    op.drop_table("privacy_request_token")
    op.drop_index("ix_privacy_request_email_bidx", table_name="privacy_request")
    op.drop_index("ix_privacy_request_state", table_name="privacy_request")
    op.drop_table("privacy_request")
