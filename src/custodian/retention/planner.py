"""What a retention run would do at `now`: counts per class deleted and held, accounts purged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from custodian.policy.compiled import CompiledPolicy
from custodian.retention.account_records import plan_account
from custodian.retention.rules import Schedule, compile_schedule
from custodian.retention.sources import every_source
from custodian.retention.targets import Target, gather_work


@dataclass(frozen=True)
class PlanSummary:
    """The plan as `custodian retention plan --json` prints it."""

    now: datetime
    deletions: dict[str, int]
    held: dict[str, int]
    accounts_purged: int

    def as_json(self) -> dict[str, Any]:
        """Exactly {"now", "deletions", "held", "accounts_purged"}."""
        return {"now": self.now.isoformat(), "deletions": dict(sorted(self.deletions.items())),
                "held": dict(sorted(self.held.items())), "accounts_purged": self.accounts_purged}


def schedule_of(policy: CompiledPolicy) -> Schedule:
    """The retention schedule of a compiled policy."""
    return compile_schedule(policy.document.retention)


def purge_targets(account_ids: list[int], kept: frozenset[str] = frozenset()) -> list[Target]:
    """Every row of the accounts, table by table, but the `kept` classes (a closure purge without holds)."""
    return [Target((source,), source.rows() & source.table.c.account_id.in_(account_ids), "closure")
            for source in every_source() if source.record_class not in kept]


def build_plan(conn: Connection, schedule: Schedule, now: datetime) -> PlanSummary:
    """Count what a run at `now` deletes and what holds keep; nothing is changed."""
    work = gather_work(conn, schedule, now)
    deletions: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for target in work.targets:
        deletions.update(target.count_by_class(conn))
    purges = [a for a in work.purges if a not in work.held_accounts]
    for target in purge_targets(purges, schedule.deidentify) if purges else []:
        deletions.update(target.count_by_class(conn))
    for account_id in work.held_accounts:
        plan, _ = plan_account(conn, schedule, account_id, work.holds, now)
        gone, kept = plan.counts()
        deletions.update(gone)
        held.update(kept)
    return PlanSummary(now, {k: v for k, v in deletions.items() if v}, {k: v for k, v in held.items() if v},
                       len(purges))
