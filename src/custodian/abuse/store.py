"""The abuse desk's queries: usage aggregated in SQL (GROUP BY per account, never a loop over call rows), the
queue's cases, contacts, number blocks and campaigns. Flushes, never commits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from custodian.abuse.profile import Figure, Finding, Usage
from custodian.abuse.tables import abuse_case, abuse_contact, number_block, sms_campaign, sms_campaign_number
from custodian.records.tables import account, call_log, number_assignment, sms_log


@dataclass(frozen=True)
class Case:
    """A queue entry: the account, its peer group and its figures (never content)."""

    id: int
    account_id: int
    account_ref: str
    state: str
    found_at: datetime
    updated_at: datetime
    window_days: int
    peer_kind: str
    peer_band: str
    peers: int
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Block:
    """A number block: which account, which ticket, why, and whether it was lifted."""

    id: int
    account_id: int
    number_enc: bytes
    ticket_id: int
    reason: str
    blocked_by: str
    blocked_at: datetime
    lifted_at: datetime | None


def usages(conn: Connection, now: datetime, window_days: int) -> list[Usage]:
    """Every open account's outgoing calls, billed seconds and outgoing messages over the window, with its kind and
    the numbers it holds now: three GROUP BY queries joined to the accounts."""
    since = now - timedelta(days=window_days)
    calls = (select(call_log.c.account_id, func.count().label("calls"),
                    func.coalesce(func.sum(call_log.c.billsec_s), 0).label("seconds"))
             .where(call_log.c.direction == "out", call_log.c.started_at >= since, call_log.c.started_at < now)
             .group_by(call_log.c.account_id).subquery())
    messages = (select(sms_log.c.account_id, func.count().label("messages"))
                .where(sms_log.c.direction == "out", sms_log.c.sent_at >= since, sms_log.c.sent_at < now)
                .group_by(sms_log.c.account_id).subquery())
    numbers = (select(number_assignment.c.account_id, func.count().label("numbers"))
               .where(number_assignment.c.assigned_from <= now,
                      (number_assignment.c.assigned_to.is_(None)) | (number_assignment.c.assigned_to > now))
               .group_by(number_assignment.c.account_id).subquery())
    query = (select(account.c.id, account.c.kind, func.coalesce(numbers.c.numbers, 0).label("numbers"),
                    func.coalesce(calls.c.calls, 0).label("calls"), func.coalesce(calls.c.seconds, 0).label("seconds"),
                    func.coalesce(messages.c.messages, 0).label("messages"))
             .outerjoin(calls, calls.c.account_id == account.c.id)
             .outerjoin(messages, messages.c.account_id == account.c.id)
             .outerjoin(numbers, numbers.c.account_id == account.c.id)
             .where(account.c.closed_on.is_(None)).order_by(account.c.id))
    return [Usage(int(row.id), row.kind, int(row.numbers), int(row.calls), int(row.seconds), int(row.messages))
            for row in conn.execute(query)]


def save_findings(conn: Connection, findings: list[Finding], window_days: int, now: datetime) -> tuple[int, int]:
    """Open a case per new finding, refresh the figures of an account's open case; return (opened, refreshed)."""
    open_cases = {int(row.account_id): int(row.id) for row in conn.execute(
        select(abuse_case.c.account_id, abuse_case.c.id).where(abuse_case.c.state == "open"))}
    opened = refreshed = 0
    for finding in findings:
        values: dict[str, Any] = {"updated_at": now, "window_days": window_days, "peer_kind": finding.kind,
                                  "peer_band": finding.band, "peers": finding.peers,
                                  "figures": json.dumps([figure.__dict__ for figure in finding.figures])}
        case_id = open_cases.get(finding.account_id)
        if case_id is None:
            conn.execute(insert(abuse_case).values(account_id=finding.account_id, state="open", found_at=now,
                                                   **values))
            opened += 1
        else:
            conn.execute(update(abuse_case).where(abuse_case.c.id == case_id).values(**values))
            refreshed += 1
    return opened, refreshed


def cases(conn: Connection, *, state: str = "open", case_id: int | None = None) -> list[Case]:
    """The queue (open cases, newest figures first), or one case."""
    query = (select(abuse_case, account.c.ref).join(account, account.c.id == abuse_case.c.account_id)
             .order_by(abuse_case.c.updated_at.desc(), abuse_case.c.id))
    query = query.where(abuse_case.c.id == case_id) if case_id is not None else query.where(abuse_case.c.state == state)
    return [Case(int(row.id), int(row.account_id), row.ref, row.state, row.found_at, row.updated_at, row.window_days,
                 row.peer_kind, row.peer_band, row.peers,
                 tuple(Figure(**figure) for figure in json.loads(row.figures))) for row in conn.execute(query)]


