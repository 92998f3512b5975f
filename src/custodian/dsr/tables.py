"""Tables of data-subject requests. The requester's contact details are sealed with the request desk's own
key (dsr/desk_key.py) and looked up by the records store's blind indexes; the verification token is kept
only as its SHA-256. Columns otherwise hold what the queue counts, never personal data."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from custodian.db.metadata import UtcDateTime, id_type, metadata

privacy_request = Table(
    "privacy_request",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("reference", String(24), nullable=False, unique=True, comment="the number the requester is given"),
    Column("request_type", String(32), nullable=False),
    Column("scope", String(16), comment="access: categories or specific_pieces"),
    Column("jurisdiction", String(8), nullable=False, comment="ISO 3166 code the requester gave"),
    Column("by_agent", Integer, nullable=False, comment="1 when an authorized agent submitted it"),
    Column("state", String(24), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("due_on", Date, comment="NULL: the policy sets no deadline for this type and jurisdiction"),
    Column("extendable_to", Date, comment="the latest due day an extension may set; NULL: no extension"),
    Column("extended_at", UtcDateTime, comment="when the one extension was given"),
    Column("email_bidx", LargeBinary(16), nullable=False, comment="blind index of the requester's e-mail"),
    Column("phone_bidx", LargeBinary(16), comment="blind index of the phone number given"),
    Column("details_enc", LargeBinary, nullable=False,
           comment="name, e-mail, phone, account ref, postal code, agent, correction text: sealed JSON"),
    Column("authorization_blob_key", String(32), comment="the agent's signed authorization, sealed"),
    Column("account_id", id_type(), ForeignKey("account.id"), comment="the matched account, once verified"),
    Column("matched_points", Integer, comment="data points of the record store the requester matched"),
    Column("deny_reason", String(40)),
    Column("portal_showing", Integer,
           comment="access, cpni_copy: 1 when the requester says the portal cannot give it, 0 when not; else NULL"),
    Column("reminded_at", UtcDateTime, comment="the verification reminder was sent"),
    Column("deadline_reminded_at", UtcDateTime, comment="the privacy contact was reminded of the deadline"),
    Column("verified_at", UtcDateTime),
    Column("closed_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_privacy_request_state", "state"),
    Index("ix_privacy_request_email_bidx", "email_bidx"),
)

privacy_request_token = Table(
    "privacy_request_token",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("request_id", id_type(), ForeignKey("privacy_request.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True, comment="SHA-256 of the e-mailed token"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Index("ix_privacy_request_token_request_id", "request_id"),
)

privacy_request_event = Table(
    "privacy_request_event",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("request_id", id_type(), ForeignKey("privacy_request.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("note", Text, nullable=False, comment="what happened, in words; never personal data"),
    Index("ix_privacy_request_event_request_id", "request_id"),
)

dsr_export = Table(
    "dsr_export",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("request_id", id_type(), ForeignKey("privacy_request.id"), comment="the request it answers, if any"),
    Column("token_hash", String(64), nullable=False, unique=True, comment="SHA-256 of the e-mailed download token"),
    Column("file_name", String(80), nullable=False, comment="the ZIP's name under <data>/exports/ (random)"),
    Column("bytes", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, comment="the file was deleted (expired)"),
    Index("ix_dsr_export_expires_at", "expires_at"),
)

dsr_export_job = Table(
    "dsr_export_job",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("account_id", id_type(), ForeignKey("account.id"), nullable=False),
    Column("state", String(16), nullable=False, comment="queued, running, done or failed"),
    Column("phase", String(40), comment="the step the build is in (kernel/progress.py phase)"),
    Column("done", Integer, nullable=False, comment="units of the phase done"),
    Column("total", Integer, nullable=False, comment="units of the phase"),
    Column("error", String(200), comment="why it failed, in words; never personal data"),
    Column("file_name", String(80), comment="the ZIP being built under <data>/exports/ (a rebuild removes it)"),
    Column("link_enc", LargeBinary, comment="the download token, sealed with the account's key"),
    Column("export_id", id_type(), ForeignKey("dsr_export.id"), comment="the stored export it made"),
    Column("attempts", Integer, nullable=False, comment="builds started (the export-builds job resumes)"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False, comment="last progress: a stale running job was orphaned"),
    Index("ix_dsr_export_job_account_id_state", "account_id", "state"),
    Index("ix_dsr_export_job_state", "state"),
)
