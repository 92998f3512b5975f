"""Appending to and verifying the audit chain. Appends join the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from custodian.audit.chain import (
    GENESIS_HASH,
    AuditEvent,
    ChainBreak,
    canonical_detail,
    event_hash,
    link_hash,
)
from custodian.audit.tables import audit_event, audit_head
from custodian.db.partitions import ensure_partition
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import utc_text

_HEAD_ID = 1
# Built once: constructing statements per append cost more than executing them.
_INSERT_EVENT = insert(audit_event)
_MOVE_HEAD = (update(audit_head).where(audit_head.c.id == _HEAD_ID)
              .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"), updated_at=bindparam("new_at")))
_EVENT_COLUMNS = "occurred_at, seq, actor, action, account_id, record_classes, reason, detail, prev_hash, hash"
_READ_HEAD = select(audit_head).where(audit_head.c.id == _HEAD_ID)
_LOCK_HEAD = _READ_HEAD.with_for_update()  # PostgreSQL; SQLite writers already hold the write lock


def append(
    conn: Connection,
    *,
    actor: str,
    action: str,
    account_id: int | None = None,
    record_classes: Iterable[str] = (),
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add one event to the chain, locking the head so concurrent appends stay in order.

    Inside `at_end(conn)` the event is queued and written when that block ends; the event returned then has no
    place in the chain yet (`seq` 0, no hash): a caller that keeps an event's `seq` must not run in that block."""
    queued = conn.info.get(_QUEUE)
    if queued is not None:
        at = now or utcnow()
        entry = {"actor": actor, "action": action, "account_id": account_id,
                 "record_classes": tuple(record_classes), "reason": reason, "detail": dict(detail or {})}
        queued.append((at, entry))
        return AuditEvent(0, at, actor, action, account_id, tuple(sorted(set(entry["record_classes"]))), reason,
                          entry["detail"], "", "")
    head = _lock_head(conn)
    at = now or utcnow()
    if head is not None and head.seq and at < head.updated_at:
        at = head.updated_at  # keep time monotonic along the chain even if clocks step back
    event = AuditEvent(
        seq=(head.seq if head else 0) + 1,
        occurred_at=at,
        actor=actor,
        action=action,
        account_id=account_id,
        record_classes=tuple(sorted(set(record_classes))),
        reason=reason,
        detail=dict(detail or {}),
        prev_hash=head.hash if head else GENESIS_HASH,
    )
    event = AuditEvent(**{**event.__dict__, "hash": event_hash(event)})
    ensure_partition(conn, "audit_event", at)
    conn.execute(_INSERT_EVENT, _row(event))
    if head is None:  # only before the migration's genesis row exists (never in a migrated database)
        conn.execute(insert(audit_head).values(id=_HEAD_ID, seq=event.seq, hash=event.hash, updated_at=at))
    else:
        conn.execute(_MOVE_HEAD, {"new_seq": event.seq, "new_hash": event.hash, "new_at": at})
    return event


def append_many(conn: Connection, entries: Iterable[Mapping[str, Any]], now: datetime | None = None) -> int:
    """Add several events in one go: one head lock, one multi-row insert, one head move; return the count.

    Each entry holds the keyword arguments of `append` (actor, action, account_id, record_classes,
    reason, detail); every event of the batch is stamped with the same time. Inside `at_end(conn)` they are
    queued like `append`'s.
    """
    queued = conn.info.get(_QUEUE)
    if queued is not None:
        at = now or utcnow()
        before = len(queued)
        queued.extend((at, dict(entry)) for entry in entries)
        return len(queued) - before
    head = _lock_head(conn)
    at = now or utcnow()
    if head is not None and head.seq and at < head.updated_at:
        at = head.updated_at
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    at_text = utc_text(at)
    stored_at = at_text if conn.dialect.name == "sqlite" else at  # the driver's form (as db.bulk does)
    rows: list[tuple[Any, ...]] = []
    for entry in entries:
        seq += 1
        classes = ",".join(sorted(set(entry.get("record_classes", ()))))
        detail = canonical_detail(entry.get("detail") or {})
        fields = (seq, at_text, entry["actor"], entry["action"], entry.get("account_id"), classes,
                  entry.get("reason", ""), detail, prev)
        prev = link_hash(fields)
        rows.append((stored_at, *fields[:1], *fields[2:], prev))
    if not rows:
        return 0
    ensure_partition(conn, "audit_event", at)
    _insert_rows(conn, rows)
    if head is None:
        conn.execute(insert(audit_head).values(id=_HEAD_ID, seq=seq, hash=prev, updated_at=at))
    else:
        conn.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev, "new_at": at})
    return len(rows)


_QUEUE = "custodian_audit_queue"


