"""PostgreSQL: a target's rows deleted in runs of (account, month) cells of about one batch each.

One grouped count of the target's rows per account and month (one read of the table, as a bare
`DELETE … WHERE` makes) cuts the rows into batches; each batch is then `DELETE … WHERE <target> AND
(account, time) in [first cell, next batch's first cell)`, which the primary key (account, time, key) of
each partition answers by index range, so no batch re-reads the table, no key list travels to the server
and back, and a batch touches few accounts (its tallies and floors are few rows). Each batch stays its own
transaction with its tallies, floors, blob queue and deletion-log entry; a crashed sweep recounts and
deletes what still matches, which is all it had left to do. One account's month holding more than `batch`
matching rows is one larger batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Executable, delete, func, or_, select, tuple_

from custodian.retention.targets import Target

Batch = Callable[[Connection], list[Any]]


def partition_column(table: Any) -> str | None:
    """The column a table is range-partitioned by on PostgreSQL, or None."""
    spec = table.dialect_options["postgresql"].get("partition_by") or ""
    found = re.fullmatch(r"RANGE \((\w+)\)", spec)
    return found.group(1) if found else None


def applies(engine: Engine, target: Target) -> bool:
    """PostgreSQL 14 or later (date_trunc in a zone) and a month-partitioned table swept by predicate."""
    version = engine.dialect.server_version_info or (0,)
    return (engine.dialect.name == "postgresql" and version >= (14,) and target.rule != "held_account"
            and partition_column(target.table) is not None)


def batches(engine: Engine, target: Target, batch: int, returning: tuple[Any, ...]) -> Iterator[Batch]:
    """Statements to run one per transaction, each deleting the target's rows of a run of (account, month)
    cells (about `batch` rows, counted once up front) and returning `returning`."""
    table, source = target.table, target.sources[0]
    month = func.date_trunc("month", source.time, "UTC")
    with engine.connect() as conn:
        cells = conn.execute(select(table.c.account_id, month, func.count()).where(target.where)
                             .group_by(table.c.account_id, month).order_by(table.c.account_id, month)).all()
    starts, rows = [], batch
    for account_id, first_instant, count in cells:
        if rows >= batch:
            starts.append((account_id, first_instant))
            rows = 0
        rows += count
    key = tuple_(table.c.account_id, source.time)
    for n, start in enumerate(starts):
        bound = key >= tuple_(*start)
        if n + 1 < len(starts):
            bound = bound & (key < tuple_(*starts[n + 1]))
        yield _runner(delete(table).where(target.where, bound).returning(*returning))


def one_per_table(engine: Engine, targets: list[Target]) -> list[Target]:
    """Targets of one table whose rows carry their class (`kind`) merged into one sweep (a closure's
    per-class targets read the table once, not once per class)."""
    merged: dict[str, list[Target]] = {}
    rest = []
    for target in targets:
        if applies(engine, target) and "kind" in target.table.c:
            merged.setdefault(target.table.name, []).append(target)
        else:
            rest.append(target)
    return [Target(tuple(s for t in group for s in t.sources), or_(*(t.where for t in group)), group[0].rule)
            for group in merged.values()] + rest


def _runner(stmt: Executable) -> Batch:
    def run(conn: Connection) -> list[Any]:
        return list(conn.execute(stmt).all())
    return run
