"""The retention schedule compiled from the policy's `retention` section (pure; `now` passed in).

Rule types (issue #6): time-based (occurred before now − N days), count-based (keep the newest N
per account, by occurrence time then id, across one or several classes together), per account
profile, "not available" for a profile (delete any found), the customer's own interval with the
policy's minimum (SpectrumVoIP: chat "at any interval between twenty-four (24) hours and up"),
closure purge (closed at least N days before now, deadline M; the classes the policy keeps for tax,
accounting or disputes are de-identified, not deleted), and kept while needed.

"Not available" never reaches call, fax or SMS logs: they are billing records that follow the log rule
(SpectrumVoIP's HIPAA table says "SMS Messages — Not Available" of the messages; "Call/Fax Log Records"
are kept for all accounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from custodian.policy.document import Retention
from custodian.policy.vocabulary import BILLING_LOG_CLASSES

TIME, COUNT, NOT_AVAILABLE = "time", "count", "not_available"
CUSTOMER_INTERVAL, CLOSURE = "customer_interval", "closure"


@dataclass(frozen=True)
class ScheduledRule:
    """One rule for one profile: `days`, `newest` or `min_hours` set as its kind needs."""

    kind: str
    classes: frozenset[str]
    profile: str
    days: int | None = None
    newest: int | None = None
    min_hours: int | None = None


@dataclass(frozen=True)
class Sweep:
    """What to delete for one account now: records of `classes` that occurred before `cutoff`
    (None = whatever their time), or all but the `keep_newest` newest across the classes."""

    kind: str
    classes: frozenset[str]
    cutoff: datetime | None = None
    keep_newest: int | None = None
    kept: frozenset[str] = frozenset()  # a closure purge: classes kept de-identified, not deleted


@dataclass(frozen=True)
class Schedule:
    """Every deleting rule per profile, the closure terms, and the classes kept while needed."""

    rules: tuple[ScheduledRule, ...]
    while_needed: frozenset[tuple[str, str]]
    purge_after_days: int | None
    deadline_days: int | None
    deidentify: frozenset[str] = frozenset()  # kept de-identified by a closure purge

    def rules_for(self, profile: str) -> tuple[ScheduledRule, ...]:
        """The deleting rules that apply to accounts of `profile`."""
        return tuple(rule for rule in self.rules if rule.profile == profile)


def compile_schedule(retention: Retention) -> Schedule:
    """Turn the policy's retention section into one rule per (rule, profile)."""
    rules: list[ScheduledRule] = []
    kept: set[tuple[str, str]] = set()
    for rule in retention.rules:
        classes = frozenset(rule.classes)
        for profile in rule.profiles:
            if rule.keep == "while_needed":
                kept.update((name, profile) for name in classes)
            elif rule.keep == "not_available":
                if classes - BILLING_LOG_CLASSES:
                    rules.append(ScheduledRule(NOT_AVAILABLE, classes - BILLING_LOG_CLASSES, profile))
            elif rule.keep.days is not None:
                rules.append(ScheduledRule(TIME, classes, profile, days=rule.keep.days))
            elif rule.keep.newest is not None:
                rules.append(ScheduledRule(COUNT, classes, profile, newest=rule.keep.newest))
            else:
                rules.append(ScheduledRule(CUSTOMER_INTERVAL, classes, profile,
                                           min_hours=rule.keep.customer_set_min_hours))
    closure = retention.on_closure
    return Schedule(tuple(rules), frozenset(kept), closure.purge_after_days if closure else None,
                    closure.deadline_days if closure else None,
                    frozenset(closure.deidentify) if closure else frozenset())


def sweeps_for(schedule: Schedule, profile: str, chosen_hours: Mapping[str, int], now: datetime) -> list[Sweep]:
    """What an open account of `profile` loses at `now`; `chosen_hours` is its own interval per class.

    A customer's interval shorter than the policy's minimum is raised to the minimum; a class whose
    interval the customer has not set is kept (the policy says "while needed until set").
    """
    sweeps: list[Sweep] = []
    for rule in schedule.rules_for(profile):
        if rule.kind == TIME and rule.days is not None:
            sweeps.append(Sweep(TIME, rule.classes, cutoff=now - timedelta(days=rule.days)))
        elif rule.kind == COUNT:
            sweeps.append(Sweep(COUNT, rule.classes, keep_newest=rule.newest))
        elif rule.kind == NOT_AVAILABLE:
            sweeps.append(Sweep(NOT_AVAILABLE, rule.classes))
        elif rule.kind == CUSTOMER_INTERVAL and rule.min_hours is not None:
            for name in sorted(rule.classes):
                if name in chosen_hours:
                    hours = max(chosen_hours[name], rule.min_hours)
                    sweeps.append(Sweep(CUSTOMER_INTERVAL, frozenset({name}), cutoff=now - timedelta(hours=hours)))
    return sweeps


def closure_due(schedule: Schedule, closed_on: date | None, now: datetime) -> bool:
    """True when an account closed on `closed_on` must be purged by now (closed ≥ N days before now)."""
    if schedule.purge_after_days is None or closed_on is None:
        return False
    return closed_on + timedelta(days=schedule.purge_after_days) <= now.date()


def closure_deadline(schedule: Schedule, closed_on: date) -> date | None:
    """The last day by which a closed account must be purged (closed + M days)."""
    return None if schedule.deadline_days is None else closed_on + timedelta(days=schedule.deadline_days)


def closure_kept(schedule: Schedule) -> frozenset[str]:
    """What a closure purge of a held account leaves for the de-identifying purge after the hold: the kept
    classes, and the payment instruments kept transactions still link to until that purge clears the link."""
    linked = {"billing.payment_instrument"} if "billing.transactions" in schedule.deidentify else set()
    return schedule.deidentify | linked


def purge_sweep(kept: frozenset[str] = frozenset()) -> Sweep:
    """A closure purge: every record of every class but the `kept` ones (de-identified instead)."""
    return Sweep(CLOSURE, frozenset(), cutoff=None, kept=kept)
