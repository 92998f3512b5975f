"""Telling customers of a policy version's material changes (issue 16 §5): the change in force, the e-mails
(batched, resumable: each customer told once, a failed send retried, each send recorded and audited), and
the portal banner's words.

"We will notify you of any material changes" (seed 001 P49) and "give you a choice" (002 P64): the
choices themselves are renewed through the consent ledger, whose snapshot stops counting an opt-in given
under a purpose's wording from before its material change (consent/purposes.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from custodian.access.customer_mail import CustomerNotice
from custodian.access.service import addresses_of_record
from custodian.audit import store as audit
from custodian.consent.change_notice import ChangeSummary, change_mail, summarise
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.kernel.progress import Progress
from custodian.mail.smtp import Mailer, deliver
from custodian.policy import store as policy_store
from custodian.policy.diff import diff_policies
from custodian.policy.store import PolicyVersion
from custodian.policy.tables import policy_change_notice
from custodian.records.address_rules import current
from custodian.records.tables import account

ACTOR = "job:policy-change-notices"
MAX_ATTEMPTS = 5
BANNER_DAYS = 60  # the portal shows the change this long after it takes effect
PHASE = "customers told"
_summaries: dict[tuple[str, str], ChangeSummary | None] = {}
_summaries_lock = threading.Lock()


@dataclass(frozen=True)
class PendingChange:
    """The version in force, the one before it, and what changed materially for customers."""

    previous: PolicyVersion
    current: PolicyVersion
    summary: ChangeSummary


@dataclass
class Told:
    """What one run did."""

    sent: int = 0
    failed: int = 0
    no_address: int = 0
    already: int = 0
    reasons: list[str] = field(default_factory=list)


def material_change(conn: Connection, now: datetime) -> PendingChange | None:
    """The change customers must be told of: the version in force against the previous one in force, when the
    difference has material changes; None otherwise (a first version, or wording only)."""
    versions = [v for v in policy_store.history(conn) if v.effective_at <= now]
    if not versions:
        return None
    latest = versions[0]
    previous = next((v for v in versions[1:] if v.version_hash != latest.version_hash), None)
    if previous is None:
        return None
    key = (previous.version_hash, latest.version_hash)
    with _summaries_lock:
        if key not in _summaries:
            old, new = previous.compiled().document, latest.compiled().document
            changes = diff_policies(old, new)
            found = summarise(old, new, changes)
            _summaries[key] = found if found.lines else None
        summary = _summaries[key]
    return PendingChange(previous, latest, summary) if summary else None


def sender(mailer: Mailer) -> Callable[[CustomerNotice], str]:
    """Send a notice over `mailer`: "" when the server accepted it, else why not."""

    def send(mail: CustomerNotice) -> str:
        delivery = deliver(mailer, mail.to, mail.subject, mail.body)
        return "" if delivery.sent else delivery.reason

    return send


def banner(conn: Connection, now: datetime) -> PendingChange | None:
    """The change the portal announces: a material change that took effect in the last BANNER_DAYS days."""
    change = material_change(conn, now)
    if change is None or now - change.current.effective_at > timedelta(days=BANNER_DAYS):
        return None
    return change


def tell_customers(engine: Engine, keyring: Keyring, send: Callable[[CustomerNotice], str], change: PendingChange,
                   *, link_base: str, progress: Progress, now: datetime, batch: int = 200) -> Told:
    """E-mail every account that is not closed, in account order, `batch` at a time. `send` returns "" when the
    mail server accepted the message, else why not. Customers already told (or without an address) are
    skipped; failed sends are retried up to MAX_ATTEMPTS runs. Safe to run again after a crash."""
    version = change.current.version_hash
    told = Told()
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(account).where(account.c.status != "closed")).scalar_one()
    progress.begin(PHASE, int(total))
    cursor = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(account.c.id, account.c.ref, policy_change_notice.c.state, policy_change_notice.c.attempts)
                .outerjoin(policy_change_notice, and_(policy_change_notice.c.account_id == account.c.id,
                                                      policy_change_notice.c.version_hash == version))
                .where(account.c.id > cursor, account.c.status != "closed").order_by(account.c.id).limit(batch)).all()
        if not rows:
            return told
        for row in rows:
            if row.state in ("sent", "no_address") or (row.attempts or 0) >= MAX_ATTEMPTS:
                told.already += 1
            else:
                _tell_one(engine, keyring, send, change, row, link_base=link_base, now=now, told=told)
        cursor = rows[-1].id
        progress.advance(PHASE, len(rows))


def _tell_one(engine: Engine, keyring: Keyring, send: Callable[[CustomerNotice], str], change: PendingChange,
              row: object, *, link_base: str, now: datetime, told: Told) -> None:
    account_id, ref = row.id, row.ref  # type: ignore[attr-defined]
    with engine.connect() as conn:
        try:
            found = current(addresses_of_record(conn, keyring, account_id), "email", now)
        except AccountShredded:
            found = None
    to = found.address if found else ""
    if not to:
        state, reason = "no_address", "no e-mail address of record"
        told.no_address += 1
    else:
        mail = change_mail(change.current.provider_name, ref, to, change.summary, f"{link_base}/privacy",
                           f"{link_base}/portal/preferences", account_id=account_id)
        reason = send(mail)
        state = "failed" if reason else "sent"
        if reason:
            told.failed += 1
            told.reasons.append(reason)
        else:
            told.sent += 1
    with transaction(engine) as conn:
        _record(conn, change.current.version_hash, account_id, state, now)
        audit.append(conn, actor=ACTOR, action="notice.sent" if state == "sent" else "notice.failed",
                     account_id=account_id, reason=reason or "the mail server accepted the message",
                     detail={"kind": "policy_change", "version": change.current.version_hash}, now=now)


def _record(conn: Connection, version: str, account_id: int, state: str, now: datetime) -> None:
    where = and_(policy_change_notice.c.version_hash == version, policy_change_notice.c.account_id == account_id)
    moved = conn.execute(update(policy_change_notice).where(where).values(
        state=state, attempts=policy_change_notice.c.attempts + 1, updated_at=now)).rowcount
    if not moved:
        conn.execute(insert(policy_change_notice).values(version_hash=version, account_id=account_id, state=state,
                                                         attempts=1, updated_at=now))
