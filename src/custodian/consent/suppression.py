"""Suppression lists for the provider's marketing tools (issue 16 §3): for one purpose and one contact
medium, every contact point that must not be contacted. Joins the caller's transaction.

The decision is always `consent.allowed` over a snapshot (never re-implemented here): an account whose
answer for (purpose, medium) is not allowed gives its contact points of that medium — e-mails of record and
its people's e-mails; its current numbers and contact phones (E.164) for sms and phone; its postal addresses
for post. Numbers that texted STOP without being a customer's are added to sms lists. Each list is sorted
and de-duplicated; a contact point shared with a permitted account is still suppressed.

For an opt-in purpose everyone without a grant is suppressed, so the list holds nearly every customer: a
marketing tool should rather take the permission list (`permitted=True`), the complement (contact points
of allowed accounts, minus any suppressed one). Every pull is audited (`consent.suppression_pulled`: purpose,
channel, count; no personal data).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.audit.tables import audit_event
from custodian.consent import allowed, service
from custodian.consent.opt_out_limit import OptOut, Overdue, overdue_opt_outs
from custodian.consent.sms_inbound import kept_numbers
from custodian.consent.snapshot import ConsentSnapshot
from custodian.consent.tables import consent_entry
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.kernel.phone import try_e164
from custodian.policy.compiled import CompiledPolicy
from custodian.records import payload
from custodian.records.addresses import postal_line
from custodian.records.tables import account, address_of_record, number_assignment, person, postal_address
from custodian.records.types import PostalAddress

CHANNELS = ("email", "sms", "phone", "post")
PULLED = "consent.suppression_pulled"
_BATCH = 1000
OPT_IN_NOTE = ("opt-in purpose: everyone without a grant is suppressed; a marketing tool should use the "
               "permission list (--permitted) instead")


@dataclass(frozen=True)
class ContactList:
    """One pulled list: sorted, de-duplicated contact points, and what they mean."""

    purpose: str
    channel: str
    choice: str  # the purpose's effective choice: opt_out or opt_in
    permitted: bool  # True: who MAY be contacted; False: who must not be
    contacts: Sequence[str]
    note: str

    def header(self) -> dict[str, Any]:
        """What the list is, without its contents (the JSON and the API's headers)."""
        kind = "permitted" if self.permitted else "suppressed"
        return {"purpose": self.purpose, "channel": self.channel, "choice": self.choice, "list": kind,
                "count": len(self.contacts), "note": self.note}


def pull(conn: Connection, keyring: Keyring, policy: CompiledPolicy, *, purpose: str, channel: str, actor: str,
         now: datetime, permitted: bool = False) -> ContactList:
    """Build the list of `purpose` and `channel` as of `now` and audit the pull; ValueError names the field."""
    if channel not in CHANNELS:
        raise ValueError(f"channel: {channel!r} is not one of {', '.join(CHANNELS)}")
    snapshot = service.load_snapshot(conn, policy, now, purposes=[purpose], medium=channel)
    rule = snapshot.rules.get(purpose)
    if rule is None:
        raise ValueError(f"purpose: the policy has no purpose {purpose!r}")
    if rule.choice == "none":
        raise ValueError(f"purpose: {purpose!r} is essential; nobody can opt out of it")
    blocked, open_ = _contacts(conn, keyring, snapshot, purpose, channel, now, want_open=permitted)
    contacts = sorted(open_ - blocked) if permitted else sorted(blocked)
    note = OPT_IN_NOTE if rule.choice == "opt_in" and not permitted else ""
    audit.append(conn, actor=actor, action=PULLED, reason="suppression list pulled for a marketing tool",
                 detail={"purpose": purpose, "channel": channel, "count": len(contacts), "permitted": permitted},
                 now=now)
    return ContactList(purpose, channel, rule.choice, permitted, contacts, note)


def _contacts(conn: Connection, keyring: Keyring, snapshot: ConsentSnapshot, purpose: str, channel: str,
              now: datetime, *, want_open: bool) -> tuple[set[str], set[str]]:
    """The contact points of refused accounts and, if `want_open`, of allowed ones. Every account the snapshot
    holds nothing of gets the same answer (`allowed_unknown`): when that answer allows, as for an opt-out
    purpose, only the accounts with a recorded choice can be refused and only theirs are read and decrypted."""
    default = snapshot.allowed_unknown(purpose, now, channel).allowed
    decisions = {a: allowed(snapshot, a, purpose, now, channel).allowed for a in snapshot.accounts()}
    blocked: set[str] = set()
    open_: set[str] = set()
    if default and not want_open:
        batches: Iterable[list[int]] = _chunks(sorted(a for a, answer in decisions.items() if not answer))
    else:
        batches = _account_batches(conn)
    for ids in batches:
        wanted = [a for a in ids if want_open or not decisions.get(a, default)]
        for account_id, point in _points(conn, keyring, wanted, channel):
            (open_ if decisions.get(account_id, default) else blocked).add(point)
    if channel == "sms":
        for subject, number in kept_numbers(conn, keyring).items():
            if not snapshot.allowed_subject(subject, purpose, now).allowed:
                blocked.add(number)
    return blocked, open_


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start:start + _BATCH]


