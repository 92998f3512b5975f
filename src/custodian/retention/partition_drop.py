"""PostgreSQL: a time rule that expires a whole month partition detaches and drops it.

Only when every row of the month is one the rule deletes (no held account, no other class, no
account outside the rule's profile): then dropping the partition deletes exactly the rows the
row-by-row path would, with the same tallies, floors and blob queue, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, and_, func, insert, literal, not_, select

from custodian.backup.deletions import record_months
from custodian.db.engine import transaction
from custodian.db.partitions import drop_partition, month_partitions
from custodian.kernel.timeparse import next_month
from custodian.retention import run_store
from custodian.retention.rules import TIME
from custodian.retention.tables import blob_deletion
from custodian.retention.targets import Target


def drop_expired_months(engine: Engine, run_id: int, target: Target, now: datetime,
                        step: Callable[[int], None]) -> int:
    """Drop each month partition the target empties entirely; return how many rows went that way."""
    if engine.dialect.name != "postgresql" or target.rule != TIME or target.cutoff is None:
        return 0
    table, source = target.table, target.sources[0]
    with engine.connect() as conn:
        months = [month for _, month in month_partitions(conn, table.name) if next_month(month) <= target.cutoff]
    dropped = 0
    for month in months:
        in_month = and_(source.time >= month, source.time < next_month(month))
        with transaction(engine) as conn:
            if conn.execute(select(literal(1)).select_from(table).where(in_month, not_(target.where))
                            .limit(1)).first() is not None:
                continue  # the month holds rows this rule keeps: delete row by row instead
            grouping = [table.c.account_id, *([table.c.kind] if "kind" in table.c else [])]
            rows = conn.execute(select(*grouping, func.count(), func.max(source.time))
                                .where(in_month).group_by(*grouping)).all()
            if not rows:
                continue
            counts = {(row[0], target.class_of(row[1] if len(grouping) > 1 else None)): (int(row[-2]), row[-1])
                      for row in rows}
            run_store.record_counts(conn, run_id, counts, [], now)
            if "blob_key" in table.c:
                conn.execute(insert(blob_deletion).from_select(
                    ["blob_key", "queued_at"],
                    select(table.c.blob_key, literal(now)).where(in_month, table.c.blob_key.is_not(None))))
            record_months(conn, table.name, source.time_column, month, next_month(month), counts)
            drop_partition(conn, table.name, month)
        deleted = sum(n for n, _ in counts.values())
        dropped += deleted
        step(deleted)
    return dropped
