"""breach register: incidents, law-enforcement delays, affected accounts and notifications

Revision ID: 0025_breach_register
Revises: 0023_disclosure_ledger (the brief said 0018_dsr_export_links; 0022 is already on main)
Create Date: 2026-12-05 12:00:00

Issue 18 §2: each incident with its discovery and determination, the rule sets whose clocks run, delays law
enforcement asked for, the accounts affected (from the audit trail or entered) and every notification sent.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_breach_register"
down_revision = "0023_disclosure_ledger"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "breach_incident",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False, comment="BR-YYYY-NNNN"),
        sa.Column("discovered_at", _AT, nullable=False),
        sa.Column("determined_at", _AT, nullable=False, comment="the reasonable determination of a breach"),
        sa.Column("description", sa.Text(), nullable=False, comment="what happened, in words without personal data"),
        sa.Column("method", sa.String(length=200), nullable=False, comment="the method of compromise"),
        sa.Column("occurred_from", _AT, comment="the first moment of the incident, when known"),
        sa.Column("occurred_to", _AT, comment="its last moment, when known"),
        sa.Column("financial_loss", sa.String(length=200), nullable=False, comment="estimated loss to the carrier and customers"),
        sa.Column("classes", sa.String(length=400), nullable=False, comment="record classes involved, comma-separated"),
        sa.Column("harm_likely", sa.Boolean(), nullable=False, comment="harm to customers is reasonably likely"),
        sa.Column("rule_sets", sa.String(length=200), nullable=False, comment="breach rule sets applying, comma-separated"),
        sa.Column("affected_estimate", sa.Integer(), comment="customers affected when not every account is listed"),
        sa.Column("state", sa.String(length=12), nullable=False, comment="open or closed"),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach_incident")),
        sa.UniqueConstraint("reference", name=op.f("uq_breach_incident_reference")),
    )
    op.create_table(
        "breach_le_delay",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("requested_at", _AT, nullable=False),
        sa.Column("until_on", sa.Date(), nullable=False, comment="the last day customers may not be told"),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["breach_incident.id"],
                                name=op.f("fk_breach_le_delay_incident_id_breach_incident")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach_le_delay")),
    )
    op.create_index("ix_breach_le_delay_incident_id", "breach_le_delay", ["incident_id"])
    op.create_table(
        "breach_affected",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("how_found", sa.String(length=40), nullable=False, comment="audit_trail or entered"),
        sa.Column("first_read_at", _AT, comment="the first read in the window, when found in the audit trail"),
        sa.Column("classes", sa.String(length=400), nullable=False, comment="record classes read, comma-separated"),
        sa.ForeignKeyConstraint(["incident_id"], ["breach_incident.id"],
                                name=op.f("fk_breach_affected_incident_id_breach_incident")),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_breach_affected_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach_affected")),
        sa.UniqueConstraint("incident_id", "account_id", name="uq_breach_affected_incident_account"),
    )
    op.create_table(
        "breach_notification",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False,
                  comment="law_enforcement, customer, regulator, covered_entity, attorney_general or annual_summary"),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("drafted_at", _AT, nullable=False),
        sa.Column("sent_at", _AT, comment="NULL while only drafted"),
        sa.Column("channel", sa.String(length=24), nullable=False, comment="email, export or filed (sent outside Custodian)"),
        sa.Column("recipients", sa.Integer(), nullable=False, comment="how many were sent (customers: one per account)"),
        sa.Column("failed", sa.Integer(), nullable=False, comment="customer e-mails the server did not accept"),
        sa.Column("sent_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["breach_incident.id"],
                                name=op.f("fk_breach_notification_incident_id_breach_incident")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach_notification")),
    )
    op.create_index("ix_breach_notification_incident_id", "breach_notification", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_breach_notification_incident_id", table_name="breach_notification")
    op.drop_table("breach_notification")
    op.drop_table("breach_affected")
    op.drop_index("ix_breach_le_delay_incident_id", table_name="breach_le_delay")
    op.drop_table("breach_le_delay")
    op.drop_table("breach_incident")
