"""Running the plan: batched deletes of rows and their blobs, crypto-shredding purges, a receipt.

Crash safety: each batch deletes its rows, queues their blob files and adds to the run's tallies in
one transaction; files are unlinked only after it commits, and a restarted run first empties the
queue. An unfinished run is resumed with the `now` it started with, so it deletes nothing its plan
did not: no row outlives its blob, no blob outlives its row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    delete,
    insert,
    literal_column,
    or_,
    select,
    tuple_,
    type_coerce,
    update,
)

from custodian.audit import store as audit
from custodian.backup.deletions import record_purge, record_rows
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.retention import cell_sweep, deidentify, run_store
from custodian.retention.account_records import plan_account
from custodian.retention.partition_drop import drop_expired_months
from custodian.retention.planner import purge_targets
from custodian.retention.rules import Schedule
from custodian.retention.tables import account_purge
from custodian.retention.targets import Target, gather_work

BATCH = 20_000
Progress = Callable[[int], None]


@dataclass(frozen=True)
class RunResult:
    """A finished run: its id, `now`, whether it resumed a crashed run, and its receipt."""

    run_id: int
    now: datetime
    resumed: bool
    deleted: int
    audit_seq: int
    counts: dict[int, dict[str, int]]
    partition_rows: int = 0  # rows removed by dropping whole month partitions (PostgreSQL)


def run_retention(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, schedule: Schedule, *,
                  policy_hash: str, now: datetime, actor: str, batch: int = BATCH,
                  progress: Progress | None = None) -> RunResult:
    """Delete what the plan at `now` says (or finish an interrupted run at its own `now`)."""
    with transaction(engine) as conn:
        run_id, now, resumed = run_store.open_run(conn, now=now, policy_hash=policy_hash, actor=actor,
                                                  started_at=utcnow())
    step = progress or (lambda _n: None)
    flush_blobs(engine, blobs)
    with engine.connect() as conn:
        work = gather_work(conn, schedule, now)
    purges = [a for a in work.purges if a not in work.held_accounts]
    if purges:
        _purge(engine, keyring, blobs, run_id, purges, schedule.deidentify, now, actor, batch, step)
    partition_rows = 0
    for target in work.targets:  # PostgreSQL: whole expired months first, each rule on its own
        dropped = drop_expired_months(engine, run_id, target, now, step)
        if dropped:
            partition_rows += dropped
            flush_blobs(engine, blobs)
    for target in _one_pass_per_table(engine, work.targets):
        drain(engine, blobs, run_id, target, now, batch, step)
    for account_id in work.held_accounts:
        with engine.connect() as conn:
            plan, located = plan_account(conn, schedule, account_id, work.holds, now)
        for target in _explicit_targets(account_id, [located[r] for r in plan.deleted]):
            drain(engine, blobs, run_id, target, now, batch, step)
    result = _receipt(engine, run_id, now, resumed, actor)
    checkpoint(engine)
    return replace(result, partition_rows=partition_rows)


def drain(engine: Engine, blobs: LocalBlobStore, run_id: int, target: Target, now: datetime, batch: int,
          step: Progress) -> int:
    """Delete a target's rows batch by batch, each batch with its tallies in one transaction.

    SQLite walks rowids and PostgreSQL (before 14, or rows named by key) walks (account, time, id), each batch
    starting where the last one stopped; PostgreSQL 14+ takes runs of (account, month) cells counted once
    (cell_sweep). So a sweep reads every row once however many it leaves.
    """
    total = 0
    for run_batch in _batches(engine, target, batch):
        with transaction(engine) as conn:
            rows = run_batch(conn)
            blob_keys = [r.blob_key for r in rows if getattr(r, "blob_key", None)]
            if rows:
                run_store.record_batch(conn, run_id, [(r[0], target.class_of(getattr(r, "kind", None)), r[1])
                                                      for r in rows], blob_keys, now)
                record_rows(conn, target.table.name, target.sources[0].key_column,
                            ((r[0], r.log_key, target.class_of(getattr(r, "kind", None)), r[1]) for r in rows),
                            floors=True)
        if blob_keys:
            flush_blobs(engine, blobs)
        total += len(rows)
        step(len(rows))
    return total


def _batches(engine: Engine, target: Target, batch: int) -> Iterator[cell_sweep.Batch]:
    """The target's batches, one per transaction; each returns the rows it deleted."""
    if cell_sweep.applies(engine, target):
        yield from cell_sweep.batches(engine, target, batch, _returning(target))
        return
    last: list[list[Any]] = []
    after: tuple[Any, ...] | None = None
    while True:
        def run(conn: Connection, after: tuple[Any, ...] | None = after) -> list[Any]:
            last[:] = [_delete_batch(conn, target, batch, after)]
            return last[0]
        yield run
        rows = last[0]
        if len(rows) < batch:
            return
        after = max(rows, key=_cursor_key(engine))[:3]


