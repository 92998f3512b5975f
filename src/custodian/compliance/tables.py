"""Tables of the breach register (issue 18 §2). The description is the officer's words about what happened and
must hold no personal data (the form says so); affected customers are account ids, never names or numbers."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from custodian.db.metadata import UtcDateTime, id_type, metadata

breach_incident = Table(
    "breach_incident",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("reference", String(24), nullable=False, unique=True, comment="BR-YYYY-NNNN"),
    Column("discovered_at", UtcDateTime, nullable=False),
    Column("determined_at", UtcDateTime, nullable=False, comment="the reasonable determination of a breach"),
    Column("description", Text, nullable=False, comment="what happened, in words without personal data"),
    Column("method", String(200), nullable=False, comment="the method of compromise"),
    Column("occurred_from", UtcDateTime, comment="the first moment of the incident, when known"),
    Column("occurred_to", UtcDateTime, comment="its last moment, when known"),
    Column("financial_loss", String(200), nullable=False, comment="estimated loss to the carrier and customers"),
    Column("classes", String(400), nullable=False, comment="record classes involved, comma-separated"),
    Column("harm_likely", Boolean, nullable=False, comment="harm to customers is reasonably likely"),
    Column("rule_sets", String(200), nullable=False, comment="breach rule sets applying, comma-separated"),
    Column("affected_estimate", Integer, comment="customers affected when not every account is listed"),
    Column("state", String(12), nullable=False, comment="open or closed"),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

breach_le_delay = Table(
    "breach_le_delay",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("incident_id", id_type(), ForeignKey("breach_incident.id"), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("until_on", Date, nullable=False, comment="the last day customers may not be told"),
    Column("agency", String(200), nullable=False),
    Index("ix_breach_le_delay_incident_id", "incident_id"),
)

breach_affected = Table(
    "breach_affected",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("incident_id", id_type(), ForeignKey("breach_incident.id"), nullable=False),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("how_found", String(40), nullable=False, comment="audit_trail or entered"),
    Column("first_read_at", UtcDateTime, comment="the first read in the window, when found in the audit trail"),
    Column("classes", String(400), nullable=False, comment="record classes read, comma-separated"),
    UniqueConstraint("incident_id", "account_id", name="uq_breach_affected_incident_account"),
)

breach_notification = Table(
    "breach_notification",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("incident_id", id_type(), ForeignKey("breach_incident.id"), nullable=False),
    Column("kind", String(24), nullable=False,
           comment="law_enforcement, customer, regulator, covered_entity, attorney_general or annual_summary"),
    Column("template", String(60), nullable=False),
    Column("drafted_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, comment="NULL while only drafted"),
    Column("channel", String(24), nullable=False, comment="email, export or filed (sent outside Custodian)"),
    Column("recipients", Integer, nullable=False, comment="how many were sent (customers: one per account)"),
    Column("failed", Integer, nullable=False, comment="customer e-mails the server did not accept"),
    Column("sent_by", String(120), nullable=False),
    Index("ix_breach_notification_incident_id", "incident_id"),
)

# Issue 18 §1: the registers the annual CPNI certification (47 CFR 64.2009(e)) summarises, and its filings.
cpni_complaint = Table(
    "cpni_complaint",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("reference", String(24), nullable=False, unique=True, comment="CC-YYYY-NNNN"),
    Column("received_on", Date, nullable=False),
    Column("category", String(40), nullable=False,
           comment="employee_access, unauthorized_disclosure, online_access or other"),
    Column("ticket_id", id_type(), ForeignKey("ticket.id"), comment="the ticket the complaint came in on"),
    Column("summary", Text, nullable=False, comment="what the customer complained of, without personal data"),
    Column("outcome", Text, comment="NULL while open"),
    Column("resolved_on", Date),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_cpni_complaint_received_on", "received_on"),
)

data_broker_action = Table(
    "data_broker_action",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("reference", String(24), nullable=False, unique=True, comment="DB-YYYY-NNNN"),
    Column("detected_on", Date, nullable=False, comment="the day the pretexting attempt was detected"),
    Column("attempt", Text, nullable=False, comment="the attempt, in words without personal data"),
    Column("action", String(40), nullable=False,
           comment="proceeding, state_commission_complaint, law_enforcement_referral, other or none"),
    Column("action_detail", Text, nullable=False, comment="what was done: court, commission, docket"),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_data_broker_action_detected_on", "detected_on"),
)

cpni_certification = Table(
    "cpni_certification",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False, comment="the calendar year certified"),
    Column("officer", String(200), nullable=False, comment="the officer who signs"),
    Column("generated_at", UtcDateTime, nullable=False),
    Column("figures_sha256", String(64), nullable=False, comment="SHA-256 of the figures as canonical JSON"),
    Index("ix_cpni_certification_year", "year"),
)
