"""The abuse desk's use cases: the scan that fills the queue, and the actions an analyst takes on an abuse ticket.

002 P104: usage "in comparison to typical levels"; P105: "Prior to taking such action, SpectrumVoIP will attempt to
contact the Customer": a block or a deletion is refused until a contact is recorded on the ticket. 004 P35: "review,
delete or block access to communications that may harm". Every change is audited in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from custodian.abuse import store
from custodian.abuse.profile import find_outliers
from custodian.access.store import Ticket, ticket_by_id
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.kernel.phone import to_e164
from custodian.policy.compiled import CompiledPolicy
from custodian.records import payload
from custodian.records.rules import CONTENT_KINDS
from custodian.retention.customer_deletion import ContentChoice, CustomerDeletion, content_choices, delete_for_customer

CONTACT_METHODS = ("phone", "email", "letter")
CONTACT_OUTCOMES = ("reached", "no_answer", "message_left", "sent")
DELETABLE = frozenset(CONTENT_KINDS.values())
MIN_REASON = 10


class DeskRefused(ValueError):
    """The action is not allowed; the message says why."""


@dataclass(frozen=True)
class Scan:
    """One scan: accounts compared, in groups too small to compare, cases opened and refreshed."""

    compared: int
    uncompared: int
    opened: int
    refreshed: int

    def as_json(self) -> dict[str, int]:
        """The CLI's answer."""
        return {"compared": self.compared, "uncompared": self.uncompared, "opened": self.opened,
                "refreshed": self.refreshed}


def scan(conn: Connection, policy: CompiledPolicy, *, actor: str, now: datetime) -> Scan:
    """Compare every open account's usage with its peers and put those above the threshold in the queue."""
    settings = policy.document.abuse
    usages = store.usages(conn, now, settings.window_days)
    findings, uncompared = find_outliers(usages, percentile=settings.threshold_percentile,
                                         window_days=settings.window_days, min_peer_group=settings.min_peer_group)
    opened, refreshed = store.save_findings(conn, findings, settings.window_days, now)
    result = Scan(len(usages) - uncompared, uncompared, opened, refreshed)
    audit.append(conn, actor=actor, action="abuse.scan", now=now, reason="usage compared with peer groups",
                 detail={**result.as_json(), "percentile": settings.threshold_percentile,
                         "window_days": settings.window_days})
    return result


def abuse_ticket(conn: Connection, policy: CompiledPolicy, ticket_id: int, now: datetime,
                 staff_id: int | None = None) -> Ticket:
    """The open abuse ticket the action is taken on (of this staff member, when one is named), or DeskRefused."""
    found = ticket_by_id(conn, ticket_id)
    if found is None or (staff_id is not None and found.grant.staff_id != staff_id):
        raise DeskRefused(f"ticket {ticket_id}: no such ticket of yours")
    if found.grant.topic != policy.document.abuse.topic:
        raise DeskRefused(f"ticket {ticket_id}: not an abuse ticket (topic {policy.document.abuse.topic!r})")
    if found.grant.closed_at is not None or found.grant.expires_at <= now:
        raise DeskRefused(f"ticket {ticket_id}: closed or expired; open a new abuse ticket")
    return found


def record_contact(conn: Connection, ticket: Ticket, *, method: str, outcome: str, actor: str,
                   now: datetime) -> None:
    """Record that the customer was contacted (or an attempt was made) about the usage, on the ticket."""
    if method not in CONTACT_METHODS:
        raise DeskRefused(f"method: one of {', '.join(CONTACT_METHODS)}")
    if outcome not in CONTACT_OUTCOMES:
        raise DeskRefused(f"outcome: one of {', '.join(CONTACT_OUTCOMES)}")
    store.add_contact(conn, ticket_id=ticket.grant.ticket_id, account_id=ticket.grant.account_id, method=method,
                      outcome=outcome, by=actor, now=now)
    audit.append(conn, actor=actor, action="abuse.contact", account_id=ticket.grant.account_id, now=now,
                 reason=f"customer contacted by {method}: {outcome}",
                 detail={"ticket": ticket.grant.ticket_id, "method": method, "outcome": outcome})


def _contacted_first(conn: Connection, ticket: Ticket, reason: str) -> str:
    if not store.contacts_on(conn, ticket.grant.ticket_id):
        raise DeskRefused("contact_first: record a contact with the customer on this ticket before any action "
                          "(002 P105)")
    words = reason.strip()
    if len(words) < MIN_REASON:
        raise DeskRefused(f"reason: say why, in at least {MIN_REASON} characters")
    return words


