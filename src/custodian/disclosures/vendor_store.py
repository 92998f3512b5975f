"""The vendor list's reads and its one write: contract reviews the officer records (audited), the latest per
recipient, and the disclosure ledger's counts per recipient."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, func, insert, select

from custodian.audit import store as audit
from custodian.disclosures.tables import disclosure_release, recipient_contract_review
from custodian.disclosures.vendors import Review, Usage

NOTE_LIMIT = 2000


class ReviewProblem(ValueError):
    """A contract review that cannot be recorded, in words for the officer."""


def record_review(conn: Connection, *, recipient: str, known: list[str], reviewed_on: date,
                  next_review_on: date | None, note: str, actor: str, now: datetime) -> None:
    """Record a review of `recipient`'s contract and audit it (the note is kept, never put in the audit trail)."""
    if recipient not in known:
        raise ReviewProblem(f"the policy in force lists no recipient {recipient!r}")
    if reviewed_on > now.date():
        raise ReviewProblem("the review day is in the future")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ReviewProblem("the next review comes after this one")
    if len(note) > NOTE_LIMIT:
        raise ReviewProblem(f"the note is longer than {NOTE_LIMIT} characters")
    conn.execute(insert(recipient_contract_review).values(
        recipient=recipient, reviewed_on=reviewed_on, next_review_on=next_review_on, reviewed_by=actor,
        note=note.strip(), recorded_at=now))
    audit.append(conn, actor=actor, action="vendor.contract_reviewed", reason=f"contract of {recipient}",
                 detail={"recipient": recipient, "reviewed_on": reviewed_on.isoformat(),
                         "next_review_on": next_review_on.isoformat() if next_review_on else None}, now=now)


def latest_reviews(conn: Connection) -> dict[str, Review]:
    """Each recipient's latest review (the latest review day; of one day, the last recorded)."""
    rows = conn.execute(select(recipient_contract_review).order_by(
        recipient_contract_review.c.reviewed_on, recipient_contract_review.c.id))
    return {row.recipient: Review(row.reviewed_on, row.next_review_on, row.reviewed_by, row.note) for row in rows}


def usage_by_recipient(conn: Connection) -> dict[str, Usage]:
    """Per recipient named in the disclosure ledger: releases, accounts disclosed, the last release."""
    rows = conn.execute(select(disclosure_release.c.recipient, func.count(), func.sum(
        disclosure_release.c.accounts_disclosed), func.max(disclosure_release.c.made_at))
        .group_by(disclosure_release.c.recipient))
    return {row[0]: Usage(int(row[1]), int(row[2] or 0), row[3]) for row in rows}


def others_in_ledger(conn: Connection, known: list[str]) -> list[tuple[str, str, Usage]]:
    """Recipients in the ledger the policy does not list (legal productions, business-transfer successors):
    (name, what they are, usage)."""
    usage = usage_by_recipient(conn)
    legal = set(conn.execute(select(disclosure_release.c.recipient).where(
        disclosure_release.c.legal_request_id.is_not(None)).distinct()).scalars())
    transfer = set(conn.execute(select(disclosure_release.c.recipient).where(
        disclosure_release.c.purpose == "business_transfer").distinct()).scalars())
    found = []
    for name in sorted(set(usage) - set(known)):
        kind = ("Government or court (legal process)" if name in legal else
                "Successor (business transfer)" if name in transfer else "Not in the policy in force")
        found.append((name, kind, usage[name]))
    return found
