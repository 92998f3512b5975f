"""The retention plan of one account's records (pure; `now` passed in): what goes, what a hold keeps.

This is the reference meaning of every rule; the executor runs the same sweeps as SQL for accounts
without holds and runs this function itself for accounts with holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from custodian.retention.holds import Hold, is_held
from custodian.retention.rules import CLOSURE, COUNT, Sweep


@dataclass(frozen=True, order=True)
class RecordRef:
    """One record: its class, when it occurred (None for records without a time) and its id."""

    record_class: str
    occurred_at: datetime | None
    key: bytes


@dataclass
class RecordPlan:
    """The records a run deletes, and those it would delete but a hold keeps."""

    deleted: list[RecordRef] = field(default_factory=list)
    held: list[RecordRef] = field(default_factory=list)

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Deleted and held counts per record class."""
        return Counter(r.record_class for r in self.deleted), Counter(r.record_class for r in self.held)


def doomed_by(sweep: Sweep, records: Sequence[RecordRef]) -> set[RecordRef]:
    """The records one sweep condemns, holds aside."""
    if sweep.kind == CLOSURE:
        return {r for r in records if r.record_class not in sweep.kept}
    mine = [r for r in records if r.record_class in sweep.classes]
    if sweep.kind == COUNT and sweep.keep_newest is not None:
        # newest first by occurrence time, then id; a record without a time counts as oldest
        ranked = sorted(mine, key=_newest_first)
        return set(ranked[sweep.keep_newest:])
    if sweep.cutoff is None:
        return set(mine)
    cutoff = sweep.cutoff
    return {r for r in mine if r.occurred_at is not None and r.occurred_at < cutoff}


def plan_records(account_id: int, sweeps: Iterable[Sweep], records: Sequence[RecordRef],
                 holds: Sequence[Hold], now: datetime, condemned: frozenset[bytes] = frozenset()) -> RecordPlan:
    """Apply every sweep to one account's records; a held record is kept and reported as held.

    `condemned` are keys of records their customer deleted (tombstones) that are still stored.
    """
    doomed: set[RecordRef] = {r for r in records if r.key in condemned}
    for sweep in sweeps:
        doomed |= doomed_by(sweep, records)
    plan = RecordPlan()
    for record in sorted(doomed, key=_oldest_first):
        if is_held(holds, account_id, record.record_class, record.occurred_at, now):
            plan.held.append(record)
        else:
            plan.deleted.append(record)
    return plan


def _newest_first(record: RecordRef) -> tuple[bool, float, bytes]:
    stamp = record.occurred_at.timestamp() if record.occurred_at else float("-inf")
    return (record.occurred_at is None, -stamp, bytes(255 - b for b in record.key))


def _oldest_first(record: RecordRef) -> tuple[float, bytes, str]:
    stamp = record.occurred_at.timestamp() if record.occurred_at else float("-inf")
    return (stamp, record.key, record.record_class)
