"""Placing, extending and releasing legal holds; every change audited on the caller's connection.

The one entry point for holds: the CLI (`custodian hold`), and the legal desk's preservation
requests (source "legal:preservation:<id>") both place holds here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.policy.vocabulary import RECORD_CLASSES
from custodian.records.tables import account
from custodian.retention import hold_store
from custodian.retention.holds import Hold, InvalidHold, validate_hold


class HoldNotFound(LookupError):
    """No hold has that id."""


def place_hold(conn: Connection, *, account_id: int, until: datetime, reason: str, source: str, actor: str,
               now: datetime, classes: Iterable[str] = (), window_start: datetime | None = None,
               window_end: datetime | None = None) -> Hold:
    """Hold an account's records (all classes, or `classes`; optionally only those in a window) until `until`."""
    chosen = frozenset(classes)
    validate_hold(chosen, window_start, window_end, until, reason, now, RECORD_CLASSES)
    if conn.execute(select(account.c.id).where(account.c.id == account_id)).first() is None:
        raise InvalidHold(f"account: no account with id {account_id}")
    hold = hold_store.insert_hold(conn, account_id=account_id, classes=chosen, window_start=window_start,
                                  window_end=window_end, until=until, reason=reason.strip(), source=source,
                                  actor=actor, now=now)
    audit.append(conn, actor=actor, action="hold.place", account_id=account_id, record_classes=chosen,
                 reason=hold.reason, now=now, detail=_detail(hold))
    return hold


def extend_hold(conn: Connection, hold_id: int, *, until: datetime, actor: str, reason: str,
                now: datetime) -> Hold:
    """Move a hold's end later (e.g. a renewed preservation request); it never shortens a hold."""
    hold = _active_hold(conn, hold_id, now)
    if until <= hold.until:
        raise InvalidHold("until: an extension must end after the hold's current end")
    hold_store.set_until(conn, hold_id, until)
    audit.append(conn, actor=actor, action="hold.extend", account_id=hold.account_id, record_classes=hold.classes,
                 reason=reason, now=now, detail={"hold": hold.id, "until": until.isoformat(),
                                                 "previous_until": hold.until.isoformat()})
    return hold_store.hold_by_id(conn, hold_id)  # type: ignore[return-value]


def release_hold(conn: Connection, hold_id: int, *, actor: str, reason: str, now: datetime) -> Hold:
    """End a hold now; its records fall back under the retention schedule."""
    hold = _active_hold(conn, hold_id, now)
    if not reason.strip():
        raise InvalidHold("reason: say why the hold is released")
    hold_store.mark_released(conn, hold_id, actor, now)
    audit.append(conn, actor=actor, action="hold.release", account_id=hold.account_id,
                 record_classes=hold.classes, reason=reason.strip(), now=now, detail={"hold": hold.id})
    return hold_store.hold_by_id(conn, hold_id)  # type: ignore[return-value]


def holds_of_account(conn: Connection, account_id: int, now: datetime) -> list[Hold]:
    """The holds in effect on one account at `now`."""
    return hold_store.active_holds(conn, now, [account_id])


def list_holds(conn: Connection, now: datetime, *, include_ended: bool = False,
               source_prefix: str | None = None) -> list[Hold]:
    """Holds in effect at `now` (or every hold), newest first; optionally only those from one source."""
    return hold_store.list_holds(conn, now, include_ended=include_ended, source_prefix=source_prefix)


def account_refs(conn: Connection, account_ids: Iterable[int]) -> dict[int, str]:
    """The reference of each account id (for listing holds by account)."""
    ids = list(set(account_ids))
    if not ids:
        return {}
    rows = conn.execute(select(account.c.id, account.c.ref).where(account.c.id.in_(ids)))
    return {row.id: row.ref for row in rows}


def get_hold(conn: Connection, hold_id: int) -> Hold:
    """One hold by id, or HoldNotFound."""
    hold = hold_store.hold_by_id(conn, hold_id)
    if hold is None:
        raise HoldNotFound(f"no hold with id {hold_id}")
    return hold


def _active_hold(conn: Connection, hold_id: int, now: datetime) -> Hold:
    hold = get_hold(conn, hold_id)
    if not hold.active_at(now):
        raise InvalidHold(f"hold {hold_id} is not in effect (released or expired)")
    return hold


def _detail(hold: Hold) -> dict[str, object]:
    return {"hold": hold.id, "source": hold.source, "until": hold.until.isoformat(),
            "window_start": hold.window_start.isoformat() if hold.window_start else None,
            "window_end": hold.window_end.isoformat() if hold.window_end else None}