def close_case(conn: Connection, case_id: int, *, by: str, now: datetime) -> bool:
    """Close an open case; False when there is none."""
    return conn.execute(update(abuse_case).where(abuse_case.c.id == case_id, abuse_case.c.state == "open")
                        .values(state="closed", closed_at=now, closed_by=by)).rowcount == 1


def add_contact(conn: Connection, *, ticket_id: int, account_id: int, method: str, outcome: str, by: str,
                now: datetime) -> None:
    """Record a contact with the customer on the ticket."""
    conn.execute(insert(abuse_contact).values(ticket_id=ticket_id, account_id=account_id, method=method,
                                              outcome=outcome, recorded_by=by, recorded_at=now))


def contacts_on(conn: Connection, ticket_id: int) -> list[tuple[str, str, str, datetime]]:
    """(method, outcome, by, at) of the contacts recorded on a ticket, oldest first."""
    rows = conn.execute(select(abuse_contact.c.method, abuse_contact.c.outcome, abuse_contact.c.recorded_by,
                               abuse_contact.c.recorded_at).where(abuse_contact.c.ticket_id == ticket_id)
                        .order_by(abuse_contact.c.id))
    return [(row.method, row.outcome, row.recorded_by, row.recorded_at) for row in rows]


def insert_block(conn: Connection, **values: Any) -> int:
    """Record a number block; return its id."""
    return int(conn.execute(insert(number_block).values(**values).returning(number_block.c.id)).scalar_one())


def active_block(conn: Connection, number_bidx: bytes) -> int | None:
    """The id of the block in force on a number, if any."""
    found = conn.execute(select(number_block.c.id).where(number_block.c.number_bidx == number_bidx,
                                                         number_block.c.lifted_at.is_(None))).scalar()
    return int(found) if found is not None else None


def blocks_of(conn: Connection, account_id: int) -> list[Block]:
    """The account's blocks, newest first."""
    rows = conn.execute(select(number_block).where(number_block.c.account_id == account_id)
                        .order_by(number_block.c.id.desc()))
    return [Block(int(r.id), int(r.account_id), r.number_enc, int(r.ticket_id), r.reason, r.blocked_by, r.blocked_at,
                  r.lifted_at) for r in rows]


def lift_block(conn: Connection, block_id: int, account_id: int, *, by: str, reason: str, now: datetime) -> bool:
    """Lift a block in force on the account; False when there is none."""
    return conn.execute(update(number_block).where(and_(number_block.c.id == block_id,
                                                        number_block.c.account_id == account_id,
                                                        number_block.c.lifted_at.is_(None)))
                        .values(lifted_at=now, lifted_by=by, lift_reason=reason)).rowcount == 1


def holds_number(conn: Connection, account_id: int, number_bidx: bytes, now: datetime) -> bool:
    """Whether the number is assigned to the account now."""
    return conn.execute(select(number_assignment.c.id).where(
        number_assignment.c.account_id == account_id, number_assignment.c.number_bidx == number_bidx,
        number_assignment.c.assigned_from <= now,
        (number_assignment.c.assigned_to.is_(None)) | (number_assignment.c.assigned_to > now)).limit(1)).first() \
        is not None


def numbers_in_campaigns(conn: Connection, bidxs: list[bytes]) -> int:
    """How many of these numbers some campaign already sends from."""
    return int(conn.execute(select(func.count()).select_from(sms_campaign_number)
                            .where(sms_campaign_number.c.number_bidx.in_(bidxs))).scalar_one())


def insert_campaign(conn: Connection, *, account_id: int, bidxs: list[bytes], **values: Any) -> int:
    """Record a campaign and its numbers; return its id."""
    campaign_id = int(conn.execute(insert(sms_campaign).values(account_id=account_id, numbers=len(bidxs), **values)
                                   .returning(sms_campaign.c.id)).scalar_one())
    conn.execute(insert(sms_campaign_number), [{"campaign_id": campaign_id, "account_id": account_id,
                                                "number_bidx": bidx} for bidx in bidxs])
    return campaign_id


def set_campaign_release(conn: Connection, campaign_id: int, release_id: int | None) -> None:
    """Link the campaign to the release that sent it to the registry."""
    conn.execute(update(sms_campaign).where(sms_campaign.c.id == campaign_id).values(release_id=release_id))
