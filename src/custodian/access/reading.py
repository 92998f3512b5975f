"""The one path by which staff read subscriber data: every class goes through `decide`, every
decision (permit and deny) is appended to the audit chain with the read, and only permitted
classes are read, masked as decided."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from custodian.access.decide import decide
from custodian.access.sections import NO_STORE, READERS, RowWindow, Section
from custodian.access.types import Action, Actor, Context, Decision
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.kernel.phone import try_e164
from custodian.records import store as records
from custodian.records.tables import (
    account,
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    e911_address,
    fax_log,
    number_assignment,
    payment_instrument,
    person,
    sms_log,
)


@dataclass(frozen=True)
class AccountPage:
    """The decisions for an account's classes and the sections of those permitted."""

    account_id: int
    decisions: tuple[Decision, ...]
    sections: dict[str, Section] = field(default_factory=dict)

    def permitted(self, record_class: str) -> bool:
        """True when `record_class` was permitted."""
        return record_class in self.sections


@dataclass(frozen=True)
class DirectoryEntry:
    """What a look-up shows before a ticket exists: the account reference, kind and status."""

    account_id: int
    ref: str
    kind: str
    status: str


@dataclass(frozen=True)
class UnauditedPage:
    """An account page decided and read but not yet audited: `audited` writes its audit events and only then
    gives the page, so a caller may read outside the writing transaction (no write lock held while it reads and
    decrypts) and never hold the data without its audit events."""

    _page: AccountPage
    _actor: Actor
    _context: Context
    _ticket_id: int | None

    def audited(self, conn: Connection) -> AccountPage:
        """Append every decision to the audit chain in `conn`'s transaction; the page to show once it commits."""
        _audit(conn, self._actor, "read", self._page.account_id, self._page.decisions, self._context,
               self._ticket_id)
        return self._page


def prepare_account_page(conn: Connection, keyring: Keyring, actor: Actor, account_id: int,
                         classes: Iterable[str], context: Context, *, ticket_id: int | None = None,
                         window: RowWindow | None = None) -> UnauditedPage:
    """Decide each class and read only the permitted ones (their lists inside `window`, one page each)."""
    decisions = tuple(decide(actor, "read", account_id, name, context) for name in classes)
    window = window or RowWindow()
    sections = {d.record_class: _read(conn, keyring, account_id, d, window) for d in decisions if d.permit}
    return UnauditedPage(AccountPage(account_id, decisions, sections), actor, context, ticket_id)


def read_account_page(conn: Connection, keyring: Keyring, actor: Actor, account_id: int,
                      classes: Iterable[str], context: Context, *, ticket_id: int | None = None,
                      window: RowWindow | None = None) -> AccountPage:
    """Decide each class, read only the permitted classes, and audit every decision in one batch, in `conn`'s
    transaction (audited last: the audit chain's head stays locked only from there to the commit)."""
    return prepare_account_page(conn, keyring, actor, account_id, classes, context, ticket_id=ticket_id,
                                window=window).audited(conn)


def look_up(conn: Connection, keyring: Keyring, actor: Actor, query: str, context: Context) -> list[DirectoryEntry]:
    """Accounts matching an account reference, a number or an e-mail (blind index), as directory entries."""
    query = query.strip()
    if not query:
        return []
    found: list[int] = []
    if "@" in query:
        found = records.accounts_by_email(conn, keyring, query)
    elif (number := try_e164(query)) is not None:
        token = keyring.blind_index(conn, "number", number)
        found = [a.account_id for a in records.assignments_of(conn, token)]
        found += list(conn.execute(select(person.c.account_id).where(person.c.phone_bidx == token)).scalars())
    else:
        by_ref = records.account_id_by_ref(conn, query)
        found = [by_ref] if by_ref is not None else []
    entries = []
    for account_id in dict.fromkeys(found):
        decision = decide(actor, "look_up", account_id, "subscriber.basic", context)
        _audit(conn, actor, "look_up", account_id, (decision,), context, None)
        if decision.permit:
            row = conn.execute(select(account.c.ref, account.c.kind, account.c.status)
                               .where(account.c.id == account_id)).one()
            entries.append(DirectoryEntry(account_id, row.ref, row.kind, row.status))
    return entries


def _audit(conn: Connection, actor: Actor, action: Action, account_id: int, decisions: tuple[Decision, ...],
           context: Context, ticket_id: int | None) -> None:
    audit.append_many(conn, ({
        "actor": f"staff:{actor.username}",
        "action": "access.permit" if d.permit else "access.deny",
        "account_id": account_id,
        "record_classes": (d.record_class,),
        "reason": d.reason,
        "detail": {"ticket": ticket_id, "purpose": d.purpose, "mask": d.mask, "action": action,
                   "break_glass": d.break_glass, "policy": context.rules.version[:16],
                   **({"break_glass_reason": context.break_glass_reason} if d.break_glass else {})},
    } for d in decisions), now=context.now)


def _read(conn: Connection, keyring: Keyring, account_id: int, decision: Decision, window: RowWindow) -> Section:
    reader = READERS.get(decision.record_class)
    if decision.mask == "counts_only" or reader is None:
        count = _count(conn, account_id, decision.record_class)
        return Section(count=count, note=NO_STORE if count is None else "")
    return reader(conn, keyring, account_id, decision.mask, window)


_COUNTED = {
    "cpni.call_log": (call_log, None), "cpni.fax_log": (fax_log, None), "cpni.sms_log": (sms_log, None),
    "numbers.assignments": (number_assignment, None), "support.comment_log": (comment_log, None),
    "billing.transactions": (billing_transaction, None), "billing.payment_instrument": (payment_instrument, None),
    "location.e911_address": (e911_address, None),
    "content.voice_message": (content_item, "voice_message"),
    "content.call_recording": (content_item, "call_recording"),
    "content.fax_incoming": (content_item, "fax_incoming"), "content.fax_outgoing": (content_item, "fax_outgoing"),
    "content.sms_body": (content_item, "sms_body"), "content.chat": (content_item, "chat"),
}


def _count(conn: Connection, account_id: int, record_class: str) -> int | None:
    table_kind = _COUNTED.get(record_class)
    if table_kind is None:
        return None
    table, kind = table_kind
    where = [table.c.account_id == account_id] + ([table.c.kind == kind] if kind else [])
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())
