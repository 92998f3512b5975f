"""A retention run's work as SQL targets: one predicate per table that a batch deletes from.

Accounts without holds are swept by predicate (whole profiles at once for time rules); accounts
with holds are planned record by record with the pure `plan.plan_records` and deleted by id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select, tuple_

from custodian.records.rules import CONTENT_KINDS
from custodian.records.tables import account
from custodian.retention.hold_store import active_holds
from custodian.retention.holds import Hold
from custodian.retention.rules import COUNT, Schedule, Sweep, sweeps_for
from custodian.retention.sources import TIMED, Source, by_table, kind_filter, sources_of
from custodian.retention.tables import account_purge, account_retention_choice, legal_hold, retention_tombstone


@dataclass(frozen=True)
class Target:
    """Rows of one table to delete: `where` selects them (all of `sources`' classes)."""

    sources: tuple[Source, ...]
    where: ColumnElement[bool]
    rule: str
    cutoff: datetime | None = None  # a time rule's cutoff: whole months before it may be dropped
    # A rule over many accounts: the condition without the account and the accounts' query, so a batch
    # can start its account list at the cursor and never rescan rows earlier batches kept.
    condition: ColumnElement[bool] | None = None
    accounts: Select[Any] | None = None

    def where_from(self, account_id: int) -> ColumnElement[bool]:
        """The rows of accounts from `account_id` on."""
        if self.condition is None or self.accounts is None:
            return and_(self.where, self.table.c.account_id >= account_id)
        return and_(self.condition, self.table.c.account_id.in_(self.accounts.where(account.c.id >= account_id)))

    @property
    def table(self) -> Any:
        """The table the rows live in."""
        return self.sources[0].table

    def class_of(self, kind: str | None) -> str:
        """The record class of a deleted row (content rows by their kind)."""
        return CONTENT_KINDS[kind] if kind else self.sources[0].record_class

    def count_by_class(self, conn: Connection) -> Counter[str]:
        """How many rows the target holds now, per record class."""
        table = self.table
        kind = table.c.kind if "kind" in table.c else None
        if kind is None:
            total = conn.execute(select(func.count()).select_from(table).where(self.where)).scalar_one()
            return Counter({self.sources[0].record_class: total} if total else {})
        rows = conn.execute(select(kind, func.count()).where(self.where).group_by(kind))
        return Counter({CONTENT_KINDS[k]: n for k, n in rows})


@dataclass(frozen=True)
class Work:
    """Everything one run must do at `now`."""

    targets: list[Target]
    held_accounts: list[int]
    purges: list[int]
    holds: list[Hold]


def due_on(schedule: Schedule, now: datetime) -> date | None:
    """Accounts closed on or before this day are due for purge."""
    return None if schedule.purge_after_days is None else now.date() - timedelta(days=schedule.purge_after_days)


def accounts_to_purge(conn: Connection, schedule: Schedule, now: datetime) -> list[int]:
    """Closed accounts due for purge, and accounts reported as a child's (seed 002 P88: "we take steps to remove
    that information from our servers"), not yet purged."""
    due = due_on(schedule, now)
    reported = account.c.child_reported_at <= now
    purged = select(account_purge.c.account_id).where(account_purge.c.purged_at.is_not(None))
    return list(conn.execute(select(account.c.id).where(reported if due is None else or_(account.c.closed_on <= due,
                                                                                          reported),
                                                        account.c.id.not_in(purged))
                             .order_by(account.c.id)).scalars())


def gather_work(conn: Connection, schedule: Schedule, now: datetime) -> Work:
    """Work out the targets for unheld accounts, and which accounts need the record-by-record path."""
    holds = active_holds(conn, now)
    held = sorted({h.account_id for h in holds})
    purges = accounts_to_purge(conn, schedule, now)
    targets: list[Target] = []
    for profile in ("standard", "hipaa"):
        eligible = _eligible(schedule, profile, now)
        for sweep in sweeps_for(schedule, profile, {}, now):
            targets.extend(_sweep_targets(conn, sweep, eligible))
    targets.extend(_customer_interval_targets(conn, schedule, now))
    targets.append(_tombstoned_target(schedule, now))
    return Work(targets=targets, held_accounts=held, purges=purges, holds=holds)


def _eligible(schedule: Schedule, profile: str, now: datetime) -> Select[Any]:
    held = select(legal_hold.c.account_id).where(legal_hold.c.placed_at <= now, legal_hold.c.until_at > now,
                                                 or_(legal_hold.c.released_at.is_(None),
                                                     legal_hold.c.released_at > now))
    query = select(account.c.id).where(account.c.profile == profile, account.c.id.not_in(held))
    due = due_on(schedule, now)
    if due is not None:
        query = query.where(or_(account.c.closed_on.is_(None), account.c.closed_on > due))
    return query


def _sweep_targets(conn: Connection, sweep: Sweep, eligible: Select[Any]) -> Iterator[Target]:
    for group in by_table(sources_of(sweep.classes)).values():
        first = group[0]
        rows = and_(kind_filter(group), first.table.c.account_id.in_(eligible))
        if sweep.kind == COUNT and sweep.keep_newest is not None:
            yield from _count_targets(conn, group, rows, sweep.keep_newest)
            continue
        condition = kind_filter(group) if sweep.cutoff is None else and_(kind_filter(group), first.time < sweep.cutoff)
        yield Target(tuple(group), and_(condition, first.table.c.account_id.in_(eligible)), sweep.kind,
                     sweep.cutoff, condition, eligible)
    if sweep.kind == COUNT and len(by_table(sources_of(sweep.classes))) > 1:
        raise ValueError("retention: a count cap may only combine classes stored in one table")


def _count_targets(conn: Connection, group: list[Source], rows: ColumnElement[bool], newest: int) -> Iterator[Target]:
    """Per account over the cap: everything older than its newest-th record (time, then id)."""
    first = group[0]
    table = first.table
    over = conn.execute(select(table.c.account_id).where(rows).group_by(table.c.account_id)
                        .having(func.count() > newest)).scalars().all()
    for account_id in over:
        mine = and_(kind_filter(group), table.c.account_id == account_id)
        boundary = conn.execute(select(first.time, first.key).where(mine)
                                .order_by(first.time.desc(), first.key.desc()).offset(newest - 1).limit(1)).one()
        older = tuple_(first.time, first.key) < tuple_(boundary[0], boundary[1])
        yield Target(tuple(group), and_(mine, older), COUNT)


def _customer_interval_targets(conn: Connection, schedule: Schedule, now: datetime) -> Iterator[Target]:
    """Each account's own interval (raised to the policy minimum), for accounts that set one."""
    choices = conn.execute(select(account_retention_choice.c.account_id, account_retention_choice.c.record_class,
                                  account_retention_choice.c.keep_hours, account.c.profile)
                           .join(account, account.c.id == account_retention_choice.c.account_id)
                           .where(account_retention_choice.c.account_id.in_(
                               select(account.c.id).where(account.c.id.in_(_eligible(schedule, "standard", now))
                                                          | account.c.id.in_(_eligible(schedule, "hipaa", now))))))
    for account_id, record_class, hours, profile in choices:
        for sweep in sweeps_for(schedule, profile, {record_class: hours}, now):
            if sweep.kind != "customer_interval":
                continue
            for source in sources_of(sweep.classes):
                yield Target((source,), and_(source.rows(), source.table.c.account_id == account_id,
                                             source.time < sweep.cutoff), sweep.kind)


def _tombstoned_target(schedule: Schedule, now: datetime) -> Target:
    """Records a customer deleted while a hold kept them, now that no hold does."""
    table = TIMED["content.voice_message"].table
    tombstoned = select(retention_tombstone.c.account_id, retention_tombstone.c.record_key)
    eligible = _eligible(schedule, "standard", now).union(_eligible(schedule, "hipaa", now))
    return Target(tuple(s for s in TIMED.values() if s.table is table),
                  and_(tuple_(table.c.account_id, table.c.record_key).in_(tombstoned),
                       table.c.account_id.in_(eligible)), "customer_deletion")
