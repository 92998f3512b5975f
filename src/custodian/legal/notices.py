"""Sending the customer notices a legal request owes (DRG VIII: "SpectrumVoIP's notifies its customers of Data
Requests unless precluded from doing so by law or court order ... When a Data Request is accompanied by a
nondisclosure order, SpectrumVoIP will notify the affected customer(s) as soon as the order is overturned or
expires.").

Runs after the transaction that queued the notices has committed: each message goes to the mail server outside
any transaction, and its outcome (sent, or failed with the mailer's reason) is recorded and audited afterwards
in a transaction of its own, so "sent" is never written before the server accepted the message. A crash
between the two leaves the notice pending and the `legal-notices` job sends it again (at least once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine

from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal import notice_store, service
from custodian.legal.notice_rules import notice_text, waits_for_objection
from custodian.legal.notice_store import OwedNotice
from custodian.mail.smtp import MailNotSent
from custodian.policy.compiled import CompiledPolicy
from custodian.records import store as records

NO_MAIL_SERVER = "no mail server is configured"


class Mailer(Protocol):
    """Anything that sends a plain-text e-mail."""

    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class Letter:
    """One notice ready for the mail server."""

    notice: OwedNotice
    tracking: str
    to: str
    subject: str
    body: str


def send_due(engine: Engine, keyring: Keyring, policy: CompiledPolicy, mailer: Mailer | None, *, actor: str,
             now: datetime, request_id: int | None = None, retry_failed: bool = False) -> dict[str, int]:
    """Release notices whose order ended, then send what is owed (one request, or all); returns counts."""
    counts = {"sent": 0, "failed": 0, "withheld": 0, "released": 0}
    with transaction(engine) as conn:
        if policy.document.legal.notification.after_order_expires:
            counts["released"] = _release(conn, keyring, request_id, actor=actor, now=now)
        letters = _prepare(conn, keyring, policy, request_id, retry_failed, counts, actor=actor, now=now)
    for letter in letters:
        problem = _try_send(mailer, letter)
        with transaction(engine) as conn:
            notice_store.record(conn, letter.notice, "failed" if problem else "sent",
                                problem or "customer notified by e-mail", tracking=letter.tracking, actor=actor,
                                now=now)
        counts["failed" if problem else "sent"] += 1
    return counts


def _release(conn: Connection, keyring: Keyring, request_id: int | None, *, actor: str, now: datetime) -> int:
    released = 0
    for held in notice_store.held_request_ids(conn, request_id):
        released += notice_store.release(conn, service.get(conn, keyring, held), actor=actor, now=now)
    return released


def _prepare(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int | None,
             retry_failed: bool, counts: dict[str, int], *, actor: str, now: datetime) -> list[Letter]:
    rules = policy.document.legal.notification
    letters: list[Letter] = []
    for notice in notice_store.owed(conn, request_id, retry_failed=retry_failed):
        request = service.get(conn, keyring, notice.request_id)
        if not rules.notify_customer:
            notice_store.record(conn, notice, "withheld", "the policy does not notify customers",
                                tracking=request.tracking_number, actor=actor, now=now, final=True)
            counts["withheld"] += 1
            continue
        view = records.read_account(conn, keyring, notice.account_id)
        if not view.email:
            notice_store.record(conn, notice, "failed", "the account has no e-mail address of record; send it by post",
                                tracking=request.tracking_number, actor=actor, now=now, final=True)
            counts["failed"] += 1
            continue
        until = now.date() + timedelta(days=rules.objection_days) if waits_for_objection(request.requester_type) \
            else None
        body = notice_text(policy.document.provider.name, request.tracking_number, view.ref, request.instrument_type,
                           request.requester_type, occasion=notice.occasion,
                           order_end=notice_store.order_end(request, now.date()), objection_until=until)
        letters.append(Letter(notice, request.tracking_number, view.email,
                              f"A legal request for your account {view.ref}", body))
    return letters


def _try_send(mailer: Mailer | None, letter: Letter) -> str:
    """"" when the mail server accepted the message, else its reason."""
    if mailer is None:
        return NO_MAIL_SERVER
    try:
        mailer.send(letter.to, letter.subject, letter.body)
    except MailNotSent as exc:
        return str(exc) or "the mail server refused the message"
    return ""
