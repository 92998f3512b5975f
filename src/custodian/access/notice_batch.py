"""E-mailing many customers one notice each: batched, resumable and logged. The policy-change notices
(consent/policy_change.py) and the business-transfer notices (disclosures/transfer.py) both run through here.

A run walks the target accounts in id order, `batch` at a time; each customer is written to at the e-mail
address of record, once: the notice log (a table of key, account, state, attempts) keeps who was told, so a
run after a crash or a failed send carries on where it stopped. A failed send is retried on later runs, up
to MAX_ATTEMPTS. Each send is audited (`notice.sent` or `notice.failed`, naming the account, never the
address), in the same transaction as its log row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Table, and_, func, insert, select, update

from custodian.access.customer_mail import CustomerNotice
from custodian.access.service import addresses_of_record
from custodian.audit import store as audit
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.kernel.progress import Progress
from custodian.records.address_rules import current
from custodian.records.tables import account

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class NoticeRun:
    """One notice to many customers: where its log is, whom it is for, what each mail says, how it is audited.

    `log` has columns `key_column`, account_id, state, attempts and updated_at, unique on (key, account);
    `targets` is a condition on the `account` table; `compose(account_id, account_ref, to)` writes one mail."""

    phase: str
    log: Table
    key_column: str
    key: Any
    targets: ColumnElement[bool]
    compose: Callable[[int, str, str], CustomerNotice]
    actor: str
    detail: dict[str, object]


@dataclass
class Told:
    """What one run did."""

    sent: int = 0
    failed: int = 0
    no_address: int = 0
    already: int = 0
    reasons: list[str] = field(default_factory=list)


def send_notices(engine: Engine, keyring: Keyring, send: Callable[[CustomerNotice], str], run: NoticeRun, *,
                 progress: Progress, now: datetime, batch: int = 200) -> Told:
    """E-mail every target account, in account order, `batch` at a time. `send` returns "" when the mail server
    accepted the message, else why not. Customers already told (or without an address) are skipped; failed sends
    are retried up to MAX_ATTEMPTS runs. Safe to run again after a crash."""
    key_of = run.log.c[run.key_column]
    told = Told()
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(account).where(run.targets)).scalar_one()
    progress.begin(run.phase, int(total))
    cursor = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(account.c.id, account.c.ref, run.log.c.state, run.log.c.attempts)
                .outerjoin(run.log, and_(run.log.c.account_id == account.c.id, key_of == run.key))
                .where(account.c.id > cursor, run.targets).order_by(account.c.id).limit(batch)).all()
        if not rows:
            return told
        for row in rows:
            if row.state in ("sent", "no_address") or (row.attempts or 0) >= MAX_ATTEMPTS:
                told.already += 1
            else:
                _tell_one(engine, keyring, send, run, row.id, row.ref, now=now, told=told)
        cursor = rows[-1].id
        progress.advance(run.phase, len(rows))


def _tell_one(engine: Engine, keyring: Keyring, send: Callable[[CustomerNotice], str], run: NoticeRun,
              account_id: int, ref: str, *, now: datetime, told: Told) -> None:
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
        reason = send(run.compose(account_id, ref, to))
        state = "failed" if reason else "sent"
        if reason:
            told.failed += 1
            told.reasons.append(reason)
        else:
            told.sent += 1
    with transaction(engine) as conn:
        _record(conn, run, account_id, state, now)
        audit.append(conn, actor=run.actor, action="notice.sent" if state == "sent" else "notice.failed",
                     account_id=account_id, reason=reason or "the mail server accepted the message",
                     detail=run.detail, now=now)


def _record(conn: Connection, run: NoticeRun, account_id: int, state: str, now: datetime) -> None:
    where = and_(run.log.c[run.key_column] == run.key, run.log.c.account_id == account_id)
    moved = conn.execute(update(run.log).where(where).values(
        state=state, attempts=run.log.c.attempts + 1, updated_at=now)).rowcount
    if not moved:
        conn.execute(insert(run.log).values({run.key_column: run.key, "account_id": account_id, "state": state,
                                             "attempts": 1, "updated_at": now}))