def flush_blobs(engine: Engine, blobs: LocalBlobStore) -> int:
    """Unlink queued blob files (their rows are already gone), then forget them."""
    removed = 0
    while True:
        with engine.connect() as conn:
            keys = run_store.queued_blobs(conn)
        if not keys:
            return removed
        for key in keys:
            blobs.delete(key)
        with transaction(engine) as conn:
            run_store.dequeue_blobs(conn, keys)
        removed += len(keys)


def _one_pass_per_table(engine: Engine, targets: list[Target]) -> list[Target]:
    """SQLite, and PostgreSQL's cell sweeps: every many-account rule of a table swept in one forward pass
    (each page read and rewritten once)."""
    sqlite = engine.dialect.name == "sqlite"
    merged: dict[str, list[Target]] = {}
    rest = []
    for target in targets:
        sweeps = sqlite or cell_sweep.applies(engine, target)
        if target.condition is None or target.accounts is None or not sweeps:
            rest.append(target)
        else:
            merged.setdefault(target.table.name, []).append(target)
    passes = []
    for group in merged.values():
        sources = tuple({(s.table.name, s.kind): s for t in group for s in t.sources}.values())
        # `+ 0` keeps SQLite off the (account, time) index: one forward scan in rowid order, no sort
        where = or_(*(t.condition & (t.table.c.account_id + 0).in_(t.accounts) for t in group  # type: ignore[operator]
                      if t.condition is not None and t.accounts is not None))
        passes.append(Target(sources, where, group[0].rule))
    return passes + rest


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the log into the database and truncate it, so no page image of a deleted row remains."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _delete_batch(conn: Connection, target: Target, batch: int, after: tuple[Any, ...] | None) -> list[Any]:
    """Delete up to `batch` rows after the cursor; rows come back as (account, time, cursor key, [kind, blob])."""
    table = target.table
    source = target.sources[0]
    extra = _returning(target)[3:]
    if conn.dialect.name == "sqlite":
        # SQLite walks the table in rowid order: each batch rewrites one stretch of pages, not all of them
        rowid = literal_column("rowid")
        where = target.where if after is None else target.where & (rowid > after[2])
        chosen = select(rowid).select_from(table).where(where).order_by(rowid).limit(batch)
        stmt = delete(table).where(rowid.in_(chosen.scalar_subquery()))
        # the time as stored (canonical UTC text sorts as time does): only each group's newest is parsed
        stored_time = type_coerce(source.time, String)
        return list(conn.execute(stmt.returning(table.c.account_id, stored_time, rowid, *extra)).all())
    order = _returning(target)[:3]
    where = target.where if after is None else target.where_from(after[0]) & (tuple_(*order) > tuple_(*after))
    chosen = select(*order).where(where).order_by(*order).limit(batch)
    stmt = delete(table).where(tuple_(*order).in_(chosen))
    return list(conn.execute(stmt.returning(*order, *extra)).all())


