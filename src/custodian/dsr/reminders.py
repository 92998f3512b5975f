"""The verification job: one reminder to a requester who has not confirmed after the policy's hours (24 by
default), and expiry of requests never confirmed within the link's days (7 by default). Idempotent: a
request is reminded once and expires once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.dsr import letters, store
from custodian.dsr.desk_key import dsr_cipher
from custodian.dsr.service import Mail, verification_link
from custodian.policy.compiled import CompiledPolicy

ACTOR = "job:dsr-verification"


@dataclass
class Swept:
    """What one run did, and the reminders to send once it has committed."""

    reminded: int = 0
    expired: int = 0
    mail: list[Mail] = field(default_factory=list)


def remind_and_expire(conn: Connection, keyring: Keyring, policy: CompiledPolicy, *, link_base: str,
                      now: datetime) -> Swept:
    """Expire the requests whose link ran out; remind, once, those unconfirmed for the reminder hours."""
    rules = policy.document.privacy_requests.verification
    valid_for, remind_after = timedelta(days=rules.link_valid_days), timedelta(hours=rules.reminder_after_hours)
    swept = Swept()
    cipher = dsr_cipher(conn, keyring)
    for request_id, received_at, reminded_at in store.ids_in_state(conn, "awaiting_verification"):
        if now >= received_at + valid_for:
            store.update_request(conn, request_id, state="expired", closed_at=now, updated_at=now)
            store.add_event(conn, request_id, actor=ACTOR, action="expired", now=now,
                            note=f"not confirmed within {rules.link_valid_days} days")
            swept.expired += 1
        elif reminded_at is None and now >= received_at + remind_after:
            request = store.read(conn, cipher, request_id)
            token = store.issue_token(conn, request_id, now=now, expires_at=received_at + valid_for)
            store.update_request(conn, request_id, reminded_at=now, updated_at=now)
            store.add_event(conn, request_id, actor=ACTOR, action="reminded", now=now,
                            note="verification reminder e-mailed")
            subject, body = letters.verification_mail(policy.document.provider.name, request.reference,
                                                      verification_link(link_base, token), rules.link_valid_days,
                                                      reminder=True)
            swept.mail.append(Mail(request.details.email, subject, body))
            swept.reminded += 1
    if swept.reminded or swept.expired:
        audit.append(conn, actor=ACTOR, action="dsr.verification_swept", now=now,
                     reason="verification reminders and expiry",
                     detail={"reminded": swept.reminded, "expired": swept.expired})
    return swept
