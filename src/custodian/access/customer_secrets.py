"""A customer's CPNI password and back-up secret question on a ticket: setting them (with the change
notice of 47 CFR 64.2010(f)) and checking what a caller gives (64.2010(b), (e)).

Setting either needs the caller authenticated on the ticket first (the decision point refuses the change
otherwise); the notice goes to the address of record as it was 30 days ago. Wrong answers count against
the customer, on every ticket, over a rolling 24 hours.

Each use case joins the caller's transaction and is audited; no secret, answer or question ever
reaches an audit event, a notice or a log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import Connection

from custodian.access import store as access_store
from custodian.access.customer_mail import CustomerNotice, change_notice
from custodian.access.rules import AccessRules
from custodian.access.secret_rules import (
    FAILURE_WINDOW,
    MAX_SECRET_FAILURES,
    SECRET_KINDS,
    answer_problem,
    attempts_left,
    locked_until,
    normalise_answer,
    password_problem,
    question_problem,
)
from custodian.access.service import AccessError, addresses_of_record, authorise_change, own_ticket
from custodian.access.store import Ticket
from custodian.access.types import Actor
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.records import credentials
from custodian.records import store as records
from custodian.records.address_rules import notice_address

SecretChange = Literal["password", "secret_question"]
CLASS = "subscriber.credentials"


def set_secret(conn: Connection, keyring: Keyring, rules: AccessRules, actor: Actor, ticket_id: int, *,
               change: SecretChange, secret: str, repeat: str = "", question: str = "",
               now: datetime) -> CustomerNotice | str:
    """Create or change the CPNI password or the secret question as the customer dictates it on the
    ticket; return the notice for the e-mail of record (which never shows the new value), or the
    problem when refused (the decision is audited either way, so the caller commits either way)."""
    found = own_ticket(conn, actor, ticket_id)
    account_id = found.grant.account_id
    if change not in SECRET_KINDS:
        raise AccessError("change: the CPNI password or the secret question")
    refused = authorise_change(conn, rules, actor, found, CLASS, change, now)
    if refused:
        return refused
    view = records.read_account(conn, keyring, account_id)
    if change == "password":
        numbers = [*credentials.numbers_of(conn, keyring, account_id), view.contact_phone]
        problem = password_problem(secret, account_ref=found.account_ref, numbers=numbers)
        if problem is None and secret != repeat:
            problem = "repeat: the two passwords differ"
    else:
        problem = question_problem(question) or answer_problem(secret)
        secret = normalise_answer(secret)
    if problem:
        return problem
    notify = notice_address(addresses_of_record(conn, keyring, account_id), "email", now)
    created = credentials.store_secret(conn, keyring, account_id, SECRET_KINDS[change], secret,
                                       question=" ".join(question.split()), by=actor.username, now=now)
    audit.append(conn, actor=_who(actor), action="account.change", account_id=account_id, record_classes=(CLASS,),
                 reason=f"{_SET[change]} {'created' if created else 'changed'}",
                 detail={"ticket": ticket_id, "change": change, "created": created}, now=now)
    return change_notice(rules.provider, found.account_ref, change, notify, now, account_id=account_id)


def check_secret(conn: Connection, actor: Actor, ticket_id: int, *, method: SecretChange, given: str,
                 unprompted: bool, now: datetime) -> str:
    """Check the password or answer the caller gave; on success the ticket's caller is authenticated for
    call detail. Return "" on success, else the problem (the failure is counted and audited, so the
    caller must commit either way)."""
    found = own_ticket(conn, actor, ticket_id)
    account_id = found.grant.account_id
    if method not in SECRET_KINDS:
        raise AccessError("method: the CPNI password or the answer to the secret question")
    if found.grant.closed_at is not None or found.grant.expires_at <= now:
        raise AccessError("ticket: the ticket is no longer open")
    if not unprompted:
        raise AccessError("cpni: confirm the caller gave it without being prompted by biographical or account "
                          "information")
    until = locked_until(recent_failures(conn, account_id, now), now)
    if until is not None:
        raise AccessError(f"cpni: {MAX_SECRET_FAILURES} wrong answers for this customer in 24 hours (on any ticket); "
                          f"the next try is possible from {until:%Y-%m-%d %H:%M} UTC; until then send the call detail "
                          "to the address of record or call the customer back at the number of record")
    given = normalise_answer(given) if method == "secret_question" else given
    if credentials.secret_holds(conn, account_id, SECRET_KINDS[method], given):
        access_store.update_ticket(conn, ticket_id, cpni_verified_at=now, cpni_method=method)
        audit.append(conn, actor=_who(actor), action="ticket.cpni_verified", account_id=account_id,
                     reason=f"caller gave {_WHAT[method]}", detail={"ticket": ticket_id, "method": method}, now=now)
        return ""
    return _count_failure(conn, actor, found, method, now)


def recent_failures(conn: Connection, account_id: int, now: datetime) -> list[datetime]:
    """When the customer gave a wrong password or answer in the rolling 24 hours before `now`, on any ticket."""
    return access_store.cpni_failures_since(conn, account_id, now - FAILURE_WINDOW)


def _count_failure(conn: Connection, actor: Actor, found: Ticket, method: SecretChange, now: datetime) -> str:
    """Count a wrong answer against the customer (and the ticket); audit it; return what to tell the caller."""
    account_id, ticket_id = found.grant.account_id, found.grant.ticket_id
    access_store.add_cpni_failure(conn, account_id, ticket_id, now)
    access_store.update_ticket(conn, ticket_id, cpni_failures=found.cpni_failures + 1)
    left = attempts_left(recent_failures(conn, account_id, now), now)
    failures = MAX_SECRET_FAILURES - left
    audit.append(conn, actor=_who(actor), action="cpni.verification_failed", account_id=account_id,
                 reason=f"wrong {_WHAT[method]} ({failures} of {MAX_SECRET_FAILURES} in 24 hours)",
                 detail={"ticket": ticket_id, "method": method, "failures": failures}, now=now)
    return (f"given: not {_WHAT[method]} on file; {left} more attempt{'s' if left != 1 else ''} for this customer "
            "in 24 hours" if left else f"given: not {_WHAT[method]} on file; use an alternative now")


def authentication_on_file(conn: Connection, keyring: Keyring, actor: Actor, found: Ticket,
                           now: datetime) -> dict[str, str]:
    """Which credentials the caller can be asked for on this ticket: {"password": "", "secret_question":
    question}. The question is shown only while call detail still needs authentication (audited)."""
    if found.grant.staff_id != actor.staff_id or found.grant.cpni_verified:
        return {}
    on_file = credentials.secrets_on_file(conn, keyring, found.grant.account_id)
    offered = {method: on_file[kind].question for method, kind in SECRET_KINDS.items() if kind in on_file}
    if "secret_question" in offered:
        audit.append(conn, actor=_who(actor), action="cpni.question_shown", account_id=found.grant.account_id,
                     record_classes=(CLASS,), reason="secret question shown to authenticate the caller",
                     detail={"ticket": found.grant.ticket_id}, now=now)
    return offered


_WHAT = {"password": "the CPNI password", "secret_question": "the answer to the secret question"}
_SET = {"password": "CPNI password", "secret_question": "secret question and answer"}


def _who(actor: Actor) -> str:
    return f"staff:{actor.username}"
