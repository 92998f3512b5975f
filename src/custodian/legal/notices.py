"""Telling customers about requests for their records (DRG VIII: "SpectrumVoIP's notifies its customers of
Data Requests unless precluded from doing so by law or court order ... When a Data Request is accompanied by
a nondisclosure order, SpectrumVoIP will notify the affected customer(s) as soon as the order is overturned
or expires."). Every notice — sent, withheld or failed — is logged once per request and account."""

from __future__ import annotations

import smtplib
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Connection, insert, select

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.legal import service
from custodian.legal.tables import legal_notice, legal_production, legal_request
from custodian.mail.smtp import MailNotSent
from custodian.policy.compiled import CompiledPolicy
from custodian.records import store as records


class Mailer(Protocol):
    """Anything that sends a plain-text e-mail."""

    def send(self, to: str, subject: str, body: str) -> None: ...


def notice_text(provider: str, tracking: str, account_ref: str, instrument: str, requester_type: str) -> str:
    """The customer notice: who asked (by kind), under what process, for which account."""
    return (f"{provider} received a legal request ({tracking}) from a {requester_type.replace('_', ' ')} requester "
            f"under a {instrument.replace('_', ' ')} for records of your account {account_ref}.\n\n"
            "We are telling you so that you may seek legal advice or object to the request if you wish. "
            "Please quote the request number in any correspondence.\n")


def notify_customers(conn: Connection, keyring: Keyring, policy: CompiledPolicy, mailer: Mailer, request_id: int,
                     *, actor: str, now: datetime) -> dict[str, int]:
    """Notify each produced account's customer unless a nondisclosure order forbids it; returns counts."""
    request = service.get(conn, keyring, request_id)
    rules = policy.document.legal.notification
    counts = {"sent": 0, "withheld": 0, "failed": 0}
    account_ids = list(conn.execute(select(legal_production.c.account_id)
                                    .where(legal_production.c.request_id == request_id).distinct()).scalars())
    for account_id in account_ids:
        if _already(conn, request_id, account_id, "sent"):
            continue
        if not rules.notify_customer:
            outcome, reason = "withheld", "the policy does not notify customers"
        elif request.nondisclosure and _gagged(request.nondisclosure_until, now.date()) \
                and rules.unless_nondisclosure_order:
            until = request.nondisclosure_until.isoformat() if request.nondisclosure_until else "further order"
            outcome, reason = "withheld", f"nondisclosure order until {until}"
        else:
            outcome, reason = _send(conn, keyring, policy, mailer, request, account_id)
        if not _already(conn, request_id, account_id, outcome):
            conn.execute(insert(legal_notice).values(request_id=request_id, account_id=account_id, outcome=outcome,
                                                     reason=reason, logged_at=now))
            audit.append(conn, actor=actor, action=f"legal.notice.{outcome}", account_id=account_id, reason=reason,
                         detail={"request": request.tracking_number}, now=now)
        counts[outcome] += 1
    return counts


def requests_due_notice(conn: Connection, today: date) -> list[int]:
    """Produced requests whose nondisclosure order has expired by `today` (the expiry job's work list)."""
    return list(conn.execute(select(legal_request.c.id).where(
        legal_request.c.nondisclosure.is_(True), legal_request.c.nondisclosure_until.is_not(None),
        legal_request.c.nondisclosure_until <= today,
        legal_request.c.id.in_(select(legal_production.c.request_id)))).scalars())


def _gagged(until: date | None, today: date) -> bool:
    return until is None or today < until


def _already(conn: Connection, request_id: int, account_id: int, outcome: str) -> bool:
    return conn.execute(select(legal_notice.c.id).where(
        legal_notice.c.request_id == request_id, legal_notice.c.account_id == account_id,
        legal_notice.c.outcome == outcome)).first() is not None


def _send(conn: Connection, keyring: Keyring, policy: CompiledPolicy, mailer: Mailer,
          request: service.StoredRequest, account_id: int) -> tuple[str, str]:
    view = records.read_account(conn, keyring, account_id)
    if not view.email:
        return "failed", "the account has no e-mail address"
    body = notice_text(policy.document.provider.name, request.tracking_number, view.ref, request.instrument_type,
                       request.requester_type)
    try:
        mailer.send(view.email, f"A legal request for your account {view.ref}", body)
    except (OSError, smtplib.SMTPException, MailNotSent) as exc:
        return "failed", f"SMTP: {type(exc).__name__}"
    return "sent", "customer notified by e-mail"
