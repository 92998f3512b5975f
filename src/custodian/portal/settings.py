"""The customer's settings: the registered 911 location of each number (seed 002 P92–P94: one location per
device, registered again after a move, every registration kept), and how long chat is kept (seed 002: set
by the customer, 24 hours and up) where the policy lets them set it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from custodian.access import self_access
from custodian.access.rules import AccessRules
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.policy.compiled import CompiledPolicy
from custodian.portal.service import ACTOR, PortalError
from custodian.records import payload
from custodian.records.tables import account, e911_address, number_assignment
from custodian.retention.planner import schedule_of
from custodian.retention.rules import CUSTOMER_INTERVAL
from custodian.retention.tables import account_retention_choice

E911_PARTS = ("street", "city", "state", "postal_code")


@dataclass(frozen=True)
class Location:
    """One registration of a 911 location."""

    line: str
    registered_at: datetime


@dataclass(frozen=True)
class Line:
    """A number the customer holds now, with its 911 registrations, newest first."""

    assignment_id: int
    number: str
    locations: tuple[Location, ...]


def lines_of(conn: Connection, keyring: Keyring, rules: AccessRules, account_id: int, now: datetime) -> list[Line]:
    """The numbers the account holds now, each with its registered 911 locations (an audited self-access)."""
    decisions = [self_access.decide_own(rules, name) for name in ("numbers.assignments", "location.e911_address")]
    self_access.record(conn, rules, account_id, decisions, "read", now)
    if not all(d.permit for d in decisions):
        return []
    cipher = keyring.cipher(conn, account_id)
    c = number_assignment.c
    held = conn.execute(select(c.id, c.number_bidx, c.number_enc).where(
        c.account_id == account_id, c.assigned_from <= now, (c.assigned_to.is_(None)) | (c.assigned_to > now))
        .order_by(c.assigned_from)).all()
    e = e911_address.c
    found = []
    for row in held:
        registered = conn.execute(select(e911_address).where(e.account_id == account_id,
                                                             e.number_bidx == row.number_bidx)
                                  .order_by(e.registered_at.desc())).all()
        locations = tuple(Location(", ".join(
            p for p in (*(cipher.open(getattr(r, f"{name}_enc"), payload.aad("e911_address", name, account_id))
                          for name in E911_PARTS), r.country) if p), r.registered_at) for r in registered)
        found.append(Line(row.id, cipher.open(row.number_enc, payload.aad("number_assignment", "number", account_id)),
                          locations))
    return found


def register_location(conn: Connection, keyring: Keyring, account_id: int, assignment_id: int,
                      parts: dict[str, str], country: str, now: datetime) -> None:
    """Register where the device of one of the customer's numbers is now (the earlier registrations stay)."""
    c = number_assignment.c
    bidx = conn.execute(select(c.number_bidx).where(c.id == assignment_id, c.account_id == account_id,
                                                    (c.assigned_to.is_(None)) | (c.assigned_to > now))).scalar()
    if bidx is None:
        raise PortalError("number: not a number of your account")
    cleaned = {name: " ".join(parts.get(name, "").split())[:120] for name in E911_PARTS}
    missing = [name for name, value in cleaned.items() if not value]
    if missing:
        raise PortalError(f"{missing[0]}: required for a 911 location")
    cipher = keyring.cipher(conn, account_id)
    conn.execute(insert(e911_address).values(
        account_id=account_id, number_bidx=bidx, country=(country.strip() or "US").upper()[:2], registered_at=now,
        **{f"{name}_enc": cipher.seal(value, payload.aad("e911_address", name, account_id))
           for name, value in cleaned.items()}))
    audit.append(conn, actor=ACTOR, action="account.change", account_id=account_id,
                 record_classes=("location.e911_address",), reason="911 location registered by the customer",
                 detail={"change": "e911_location", "channel": "portal"}, now=now)


def chat_minimum(conn: Connection, policy: CompiledPolicy, account_id: int) -> int | None:
    """The fewest hours the customer may keep chat, when the policy collects chat and lets them choose."""
    if "content.chat" not in policy.collected:
        return None

    profile = conn.execute(select(account.c.profile).where(account.c.id == account_id)).scalar_one()
    found = [rule.min_hours for rule in schedule_of(policy).rules_for(profile)
             if rule.kind == CUSTOMER_INTERVAL and "content.chat" in rule.classes and rule.min_hours]
    return found[0] if found else None


def chat_hours(conn: Connection, account_id: int) -> int | None:
    """The hours chat is kept, as the customer chose, or None when they have not chosen."""
    c = account_retention_choice.c
    return conn.execute(select(c.keep_hours).where(c.account_id == account_id,
                                                   c.record_class == "content.chat")).scalar()