def _account_batches(conn: Connection) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = [int(a) for a in conn.execute(select(account.c.id).where(account.c.id > last)
                                            .order_by(account.c.id).limit(_BATCH)).scalars()]
        if not ids:
            return
        yield ids
        last = ids[-1]


def _points(conn: Connection, keyring: Keyring, ids: list[int], channel: str) -> Iterator[tuple[int, str]]:
    """Every (account, contact point) of the medium for the accounts `ids` (shredded accounts have none)."""
    if not ids:
        return
    readers = {"email": _emails, "sms": _numbers, "phone": _numbers, "post": _postal}
    keyring.preload(conn, ids)
    for account_id, opened in readers[channel](conn, ids):
        try:
            cipher = keyring.cipher(conn, account_id)
        except AccountShredded:
            continue
        point = opened(cipher)
        if point:
            yield account_id, point


Opener = Iterator[tuple[int, Any]]


def _emails(conn: Connection, ids: list[int]) -> Opener:
    for row in conn.execute(select(person.c.account_id, person.c.email_enc)
                            .where(person.c.account_id.in_(ids), person.c.email_enc.is_not(None))):
        yield row.account_id, _opener(row.email_enc, payload.aad("person", "email", row.account_id), _email)
    yield from _of_record(conn, ids, "email", _email)


def _numbers(conn: Connection, ids: list[int]) -> Opener:
    for row in conn.execute(select(number_assignment.c.account_id, number_assignment.c.number_enc)
                            .where(number_assignment.c.account_id.in_(ids), number_assignment.c.assigned_to.is_(None))):
        yield row.account_id, _opener(row.number_enc, payload.aad("number_assignment", "number", row.account_id),
                                      _phone)
    for row in conn.execute(select(person.c.account_id, person.c.phone_enc)
                            .where(person.c.account_id.in_(ids), person.c.phone_enc.is_not(None))):
        yield row.account_id, _opener(row.phone_enc, payload.aad("person", "phone", row.account_id), _phone)


def _postal(conn: Connection, ids: list[int]) -> Opener:
    for row in conn.execute(select(postal_address).where(postal_address.c.account_id.in_(ids))):
        yield row.account_id, _address_opener(row)
    yield from _of_record(conn, ids, "postal", lambda text: " ".join(text.split()))


def _of_record(conn: Connection, ids: list[int], medium: str, normal: Any) -> Opener:
    """The newest address of record of the medium per account."""
    rows = conn.execute(select(address_of_record.c.account_id, address_of_record.c.address_enc)
                        .where(address_of_record.c.account_id.in_(ids), address_of_record.c.medium == medium)
                        .order_by(address_of_record.c.account_id, address_of_record.c.became_at.desc(),
                                  address_of_record.c.id.desc()))
    seen: set[int] = set()
    for row in rows:
        if row.account_id not in seen:
            seen.add(row.account_id)
            yield row.account_id, _opener(row.address_enc, payload.aad("address_of_record", "address",
                                                                       row.account_id), normal)


def _opener(sealed: bytes, aad: bytes, normal: Any) -> Any:
    return lambda cipher: normal(cipher.open(sealed, aad))


def _address_opener(row: Any) -> Any:
    def part(cipher: FieldCipher, name: str) -> str:
        sealed = getattr(row, f"{name}_enc")
        return cipher.open(sealed, payload.aad("postal_address", name, row.account_id)) if sealed else ""

    def opened(cipher: FieldCipher) -> str:
        line = postal_line(PostalAddress(part(cipher, "street"), part(cipher, "city"), part(cipher, "state"),
                                         part(cipher, "postal_code"), row.country or ""))
        return " ".join(line.split())
    return opened


def _email(text: str) -> str:
    return text.strip().lower()


def _phone(text: str) -> str:
    return try_e164(text) or ""


def csv_rows(found: ContactList) -> Iterator[str]:
    """The list as CSV text, a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["contact"])
    for contact in found.contacts:
        writer.writerow([contact])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def overdue(conn: Connection, policy: CompiledPolicy, now: datetime) -> list[Overdue]:
    """The opt-outs past the policy's limit that no list of their purpose and channel has carried yet."""
    limit = policy.document.consent.opt_out_business_days
    pulls: dict[tuple[str, str], datetime] = {}
    rows = conn.execute(select(audit_event.c.occurred_at, audit_event.c.detail).where(audit_event.c.action == PULLED))
    for occurred_at, detail in rows:
        found = _pull_key(detail)
        if found is not None and (found not in pulls or pulls[found] < occurred_at):
            pulls[found] = occurred_at
    opt_outs = conn.execute(select(consent_entry.c.receipt_id, consent_entry.c.purpose, consent_entry.c.medium,
                                   consent_entry.c.recorded_at)
                            .where(consent_entry.c.choice.in_(("denied", "withdrawn")),
                                   consent_entry.c.channel.not_in(("web_banner", "gpc")),
                                   consent_entry.c.recorded_at < now - timedelta(days=limit)))
    return overdue_opt_outs((OptOut(*row) for row in opt_outs), pulls, business_days=limit, now=now)


def _pull_key(detail: str) -> tuple[str, str] | None:
    try:
        parsed = json.loads(detail)
    except ValueError:
        return None
    purpose, channel = parsed.get("purpose"), parsed.get("channel")
    return (purpose, channel) if isinstance(purpose, str) and isinstance(channel, str) else None
