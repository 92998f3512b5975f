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
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from custodian.access.customer_mail import CustomerNotice
from custodian.access.notice_batch import NoticeRun, Told, send_notices
from custodian.consent.change_notice import ChangeSummary, change_mail, summarise
from custodian.crypto.keyring import Keyring
from custodian.kernel.progress import Progress
from custodian.mail.smtp import Mailer, deliver
from custodian.policy import store as policy_store
from custodian.policy.diff import diff_policies
from custodian.policy.store import PolicyVersion
from custodian.policy.tables import policy_change_notice
from custodian.records.tables import account

ACTOR = "job:policy-change-notices"
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
    """E-mail every account that is not closed, in account order, `batch` at a time (access/notice_batch.py:
    each customer told once, failed sends retried up to MAX_ATTEMPTS runs; safe to run again after a crash)."""
    summary, provider = change.summary, change.current.provider_name

    def compose(account_id: int, ref: str, to: str) -> CustomerNotice:
        return change_mail(provider, ref, to, summary, f"{link_base}/privacy", f"{link_base}/portal/preferences",
                           account_id=account_id)

    version = change.current.version_hash
    run = NoticeRun(PHASE, policy_change_notice, "version_hash", version, account.c.status != "closed", compose,
                    ACTOR, {"kind": "policy_change", "version": version})
    return send_notices(engine, keyring, send, run, progress=progress, now=now, batch=batch)
