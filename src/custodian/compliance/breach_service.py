"""Use cases of the breach register (issue 18 §2): record an incident, find the accounts an actor read, record
law-enforcement delays and notifications, and every running clock. Each change appends a `breach.*` audit event
in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.compliance import breach_store as store
from custodian.compliance.breach_store import Affected, Delay, Incident, Notification
from custodian.compliance.clocks import Clock, Facts, applicable_rule_sets, clocks_for, days_left
from custodian.policy.document import PolicyDocument
from custodian.policy.document_compliance import BreachRuleSet, ClockKey

NOTIFICATION_KINDS = ("law_enforcement", "customer", "regulator", "covered_entity", "attorney_general",
                      "annual_summary")
# Which sending stops which clock.
KIND_OF_CLOCK: dict[ClockKey, str] = {
    "law_enforcement_due": "law_enforcement", "customer_notice_due": "customer", "regulator_due": "regulator",
    "covered_entity_due": "covered_entity", "attorney_general_due": "attorney_general",
    "annual_summary_due": "annual_summary"}
# Audit actions that show someone read an account's records: a decided staff read, a legal disclosure.
READ_ACTIONS = ("access.permit", "legal.disclosure")


class BreachError(ValueError):
    """The register refuses a change (a reason a person can act on)."""


@dataclass(frozen=True)
class NewIncident:
    """What the officer records about an incident (the description holds no personal data)."""

    discovered_at: datetime
    determined_at: datetime
    description: str
    classes: tuple[str, ...]
    harm_likely: bool
    rule_sets: tuple[str, ...]
    method: str = ""
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    financial_loss: str = ""
    affected_estimate: int | None = None


@dataclass(frozen=True)
class RunningClock:
    """One clock of one incident, as the register and the dashboard show it."""

    reference: str
    rules: str
    clock: Clock
    days_left: int
    done: bool


def suggested_rule_sets(policy: PolicyDocument) -> list[str]:
    """The rule sets the policy applies to standard accounts in its own jurisdictions (HIPAA's is the officer's
    choice once HIPAA accounts are involved)."""
    return applicable_rule_sets(policy.breach, ["standard"], policy.provider.jurisdictions)


def record_incident(conn: Connection, actor: str, new: NewIncident, known_rules: Sequence[str], now: datetime, *,
                    known_classes: Sequence[str]) -> Incident:
    """Add an incident to the register (rule sets and record classes of the policy in force)."""
    unknown = sorted(set(new.rule_sets) - set(known_rules))
    if unknown:
        raise BreachError(f"the policy has no breach rule set {', '.join(unknown)}")
    strange = sorted(set(new.classes) - set(known_classes))
    if strange or not new.classes:
        raise BreachError(f"name the record classes involved, among the policy's ({', '.join(strange)} unknown)"
                          if strange else "name the record classes involved")
    if not new.rule_sets:
        raise BreachError("choose at least one rule set whose clocks apply")
    if new.discovered_at > new.determined_at:
        raise BreachError("a breach is discovered on or before the day it is determined")
    if not new.description.strip():
        raise BreachError("describe what happened (in words without personal data)")
    values = {"discovered_at": new.discovered_at, "determined_at": new.determined_at,
              "description": new.description.strip(), "method": new.method.strip(),
              "occurred_from": new.occurred_from, "occurred_to": new.occurred_to,
              "financial_loss": new.financial_loss.strip(), "classes": new.classes, "harm_likely": new.harm_likely,
              "rule_sets": new.rule_sets, "affected_estimate": new.affected_estimate, "recorded_by": actor}
    incident = store.insert_incident(conn, values, now)
    audit.append(conn, actor=actor, action="breach.record", record_classes=new.classes,
                 reason="breach incident recorded",
                 detail={"incident": incident.reference, "rule_sets": list(new.rule_sets),
                         "harm_likely": new.harm_likely}, now=now)
    return incident


def rule_sets_missing(conn: Connection, policy: PolicyDocument, incident: Incident) -> list[str]:
    """Rule sets the policy applies to the profiles of the listed accounts that the incident does not have yet
    (HIPAA's, once a HIPAA account is among the affected)."""
    profiles = store.affected_profiles(conn, incident.id)
    wanted = applicable_rule_sets(policy.breach, profiles, policy.provider.jurisdictions) if profiles else []
    return [name for name in wanted if name not in incident.rule_sets]


def add_rule_sets(conn: Connection, actor: str, incident: Incident, names: Sequence[str], known_rules: Sequence[str],
                  now: datetime) -> None:
    """Let more rule sets' clocks run for the incident."""
    unknown = sorted(set(names) - set(known_rules))
    if unknown or not names:
        raise BreachError(f"the policy has no breach rule set {', '.join(unknown)}" if unknown
                          else "choose a rule set to add")
    merged = list(incident.rule_sets) + [n for n in names if n not in incident.rule_sets]
    store.set_rule_sets(conn, incident.id, merged, now)
    audit.append(conn, actor=actor, action="breach.rules", reason="rule sets added to a breach incident",
                 detail={"incident": incident.reference, "rule_sets": merged}, now=now)


def reads_by(conn: Connection, reader: str, start: datetime, end: datetime) -> list[Affected]:
    """The accounts `reader` (a staff username, or an audit actor such as "api:token") read in [start, end)."""
    actor = reader if ":" in reader else f"staff:{reader}"
    first: dict[int, datetime] = {}
    classes: dict[int, set[str]] = {}
    for event in audit.events_between(conn, actor=actor, actions=READ_ACTIONS, start=start, end=end):
        if event.account_id is None:
            continue
        first.setdefault(event.account_id, event.occurred_at)
        classes.setdefault(event.account_id, set()).update(event.record_classes)
    return [Affected(account_id, "audit_trail", first[account_id], tuple(sorted(classes[account_id])))
            for account_id in sorted(first)]


def add_affected_from_audit(conn: Connection, actor: str, incident: Incident, reader: str, start: datetime,
                            end: datetime, now: datetime) -> int:
    """List every account `reader` read in the window as affected; how many were new."""
    if end <= start:
        raise BreachError("the window ends after it starts")
    found = reads_by(conn, reader, start, end)
    added = store.insert_affected(conn, incident.id, found)
    audit.append(conn, actor=actor, action="breach.affected", reason="affected accounts found in the audit trail",
                 detail={"incident": incident.reference, "found": len(found), "added": added,
                         "reader": reader, "from": start.isoformat(), "to": end.isoformat()}, now=now)
    return added


def add_delay(conn: Connection, actor: str, incident: Incident, until_on: date, agency: str, now: datetime) -> None:
    """Record law enforcement's request that customers not be told before `until_on` has passed."""
    if not agency.strip():
        raise BreachError("name the agency that asked for the delay")
    if until_on < now.date():
        raise BreachError("a delay ends today or later")
    store.insert_delay(conn, incident.id, Delay(now, until_on, agency.strip()))
    audit.append(conn, actor=actor, action="breach.delay", reason="law enforcement asked for a delay",
                 detail={"incident": incident.reference, "until": until_on.isoformat()}, now=now)


def record_notification(conn: Connection, actor: str, incident: Incident, note: Notification, now: datetime) -> None:
    """Record a notification drafted or sent (sent outside Custodian: channel "filed")."""
    if note.kind not in NOTIFICATION_KINDS:
        raise BreachError(f"a notification is one of: {', '.join(NOTIFICATION_KINDS)}")
    store.insert_notification(conn, incident.id, note)
    action = "breach.notified" if note.sent_at else "breach.drafted"
    audit.append(conn, actor=actor, action=action, reason=f"{note.kind} notification {note.channel}",
                 detail={"incident": incident.reference, "kind": note.kind, "channel": note.channel,
                         "recipients": note.recipients, "failed": note.failed}, now=now)


def close_incident(conn: Connection, actor: str, incident: Incident, now: datetime) -> None:
    """Close an incident: its clocks stop running."""
    store.set_state(conn, incident.id, "closed", now)
    audit.append(conn, actor=actor, action="breach.close", reason="breach incident closed",
                 detail={"incident": incident.reference}, now=now)


def facts_of(conn: Connection, incident: Incident) -> Facts:
    """What the incident's clocks count from, as the register holds it now."""
    sent = [n for n in store.notifications(conn, incident.id) if n.sent_at is not None]
    told = [n.sent_at.date() for n in sent if n.kind == "law_enforcement" and n.sent_at is not None]
    listed = len(store.affected(conn, incident.id))
    counts = [n for n in (listed or None, incident.affected_estimate) if n is not None]
    until = [d.until_on for d in store.delays(conn, incident.id)]
    return Facts(incident.determined_at.date(), incident.discovered_at.date(), min(told) if told else None,
                 max(counts) if counts else None, incident.harm_likely, max(until) if until else None)


def incident_clocks(conn: Connection, incident: Incident, rule_sets: Mapping[str, BreachRuleSet],
                    today: date) -> list[RunningClock]:
    """Every clock of the incident's rule sets, with days left and whether the sending it asks for is done."""
    facts = facts_of(conn, incident)
    done_kinds = {n.kind for n in store.notifications(conn, incident.id) if n.sent_at is not None}
    found = []
    for name in incident.rule_sets:
        if name not in rule_sets:
            continue  # a rule set the policy in force no longer has: its clocks cannot be counted
        for clock in clocks_for(rule_sets[name], facts):
            # An earliest day counts from law enforcement's notification: allowed once that is sent and the day came.
            allowed = clock.earliest and facts.le_notified is not None and clock.on <= today
            done = KIND_OF_CLOCK.get(clock.key, "") in done_kinds or allowed
            found.append(RunningClock(incident.reference, name, clock, days_left(clock.on, today), done))
    return found


def running_clocks(conn: Connection, rule_sets: Mapping[str, BreachRuleSet], today: date) -> list[RunningClock]:
    """Every clock still running over the open incidents, soonest first (for the officer's dashboard)."""
    found = [clock for incident in store.incidents(conn, open_only=True)
             for clock in incident_clocks(conn, incident, rule_sets, today) if not clock.done]
    return sorted(found, key=lambda c: (c.clock.on, c.reference, c.clock.key))
