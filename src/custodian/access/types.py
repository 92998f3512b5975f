"""Values the decision point reads and returns (pure; seed 000: "such access is limited by need")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from custodian.access.rules import AccessRules

Action = Literal["read", "look_up", "change"]
Channel = Literal["inbound_call", "chat", "email", "in_person"]
CHANNELS: tuple[Channel, ...] = ("inbound_call", "chat", "email", "in_person")
# Built-in role outside the policy's roles: reviews the audit trail and break-glass, sees no records.
PRIVACY_OFFICER = "privacy_officer"


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in staff member: who, in which role, and which policy version they acknowledged."""

    staff_id: int
    username: str
    role: str
    acknowledged_version: str | None


@dataclass(frozen=True, slots=True)
class TicketGrant:
    """A ticket as the decision point sees it: whose account, about what, through which channel, until when."""

    ticket_id: int
    staff_id: int
    account_id: int
    topic: str
    channel: Channel
    expires_at: datetime
    closed_at: datetime | None = None
    cpni_verified: bool = False


@dataclass(frozen=True, slots=True)
class Context:
    """Everything else a decision depends on: the compiled rules, the ticket, a break-glass reason.

    `now` is passed in, never read.
    """

    now: datetime
    rules: AccessRules
    ticket: TicketGrant | None = None
    break_glass_reason: str = ""
    change: str = ""  # for action "change": which (address_of_record, password, ...)


@dataclass(frozen=True, slots=True)
class Decision:
    """Permit or deny one record class, with the mask to apply and the reason, for the audit trail."""

    permit: bool
    record_class: str
    reason: str
    purpose: str = ""
    mask: str | None = None
    break_glass: bool = False
    alternatives: tuple[str, ...] = field(default_factory=tuple)
