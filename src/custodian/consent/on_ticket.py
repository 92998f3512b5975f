"""A representative records a customer's choice on a ticket (issue 16 §3): "audited, with the customer told
by e-mail". The choice goes through the ledger (channel `representative`, or `written_form` when the customer
sent it in writing) with the ticket's id; the notice goes to the e-mail address of record and names no other
value of the account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from custodian.access import service as access
from custodian.access.customer_mail import CustomerNotice
from custodian.access.service import AccessError, addresses_of_record
from custodian.access.types import Actor
from custodian.consent import service
from custodian.consent.preferences import MEDIUM_LABELS
from custodian.consent.types import Entry
from custodian.crypto.keyring import Keyring
from custodian.policy.compiled import CompiledPolicy
from custodian.records.address_rules import current

HOW = {"representative": "told our representative", "written_form": "sent us in writing"}
CHOICE_WORDS = {"granted": "yes", "denied": "no", "withdrawn": "consent withdrawn"}


def record_on_ticket(conn: Connection, keyring: Keyring, policy: CompiledPolicy, actor: Actor, ticket_id: int, *,
                     purpose: str, medium: str, choice: str, how: str, now: datetime) -> tuple[Entry, CustomerNotice]:
    """Record the choice the customer made on the actor's own open ticket; return it and the customer's notice.
    AccessError when the ticket is closed or the answer does not fit (naming the field)."""
    found = access.own_ticket(conn, actor, ticket_id)
    if found.grant.closed_at is not None or found.grant.expires_at <= now:
        raise AccessError("ticket: the ticket is closed; open a new one for the customer")
    if how not in HOW:
        raise AccessError(f"how: {how!r} is not one of {', '.join(HOW)}")
    try:
        entry = service.record(conn, policy, account_id=found.grant.account_id, purpose=purpose, choice=choice,
                               channel=how, medium=medium, made_at=now, actor=f"staff:{actor.username}",
                               ticket_id=ticket_id, now=now)
    except ValueError as exc:
        raise AccessError(str(exc)) from exc
    address = current(addresses_of_record(conn, keyring, found.grant.account_id), "email", now)
    description = policy.document.purposes[purpose].description.rstrip(".")
    what = description if medium == "any" else f"{description} - by {MEDIUM_LABELS[medium].lower()}"
    body = (f"This is a notice from {policy.document.provider.name} about account {found.account_ref}.\n\n"
            f"On {now:%Y-%m-%d at %H:%M} UTC you {HOW[how]} your choice:\n\n  {what}: {CHOICE_WORDS[choice]}\n\n"
            "If you did not make this choice, contact us. You can see and change every choice, and download a "
            "receipt of each, in the customer portal under \"Your choices\".\n")
    notice = CustomerNotice(to=address.address if address else "", subject=f"{policy.document.provider.name}: "
                            "your choice was recorded", body=body, account_id=found.grant.account_id)
    return entry, notice
