"""Reading the disclosure ledger for the accounting of disclosures (accounting.py holds the rules): an account's
disclosures with what their nondisclosure order says, the releases of the last months, the policy versions that
name the recipients, and the customer's audited read of their own accounting."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from custodian.access.self_access import SELF_ACTOR, SELF_REASON
from custodian.audit import store as audit
from custodian.disclosures.accounting import (
    Disclosed,
    LedgerEntry,
    ReleaseCount,
    accounting,
    last_months,
)
from custodian.disclosures.tables import disclosure, disclosure_release
from custodian.legal.tables import legal_request
from custodian.policy import store as policy_store
from custodian.policy.document import PolicyDocument

VIEW = "disclosures"


def entries_for_account(conn: Connection, account_id: int, start: datetime | None = None,
                        end: datetime | None = None) -> list[LedgerEntry]:
    """Every disclosure of the account in [start, end) (all when not given), with its order's state."""
    query = (select(disclosure.c.made_at, disclosure_release.c.recipient, disclosure_release.c.purpose,
                    disclosure_release.c.classes, disclosure_release.c.form, disclosure_release.c.legal_request_id,
                    disclosure_release.c.withheld_until, disclosure_release.c.withheld_until_lifted,
                    legal_request.c.nondisclosure_lifted_on, legal_request.c.nondisclosure_until)
             .join(disclosure_release, disclosure_release.c.id == disclosure.c.release_id)
             .outerjoin(legal_request, legal_request.c.id == disclosure_release.c.legal_request_id)
             .where(disclosure.c.account_id == account_id).order_by(disclosure.c.made_at, disclosure.c.id))
    if start is not None:
        query = query.where(disclosure.c.made_at >= start)
    if end is not None:
        query = query.where(disclosure.c.made_at < end)
    return [LedgerEntry(row.made_at, row.recipient, row.purpose, tuple(json.loads(row.classes)), row.form,
                        row.legal_request_id is not None, row.withheld_until, bool(row.withheld_until_lifted),
                        row.nondisclosure_lifted_on, row.nondisclosure_until) for row in conn.execute(query)]


def policy_documents(conn: Connection) -> list[PolicyDocument]:
    """Every policy version's document, newest first: they name the recipients and purposes of past releases."""
    return [version.compiled().document for version in policy_store.history(conn)]


def account_disclosures(conn: Connection, account_id: int, now: datetime) -> list[Disclosed]:
    """The account's accounting of disclosures at `now`, newest first (what an order still covers left out)."""
    return accounting(entries_for_account(conn, account_id), policy_documents(conn), now)


def read_own(conn: Connection, account_id: int, now: datetime) -> list[Disclosed]:
    """The customer's own accounting, the read audited as a self-access like every portal read."""
    audit.append(conn, actor=SELF_ACTOR, action="access.permit", account_id=account_id, reason=SELF_REASON,
                 detail={"action": "read", "channel": "portal", "purpose": "self_access", "view": VIEW}, now=now)
    return account_disclosures(conn, account_id, now)


def releases_in_last_months(conn: Connection, now: datetime) -> list[ReleaseCount]:
    """Every release made in the last twelve calendar months up to `now` (gate releases and legal productions)."""
    first = last_months(now)[0]
    start = datetime(int(first[:4]), int(first[5:]), 1, tzinfo=UTC)
    rows = conn.execute(select(disclosure_release.c.made_at, disclosure_release.c.recipient,
                               disclosure_release.c.purpose, disclosure_release.c.accounts_disclosed)
                        .where(disclosure_release.c.made_at >= start, disclosure_release.c.made_at <= now))
    return [ReleaseCount(r.made_at, r.recipient, r.purpose, r.accounts_disclosed) for r in rows]
