"""One account's records read as `RecordRef`s, for the record-by-record path (accounts with holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from custodian.records.tables import account
from custodian.retention.holds import Hold
from custodian.retention.plan import RecordPlan, RecordRef, plan_records
from custodian.retention.rules import Schedule, Sweep, closure_due, closure_kept, purge_sweep, sweeps_for
from custodian.retention.sources import TIMED, Source, every_source
from custodian.retention.tables import account_retention_choice, retention_tombstone


@dataclass(frozen=True)
class Located:
    """Where a planned record is stored: its source and the value of its id column."""

    source: Source
    key: Any


def read_records(conn: Connection, account_id: int, sources: list[Source]) -> dict[RecordRef, Located]:
    """Every record of the account in `sources`, keyed by its RecordRef."""
    found: dict[RecordRef, Located] = {}
    for source in sources:
        table = source.table
        for row in conn.execute(select(source.time, source.key).where(table.c.account_id == account_id,
                                                                      source.rows())):
            ref = RecordRef(source.record_class, row[0], _key_bytes(table.name, row[1]))
            found[ref] = Located(source, row[1])
    return found


def sweeps_of_account(conn: Connection, schedule: Schedule, account_id: int, now: datetime) -> tuple[list[Sweep], bool]:
    """The sweeps for one account at `now` and whether they are a closure purge."""
    row = conn.execute(select(account.c.profile, account.c.closed_on, account.c.child_reported_at)
                       .where(account.c.id == account_id)).one()
    if closure_due(schedule, row.closed_on, now) or row.child_reported_at is not None:  # P88: a child's data
        return [purge_sweep(closure_kept(schedule))], True
    query = select(account_retention_choice.c.record_class, account_retention_choice.c.keep_hours).where(
        account_retention_choice.c.account_id == account_id)
    chosen = {name: int(hours) for name, hours in conn.execute(query)}
    return sweeps_for(schedule, row.profile, chosen, now), False


def plan_account(conn: Connection, schedule: Schedule, account_id: int, holds: list[Hold],
                 now: datetime) -> tuple[RecordPlan, dict[RecordRef, Located]]:
    """The exact plan of one account (used for accounts with holds)."""
    sweeps, purge = sweeps_of_account(conn, schedule, account_id, now)
    sources = every_source() if purge else list(TIMED.values())
    records = read_records(conn, account_id, sources)
    mine = [h for h in holds if h.account_id == account_id]
    tombstoned = frozenset(conn.execute(select(retention_tombstone.c.record_key)
                                        .where(retention_tombstone.c.account_id == account_id)).scalars())
    return plan_records(account_id, sweeps, list(records), mine, now, tombstoned), records


def _key_bytes(table: str, key: Any) -> bytes:
    return key if isinstance(key, bytes) else f"{table}:{key}".encode()


__all__ = ["Located", "plan_account", "read_records", "sweeps_of_account"]