@contextmanager
def at_end(conn: Connection) -> Iterator[None]:
    """Write the events appended in this block when it ends, in their order, still in the caller's transaction.

    Appending locks the chain's head until the transaction commits, so every other audited write waits from a
    transaction's first append to its commit; a write that appends early and then works on (the legal intake
    validates, stores, routes and scopes) holds everyone up. In this block the appends wait instead, and the
    head is locked from the end of the block to the commit. Same chain, same order; consecutive events with the
    same time go in one batch (`append_many`). Nested blocks write with the outermost."""
    if _QUEUE in conn.info:
        yield
        return
    conn.info[_QUEUE] = []
    try:
        yield
        queued: list[tuple[datetime, dict[str, Any]]] = conn.info.pop(_QUEUE)
        start = 0
        while start < len(queued):
            end = start
            while end < len(queued) and queued[end][0] == queued[start][0]:
                end += 1
            append_many(conn, [entry for _, entry in queued[start:end]], now=queued[start][0])
            start = end
    finally:
        conn.info.pop(_QUEUE, None)


def _insert_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert stored-form event rows with the driver's bulk path: COPY on PostgreSQL, executemany on SQLite."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY audit_event ({_EVENT_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    conn.exec_driver_sql(f"INSERT INTO audit_event ({_EVENT_COLUMNS}) VALUES ({', '.join(['?'] * 10)})", rows)


def head(conn: Connection) -> tuple[int, str]:
    """The chain head (last sequence number and hash), for external anchoring."""
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == _HEAD_ID)).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def verify(conn: Connection) -> ChainBreak | None:
    """Walk the chain up to the head read first; return the first break, or None when intact.

    Events appended while verification runs lie beyond that head and are left for the next run,
    so a busy system never shows a false break.
    """
    from custodian.audit.verify import verify_fast

    return verify_fast(conn)


def iter_events(conn: Connection, batch: int = 5000, upto: int | None = None) -> Iterator[AuditEvent]:
    """Stream events in sequence order (keyset pagination, flat memory), optionally up to `upto`."""
    after = 0
    limit = [] if upto is None else [audit_event.c.seq <= upto]
    while True:
        rows = conn.execute(
            select(audit_event).where(audit_event.c.seq > after, *limit).order_by(audit_event.c.seq).limit(batch)
        ).all()
        for row in rows:
            yield _event(row)
        if len(rows) < batch:
            return
        after = rows[-1].seq


def events_for_account(conn: Connection, account_id: int, limit: int = 100) -> list[AuditEvent]:
    """The newest events about one account."""
    rows = conn.execute(
        select(audit_event)
        .where(audit_event.c.account_id == account_id)
        .order_by(audit_event.c.seq.desc())
        .limit(limit)
    ).all()
    return [_event(row) for row in rows]


def _lock_head(conn: Connection) -> Any:
    return conn.execute(_LOCK_HEAD if conn.dialect.name == "postgresql" else _READ_HEAD).first()


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at,
        "seq": event.seq,
        "actor": event.actor,
        "action": event.action,
        "account_id": event.account_id,
        "record_classes": ",".join(event.record_classes),
        "reason": event.reason,
        "detail": canonical_detail(event.detail),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _event(row: Any) -> AuditEvent:
    """An event as stored; a tampered field (another type, detail that is not JSON) is shown as it reads,
    never an error: the chain verification is what reports it."""
    return AuditEvent(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=_text(row.actor),
        action=_text(row.action),
        account_id=row.account_id,
        record_classes=tuple(c for c in _text(row.record_classes).split(",") if c),
        reason=_text(row.reason),
        detail=_detail(row.detail),
        prev_hash=_text(row.prev_hash),
        hash=_text(row.hash),
    )


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _detail(value: Any) -> dict[str, Any]:
    try:
        found = json.loads(value)
    except (TypeError, ValueError):
        return {"unreadable": True}
    return found if isinstance(found, dict) else {"unreadable": True}


def search(conn: Connection, *, actor: str = "", action: str = "", account_id: int | None = None,
           limit: int = 200) -> list[AuditEvent]:
    """The newest events matching every filter given (actor and action exact or as a prefix ending in '*')."""
    query = select(audit_event).order_by(audit_event.c.seq.desc()).limit(limit)
    for column, wanted in ((audit_event.c.actor, actor), (audit_event.c.action, action)):
        if wanted.endswith("*"):
            query = query.where(column.startswith(wanted[:-1], autoescape=True))
        elif wanted:
            query = query.where(column == wanted)
    if account_id is not None:
        query = query.where(audit_event.c.account_id == account_id)
    return [_event(row) for row in conn.execute(query)]


def action_counts(conn: Connection, actions: Iterable[str]) -> dict[tuple[str, str], int]:
    """How many events of each of `actions` each actor has: (actor, action) -> count."""
    query = (select(audit_event.c.actor, audit_event.c.action, func.count())
             .where(audit_event.c.action.in_(list(actions)))
             .group_by(audit_event.c.actor, audit_event.c.action))
    return {(row[0], row[1]): int(row[2]) for row in conn.execute(query)}


def events_between(conn: Connection, *, actor: str, actions: Iterable[str], start: datetime, end: datetime,
                   limit: int = 100_000) -> list[AuditEvent]:
    """Events of `actor` with one of `actions` from `start` (inclusive) to `end` (exclusive), oldest first."""
    query = (select(audit_event).where(audit_event.c.actor == actor, audit_event.c.action.in_(list(actions)),
                                       audit_event.c.occurred_at >= start, audit_event.c.occurred_at < end)
             .order_by(audit_event.c.seq).limit(limit))
    return [_event(row) for row in conn.execute(query)]
