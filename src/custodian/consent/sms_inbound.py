"""An inbound SMS keyword, from the gateway to the ledger (issue 16 §3). Joins the caller's transaction.

The sender is found through the numbers' blind index: the accounts a number is currently assigned to, and
the accounts whose holder gave it as contact phone. Every such account's choice is recorded. A number no
account has is honoured too, under an anonymous subject derived from its blind index (`sms-<hex>`); its
number is kept sealed (sms_keyword_number) so the suppression list can name it. HELP is answered and
audited, but it is no choice, so the ledger does not record it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from custodian.audit import store as audit
from custodian.consent import service
from custodian.consent.keyword_tables import sms_keyword_number
from custodian.consent.purposes import compile_rules, contact_purposes
from custodian.consent.sms_keywords import (
    PastChoice,
    help_text,
    keyword_of,
    restored_by_start,
    start_reply,
    stop_reply,
)
from custodian.consent.tables import consent_entry
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.kernel.phone import try_e164
from custodian.policy.compiled import CompiledPolicy
from custodian.records.tables import number_assignment, person

ACTOR = "sms-gateway"
_NUMBER_AAD = b"sms_keyword_number:number"


@dataclass(frozen=True)
class SmsAnswer:
    """What the gateway sends back (None: nothing) and how many ledger entries the message made."""

    reply: str | None
    recorded: int


def answer_inbound(conn: Connection, keyring: Keyring, policy: CompiledPolicy, *, sender: str, body: str,
                   now: datetime) -> SmsAnswer:
    """Act on one inbound message: a keyword is recorded and answered; anything else is left alone."""
    keyword = keyword_of(body)
    if keyword is None:
        return SmsAnswer(None, 0)
    provider = policy.document.provider.name
    if keyword == "help":
        audit.append(conn, actor=ACTOR, action="consent.sms_help", reason="HELP answered", now=now)
        return SmsAnswer(help_text(provider, customer_service_contact(policy)), 0)
    number = try_e164(sender) or sender.strip()
    token = keyring.blind_index(conn, "number", number)
    accounts = accounts_of_number(conn, token)
    subject = None if accounts else keep_number(conn, keyring, token, number, now)
    targets: list[tuple[int | None, str | None]] = [(a, None) for a in accounts] or [(None, subject)]
    count = 0
    for account_id, anonymous in targets:
        if keyword == "stop":
            purposes = stop_purposes(policy)
            choice = "denied"
        else:
            purposes = restored_by_start(past_choices(conn, account_id, anonymous), effective_choices(policy))
            choice = "granted"
        for purpose in purposes:
            service.record(conn, policy, account_id=account_id, subject=anonymous, purpose=purpose, choice=choice,
                           channel="sms_keyword", medium="sms", made_at=now, actor=ACTOR, now=now)
            count += 1
    return SmsAnswer(stop_reply(provider) if keyword == "stop" else start_reply(provider), count)


def effective_choices(policy: CompiledPolicy) -> dict[str, str]:
    """Each purpose's effective choice under the consent rules."""
    return {name: rule.choice for name, rule in compile_rules(policy).items()}


def stop_purposes(policy: CompiledPolicy) -> tuple[str, ...]:
    """The purposes a STOP opts out of (marketing communications the customer may choose)."""
    data_use = {name: purpose.data_use for name, purpose in policy.document.purposes.items()}
    return contact_purposes(data_use, effective_choices(policy))


def customer_service_contact(policy: CompiledPolicy) -> str:
    """The customer-service phone, e-mail or web address of the policy (else the privacy contact's)."""
    contacts = policy.document.provider.contacts
    for role in ("customer_service", "privacy"):
        for contact in contacts:
            if contact.role == role and (contact.phone or contact.email or contact.url):
                return contact.phone or contact.email or contact.url
    return policy.document.provider.website


def accounts_of_number(conn: Connection, token: bytes) -> list[int]:
    """Accounts the number is assigned to now, or whose holder gave it as contact phone."""
    assigned = select(number_assignment.c.account_id).where(number_assignment.c.number_bidx == token,
                                                           number_assignment.c.assigned_to.is_(None))
    holders = select(person.c.account_id).where(person.c.phone_bidx == token, person.c.role == "holder")
    found = {int(a) for a in conn.execute(assigned).scalars()} | {int(a) for a in conn.execute(holders).scalars()}
    return sorted(found)


def subject_of(token: bytes) -> str:
    """The anonymous ledger subject of a number no account has: derived from its blind index only."""
    return "sms-" + token.hex()[:32]


def number_cipher(conn: Connection, keyring: Keyring) -> FieldCipher:
    """The cipher sealing kept numbers: a key derived from the blind-index key (re-wrapped with it)."""
    return FieldCipher(hmac.digest(keyring.index_key(conn), b"sms keyword numbers:v1", hashlib.sha256))


def keep_number(conn: Connection, keyring: Keyring, token: bytes, number: str, now: datetime) -> str:
    """Keep a non-customer's number sealed under its subject (once); return the subject."""
    subject = subject_of(token)
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    kept = conn.execute(insert(sms_keyword_number).values(
        subject=subject, number_enc=number_cipher(conn, keyring).seal(number, _NUMBER_AAD), first_seen_at=now,
    ).on_conflict_do_nothing(index_elements=["subject"]))
    if kept.rowcount:
        audit.append(conn, actor=ACTOR, action="consent.sms_number_kept", reason="a non-customer texted a keyword",
                     detail={"subject": subject}, now=now)
    return subject


def kept_numbers(conn: Connection, keyring: Keyring) -> dict[str, str]:
    """Every kept number by subject, opened."""
    cipher = number_cipher(conn, keyring)
    rows = conn.execute(select(sms_keyword_number.c.subject, sms_keyword_number.c.number_enc))
    return {row.subject: cipher.open(row.number_enc, _NUMBER_AAD) for row in rows}


def past_choices(conn: Connection, account_id: int | None, subject: str | None) -> list[PastChoice]:
    """The sender's earlier ledger entries."""
    who = consent_entry.c.account_id == account_id if account_id is not None else consent_entry.c.subject == subject
    rows = conn.execute(select(consent_entry.c.purpose, consent_entry.c.medium, consent_entry.c.choice,
                               consent_entry.c.channel, consent_entry.c.made_at).where(who))
    return [PastChoice(row.purpose, row.medium, row.choice, row.channel, row.made_at) for row in rows]
