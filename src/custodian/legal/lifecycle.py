"""The life of a legal request and the desk's queue (SpectrumVoIP DRG V.C "Time for Response", X).

"Requests are generally handled in the order received, subject to other pending expedited requests,
with law enforcement requests given priority"; "generally a response may be expected within thirty
(30) days"; "please allow SpectrumVoIP ten (10) business days to respond to your request before you
inquire as to its status".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from custodian.legal.calendar import add_business_days

STATES = ("received", "needs_information", "in_review", "approved", "producing", "awaiting_payment",
          "delivered", "closed", "rejected", "withdrawn")
FINAL_STATES = frozenset({"closed", "rejected", "withdrawn"})
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"needs_information", "in_review", "rejected", "withdrawn"}),
    "needs_information": frozenset({"in_review", "needs_information", "rejected", "withdrawn"}),
    "in_review": frozenset({"approved", "needs_information", "rejected", "withdrawn"}),
    "approved": frozenset({"producing", "withdrawn", "closed"}),  # closed: a preservation ends unproduced
    "producing": frozenset({"awaiting_payment", "delivered", "withdrawn"}),
    "awaiting_payment": frozenset({"delivered", "withdrawn"}),
    "delivered": frozenset({"closed"}),
    "closed": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
RESPONSE_DAYS = 30
STATUS_INQUIRY_BUSINESS_DAYS = 10
REQUESTER_PRIORITY = {"law_enforcement": 0, "foreign_government": 1, "civil": 2, "customer": 3}


class TransitionNotAllowed(ValueError):
    """The request cannot move from its state to the one asked for."""


def check_transition(current: str, target: str) -> None:
    """Raise TransitionNotAllowed unless `current` -> `target` is a step of the lifecycle."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(f"a request that is {current} cannot become {target}")


@dataclass(frozen=True)
class QueueEntry:
    """What the queue orders by."""

    request_id: int
    requester_type: str
    kind: str
    expedite: bool
    received_at: datetime


def queue_order(entries: Iterable[QueueEntry]) -> list[QueueEntry]:
    """Emergencies first, then law enforcement before civil, expedited before the rest, then order received."""
    return sorted(entries, key=lambda e: (e.kind != "emergency", REQUESTER_PRIORITY.get(e.requester_type, 9),
                                          not e.expedite, e.received_at, e.request_id))


def due_on(received_on: date, requested_response_on: date | None) -> date:
    """When the response is due: the requested date, else thirty days after receipt."""
    default = received_on + timedelta(days=RESPONSE_DAYS)
    return requested_response_on or default


def inquiry_allowed_on(received_on: date) -> date:
    """The first day a requester may ask about status: ten business days after receipt."""
    return add_business_days(received_on, STATUS_INQUIRY_BUSINESS_DAYS)
