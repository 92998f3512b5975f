"""compliance registers: CPNI complaints, data-broker actions and the annual CPNI certifications

Revision ID: 0029_compliance_registers
Revises: 0028_abuse_desk
Create Date: 2026-12-05 12:30:00

Issue 18 §1: the complaints about CPNI release and the actions against data brokers that the certificate under
47 CFR 64.2009(e) summarises, and each certificate generated (so the officer's home knows this year's is done).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_compliance_registers"
down_revision = "0028_abuse_desk"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cpni_complaint",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False, comment="CC-YYYY-NNNN"),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False,
                  comment="employee_access, unauthorized_disclosure, online_access or other"),
        sa.Column("ticket_id", _ID, comment="the ticket the complaint came in on"),
        sa.Column("summary", sa.Text(), nullable=False, comment="what the customer complained of, without personal data"),
        sa.Column("outcome", sa.Text(), comment="NULL while open"),
        sa.Column("resolved_on", sa.Date()),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_cpni_complaint_ticket_id_ticket")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpni_complaint")),
        sa.UniqueConstraint("reference", name=op.f("uq_cpni_complaint_reference")),
    )
    op.create_index("ix_cpni_complaint_received_on", "cpni_complaint", ["received_on"])
    op.create_table(
        "data_broker_action",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False, comment="DB-YYYY-NNNN"),
        sa.Column("detected_on", sa.Date(), nullable=False, comment="the day the pretexting attempt was detected"),
        sa.Column("attempt", sa.Text(), nullable=False, comment="the attempt, in words without personal data"),
        sa.Column("action", sa.String(length=40), nullable=False,
                  comment="proceeding, state_commission_complaint, law_enforcement_referral, other or none"),
        sa.Column("action_detail", sa.Text(), nullable=False, comment="what was done: court, commission, docket"),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_broker_action")),
        sa.UniqueConstraint("reference", name=op.f("uq_data_broker_action_reference")),
    )
    op.create_index("ix_data_broker_action_detected_on", "data_broker_action", ["detected_on"])
    op.create_table(
        "cpni_certification",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False, comment="the calendar year certified"),
        sa.Column("officer", sa.String(length=200), nullable=False, comment="the officer who signs"),
        sa.Column("generated_at", _AT, nullable=False),
        sa.Column("figures_sha256", sa.String(length=64), nullable=False,
                  comment="SHA-256 of the figures as canonical JSON"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpni_certification")),
    )
    op.create_index("ix_cpni_certification_year", "cpni_certification", ["year"])


def downgrade() -> None:
    op.drop_index("ix_cpni_certification_year", table_name="cpni_certification")
    op.drop_table("cpni_certification")
    op.drop_index("ix_data_broker_action_detected_on", table_name="data_broker_action")
    op.drop_table("data_broker_action")
    op.drop_index("ix_cpni_complaint_received_on", table_name="cpni_complaint")
    op.drop_table("cpni_complaint")