def block_number(conn: Connection, keyring: Keyring, ticket: Ticket, *, number: str, reason: str, actor: str,
                 now: datetime) -> int:
    """Block one of the account's numbers from sending; return the block's id."""
    words = _contacted_first(conn, ticket, reason)
    account_id = ticket.grant.account_id
    e164 = to_e164(number)
    bidx = keyring.blind_index(conn, "number", e164)
    if not store.holds_number(conn, account_id, bidx, now):
        raise DeskRefused("number: not a number this account holds")
    if store.active_block(conn, bidx) is not None:
        raise DeskRefused("number: already blocked")
    sealed = keyring.cipher(conn, account_id).seal(e164, payload.aad("number_block", "number", account_id))
    block_id = store.insert_block(conn, account_id=account_id, number_bidx=bidx, number_enc=sealed,
                                  ticket_id=ticket.grant.ticket_id, reason=words, blocked_by=actor, blocked_at=now)
    audit.append(conn, actor=actor, action="abuse.block", account_id=account_id, record_classes=["numbers.assignments"],
                 now=now, reason=words, detail={"ticket": ticket.grant.ticket_id, "block": block_id})
    return block_id


def lift_block(conn: Connection, policy: CompiledPolicy, ticket: Ticket, *, block_id: int, reason: str, actor: str,
               now: datetime) -> None:
    """Lift a block, where the policy lets blocks be undone."""
    if not policy.document.abuse.blocks_reversible:
        raise DeskRefused("irreversible: the policy does not let a number block be lifted (abuse.blocks_reversible)")
    words = reason.strip()
    if len(words) < MIN_REASON:
        raise DeskRefused(f"reason: say why, in at least {MIN_REASON} characters")
    if not store.lift_block(conn, block_id, ticket.grant.account_id, by=actor, reason=words, now=now):
        raise DeskRefused(f"block {block_id}: no block in force on this account")
    audit.append(conn, actor=actor, action="abuse.unblock", account_id=ticket.grant.account_id,
                 record_classes=["numbers.assignments"], now=now, reason=words,
                 detail={"ticket": ticket.grant.ticket_id, "block": block_id})


def deletable_classes(policy: CompiledPolicy) -> frozenset[str]:
    """The stored communications the abuse desk may delete: every content class the policy collects."""
    return frozenset(DELETABLE & policy.collected)


def communications(conn: Connection, policy: CompiledPolicy, ticket: Ticket, *, actor: str,
                   now: datetime) -> list[ContentChoice]:
    """The account's stored communications the analyst may pick to delete (kind, direction, time; never content)."""
    return content_choices(conn, ticket.grant.account_id, deletable_classes(policy), actor=actor,
                           action="abuse.content_listed", now=now,
                           reason=f"abuse desk, ticket {ticket.grant.ticket_id}: communications that may be deleted")


def delete_communication(conn: Connection, policy: CompiledPolicy, ticket: Ticket, *, record_key: bytes,
                         reason: str, actor: str, now: datetime) -> CustomerDeletion:
    """Delete a harmful stored communication of the account: final, and kept until a legal hold on it ends."""
    words = _contacted_first(conn, ticket, reason)
    outcome = delete_for_customer(conn, account_id=ticket.grant.account_id, record_key=record_key, actor=actor,
                                  now=now, deletable=deletable_classes(policy),
                                  reason=f"abuse desk, ticket {ticket.grant.ticket_id}: {words}")
    audit.append(conn, actor=actor, action="abuse.delete", account_id=ticket.grant.account_id,
                 record_classes=[outcome.record_class], now=now, reason=words,
                 detail={"ticket": ticket.grant.ticket_id, "outcome": outcome.outcome})
    return outcome


def blocked_numbers(conn: Connection, keyring: Keyring, account_id: int) -> list[tuple[store.Block, str]]:
    """The account's blocks with their numbers, newest first."""
    cipher = keyring.cipher(conn, account_id)
    aad = payload.aad("number_block", "number", account_id)
    return [(block, cipher.open(block.number_enc, aad)) for block in store.blocks_of(conn, account_id)]


def is_blocked(conn: Connection, keyring: Keyring, number: str) -> bool:
    """Whether a number is blocked from sending now (what the switch and the SMS gateway ask)."""
    return store.active_block(conn, keyring.blind_index(conn, "number", to_e164(number))) is not None
