"""The consent ledger's vocabulary and its entry, as the rules, receipts and edges read it (issue 16 §1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CHOICES = ("granted", "denied", "withdrawn")
# The contact channel a choice covers; `any` covers every channel and every use that contacts no one.
MEDIA = ("any", "email", "sms", "phone", "post")
# How a choice was collected.
CHANNELS = ("portal", "representative", "phone_ivr", "sms_keyword", "web_banner", "gpc", "written_form",
            "oral_call", "privacy_request")


@dataclass(frozen=True)
class Entry:
    """One recorded choice of the append-only ledger."""

    id: int
    receipt_id: str
    account_id: int | None
    subject: str | None
    purpose: str
    medium: str
    choice: str
    channel: str
    policy_version: str
    text_sha256: str
    made_at: datetime
    valid_until: datetime | None
    recorded_at: datetime
    recorded_by: str
    ticket_id: int | None
    audit_seq: int
