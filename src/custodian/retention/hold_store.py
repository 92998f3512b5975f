"""Legal holds in the database. Functions join the caller's transaction and never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from custodian.retention.holds import Hold
from custodian.retention.tables import legal_hold


def insert_hold(conn: Connection, *, account_id: int, classes: Iterable[str], window_start: datetime | None,
                window_end: datetime | None, until: datetime, reason: str, source: str, actor: str,
                now: datetime) -> Hold:
    """Store a new hold; return it with its id."""
    hold_id = conn.execute(insert(legal_hold).values(
        account_id=account_id, classes=",".join(sorted(set(classes))), window_start=window_start,
        window_end=window_end, until_at=until, reason=reason, source=source, placed_by=actor, placed_at=now,
    ).returning(legal_hold.c.id)).scalar_one()
    return hold_by_id(conn, int(hold_id))  # type: ignore[return-value]


def hold_by_id(conn: Connection, hold_id: int) -> Hold | None:
    """One hold, or None."""
    row = conn.execute(select(legal_hold).where(legal_hold.c.id == hold_id)).first()
    return _hold(row) if row else None


def active_holds(conn: Connection, now: datetime, account_ids: Iterable[int] | None = None) -> list[Hold]:
    """Holds in effect at `now`, of the given accounts or of all."""
    query = select(legal_hold).where(*_active(now)).order_by(legal_hold.c.id)
    if account_ids is not None:
        query = query.where(legal_hold.c.account_id.in_(list(account_ids)))
    return [_hold(row) for row in conn.execute(query)]


def list_holds(conn: Connection, now: datetime, *, include_ended: bool = False,
               source_prefix: str | None = None) -> list[Hold]:
    """Holds, newest first: only those in effect at `now` unless `include_ended`."""
    query = select(legal_hold).order_by(legal_hold.c.id.desc())
    if not include_ended:
        query = query.where(*_active(now))
    if source_prefix:
        query = query.where(legal_hold.c.source.startswith(source_prefix, autoescape=True))
    return [_hold(row) for row in conn.execute(query)]


def mark_released(conn: Connection, hold_id: int, actor: str, now: datetime) -> bool:
    """Release a hold that is not already released; False when there was nothing to release."""
    result = conn.execute(update(legal_hold).where(legal_hold.c.id == hold_id, legal_hold.c.released_at.is_(None))
                          .values(released_at=now, released_by=actor))
    return bool(result.rowcount)


def set_until(conn: Connection, hold_id: int, until: datetime) -> None:
    """Move a hold's end (an extension)."""
    conn.execute(update(legal_hold).where(legal_hold.c.id == hold_id).values(until_at=until))


def _active(now: datetime) -> tuple[Any, ...]:
    return (legal_hold.c.placed_at <= now, legal_hold.c.until_at > now,
            or_(legal_hold.c.released_at.is_(None), legal_hold.c.released_at > now))


def _hold(row: Any) -> Hold:
    return Hold(id=row.id, account_id=row.account_id,
                classes=frozenset(c for c in row.classes.split(",") if c),
                window_start=row.window_start, window_end=row.window_end, until=row.until_at,
                reason=row.reason, source=row.source, placed_by=row.placed_by, placed_at=row.placed_at,
                released_at=row.released_at, released_by=row.released_by or "")
