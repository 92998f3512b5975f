"""The numbers that texted an SMS keyword without being a customer's: kept sealed so the suppression list can
name them (issue 16 §3). The ledger itself only knows the anonymous subject derived from the number's blind
index, never the number."""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, String, Table

from custodian.db.metadata import UtcDateTime, metadata

sms_keyword_number = Table(
    "sms_keyword_number",
    metadata,
    Column("subject", String(64), primary_key=True, comment="the ledger's anonymous subject of the number"),
    Column("number_enc", LargeBinary, nullable=False, comment="the E.164 number, sealed (consent/sms_inbound.py)"),
    Column("first_seen_at", UtcDateTime, nullable=False),
)