def _returning(target: Target) -> tuple[Any, ...]:
    """What a deleted row comes back as: account, time, key, [kind, blob], and its key for the deletion log."""
    table, source = target.table, target.sources[0]
    extra = (table.c.kind, table.c.blob_key) if "kind" in table.c else ()
    return (table.c.account_id, source.time, source.key, *extra, source.key.label("log_key"))


def _explicit_targets(account_id: int, located: list[Any]) -> list[Target]:
    grouped: dict[tuple[str, str | None], list[Any]] = {}
    sources = {}
    for item in located:
        name = (item.source.table.name, item.source.kind)
        grouped.setdefault(name, []).append(item.key)
        sources[name] = item.source
    targets = []
    for name, keys in grouped.items():
        source = sources[name]
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            targets.append(Target((source,), (source.table.c.account_id == account_id) & source.key.in_(chunk),
                                  "held_account"))
    return targets


def _purge(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, run_id: int, account_ids: list[int],
           kept: frozenset[str], now: datetime, actor: str, batch: int, step: Progress) -> None:
    """Closure purge: shred the data keys first (committed), de-identify what the policy keeps, then delete
    every other row and blob of the accounts and leave each account a pseudonymous shell."""
    with transaction(engine) as conn:
        started = set(conn.execute(select(account_purge.c.account_id)
                                   .where(account_purge.c.account_id.in_(account_ids))).scalars())
        for account_id in account_ids:
            if account_id in started:
                continue  # shredded by an interrupted run
            ref_bidx = deidentify.reference_index(conn, keyring, account_id)  # before the reference is replaced
            keyring.shred(conn, account_id)
            conn.execute(insert(account_purge).values(account_id=account_id, shredded_at=now, ref_bidx=ref_bidx))
            audit.append(conn, actor=actor, action="retention.shred", account_id=account_id, now=now,
                         reason="account closed: data key destroyed before its records are deleted")
    with transaction(engine) as conn:
        # before the deletes: a kept transaction's link to its payment instrument goes first
        for account_id in account_ids:
            deidentify.record_kept(conn, account_id, run_id, deidentify.deidentify_kept(conn, account_id, kept))
            record_purge(conn, account_id, kept, deidentify.purged_index(conn, account_id))
    for target in cell_sweep.one_per_table(engine, purge_targets(account_ids, kept)):
        drain(engine, blobs, run_id, target, now, batch, step)
    with transaction(engine) as conn:
        deidentify.make_shells(conn, account_ids)
        conn.execute(update(account_purge).where(account_purge.c.account_id.in_(account_ids)).values(purged_at=now))


def _receipt(engine: Engine, run_id: int, now: datetime, resumed: bool, actor: str) -> RunResult:
    with transaction(engine) as conn:
        counts = run_store.tallies(conn, run_id)
        kept = deidentify.kept_in_run(conn, run_id)
        by_class: dict[str, int] = {}
        for per_class in counts.values():
            for name, n in per_class.items():
                by_class[name] = by_class.get(name, 0) + n
        event = audit.append(conn, actor=actor, action="retention.receipt", now=utcnow(),
                             record_classes=by_class, reason="retention run finished",
                             detail={"run": run_id, "now": now.isoformat(), "resumed": resumed,
                                     "deleted": by_class, "deidentified": kept,
                                     "accounts": {str(a): dict(sorted(c.items())) for a, c in sorted(counts.items())}})
        run_store.finish_run(conn, run_id, audit_seq=event.seq, finished_at=utcnow())
    return RunResult(run_id, now, resumed, sum(by_class.values()), event.seq, counts)


def _cursor_key(engine: Engine) -> Callable[[Any], Any]:
    """SQLite batches advance by rowid; PostgreSQL batches by (account, time, id)."""
    if engine.dialect.name == "sqlite":
        return lambda row: row[2]
    return lambda row: (row[0], row[1], row[2])
