"""Retention use cases for the edges: the schedule in force, receipts, the privacy officer's view."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from custodian.audit import store as audit
from custodian.audit.tables import audit_event
from custodian.policy import store as policy_store
from custodian.policy.compiled import CompiledPolicy
from custodian.records.tables import account
from custodian.retention import hold_service
from custodian.retention.holds import Hold
from custodian.retention.planner import PlanSummary, build_plan, schedule_of
from custodian.retention.rules import CUSTOMER_INTERVAL, Schedule
from custodian.retention.tables import account_retention_choice


class InvalidInterval(ValueError):
    """A customer's retention interval the policy does not allow (the message names the field)."""


class NoPolicyInForce(LookupError):
    """No policy version is in force, so there is no schedule to run."""


@dataclass(frozen=True)
class Receipt:
    """One finished run as its audit event records it."""

    seq: int
    recorded_at: datetime
    run_id: int
    now: str
    deleted: dict[str, int]
    accounts: dict[str, dict[str, int]]
    deidentified: dict[str, dict[str, int]] = field(default_factory=dict)  # account id -> class -> rows kept


@dataclass(frozen=True)
class RetentionView:
    """What the privacy officer's retention page shows."""

    rules: list[dict[str, Any]]
    on_closure: dict[str, Any] | None
    next_run: PlanSummary
    holds: list[Hold]
    receipts: list[Receipt]


def policy_in_force(conn: Connection, now: datetime) -> CompiledPolicy:
    """The compiled policy in force at `now`, or NoPolicyInForce."""
    version = policy_store.in_force(conn, now)
    if version is None:
        raise NoPolicyInForce("no policy version is in force; run `custodian policy activate FILE`")
    return version.compiled()


def receipts(conn: Connection, limit: int = 20) -> list[Receipt]:
    """The newest retention receipts from the audit chain."""
    rows = conn.execute(select(audit_event).where(audit_event.c.action == "retention.receipt")
                        .order_by(audit_event.c.seq.desc()).limit(limit))
    found = []
    for row in rows:
        detail = json.loads(row.detail)
        found.append(Receipt(row.seq, row.occurred_at, detail["run"], detail["now"], detail["deleted"],
                             detail["accounts"], detail.get("deidentified", {})))
    return found


def retention_view(conn: Connection, policy: CompiledPolicy, now: datetime) -> RetentionView:
    """The schedule as the policy states it, the next run's plan, holds in effect and recent receipts."""
    retention = policy.document.retention
    rules = [{"classes": rule.classes, "profiles": rule.profiles,
              "keep": rule.keep if isinstance(rule.keep, str) else rule.keep.model_dump(exclude_none=True),
              "note": rule.note} for rule in retention.rules]
    closure = retention.on_closure.model_dump() if retention.on_closure else None
    schedule: Schedule = schedule_of(policy)
    return RetentionView(rules=rules, on_closure=closure, next_run=build_plan(conn, schedule, now),
                         holds=hold_service.list_holds(conn, now), receipts=receipts(conn, 10))


def set_customer_interval(conn: Connection, policy: CompiledPolicy, *, account_id: int, record_class: str,
                          hours: int, actor: str, now: datetime) -> None:
    """Record how long the customer keeps `record_class` (e.g. chat); never under the policy's minimum."""
    profile = conn.execute(select(account.c.profile).where(account.c.id == account_id)).scalar()
    if profile is None:
        raise InvalidInterval(f"account: no account with id {account_id}")
    minimum = [rule.min_hours for rule in schedule_of(policy).rules_for(profile)
               if rule.kind == CUSTOMER_INTERVAL and record_class in rule.classes and rule.min_hours]
    if not minimum:
        raise InvalidInterval(f"record_class: the policy does not let {profile} customers set how long "
                              f"{record_class} is kept")
    if hours < minimum[0]:
        raise InvalidInterval(f"hours: at least {minimum[0]} hours")
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(account_retention_choice).values(account_id=account_id, record_class=record_class,
                                                           keep_hours=hours, set_at=now)
    conn.execute(stmt.on_conflict_do_update(index_elements=["account_id", "record_class"],
                                            set_={"keep_hours": hours, "set_at": now}))
    audit.append(conn, actor=actor, action="retention.interval", account_id=account_id, record_classes=[record_class],
                 now=now, reason="the customer set how long these records are kept", detail={"hours": hours})
