"""The officer's dashboard from the store (issue 18 §4): the deadlines of every desk, the retention status and the
last twelve months counted for the charts. Counts, references and dates only: no subscriber data is read."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from custodian.access.tables import break_glass
from custodian.audit.tables import audit_event
from custodian.compliance import breach_service, cpni_certification
from custodian.compliance.dashboard import (
    Chart,
    Deadline,
    certification_deadline,
    first_of_window,
    in_order,
    last_months,
)
from custodian.consent.cpni import accounts_due
from custodian.dsr.tables import privacy_request
from custodian.dsr.types import OPEN_STATES
from custodian.legal import desk_views
from custodian.legal.tables import legal_preservation, legal_request
from custodian.policy.document_compliance import BreachRuleSet
from custodian.records.figures import StoreFigures, store_figures
from custodian.retention.tables import retention_run, retention_tally

LEGAL_ANSWERED = frozenset({"delivered", "closed", "rejected", "withdrawn"})
CLOCK_WHAT = {"law_enforcement_due": "tell law enforcement", "customer_notice_earliest": "customers may be told",
              "customer_notice_due": "tell customers", "regulator_due": "tell the FCC",
              "covered_entity_due": "tell the covered entity", "attorney_general_due": "tell the attorney general",
              "annual_summary_due": "report in the FCC annual summary"}
ANSWER_BANDS = (("Answered in 15 days or fewer", 15), ("In 16 to 30 days", 30), ("In 31 to 45 days", 45),
                ("In more than 45 days", 10**6))


@dataclass(frozen=True)
class RetentionStatus:
    """When the schedule last finished, and how many closed accounts are past their purge deadline."""

    last_finished: datetime | None
    overdue_accounts: int


def deadlines(conn: Connection, rule_sets: Mapping[str, BreachRuleSet], now: datetime) -> list[Deadline]:
    """Every deadline in one list: privacy requests, legal requests, preservations expiring, breach clocks, the
    CPNI certification and CPNI notice renewals; soonest first."""
    today = now.date()
    found = [Deadline("Privacy request", r.reference, r.due_on, f"answer the {r.request_type.replace('_', ' ')} "
                      "request", f"/console/privacy-requests/{r.reference}")
             for r in conn.execute(select(privacy_request.c.reference, privacy_request.c.request_type,
                                          privacy_request.c.due_on)
                                   .where(privacy_request.c.state.in_(OPEN_STATES),
                                          privacy_request.c.due_on.is_not(None)))]
    found += [Deadline("Legal request", r.tracking_number, r.due_on, f"answer the {r.kind.replace('_', ' ')} request",
                       f"/console/legal/requests/{r.id}")
              for r in desk_views.queue(conn, desk_views.QueueFilter())
              if r.state not in LEGAL_ANSWERED and r.due_on is not None]
    found += [Deadline("Preservation expiring", r.tracking_number, r.expires_at.date(),
                       "the preserved snapshot is deleted unless extended or linked to a data request",
                       f"/console/legal/requests/{r.request_id}")
              for r in conn.execute(select(legal_preservation.c.request_id, legal_preservation.c.expires_at,
                                           legal_request.c.tracking_number)
                                    .join(legal_request, legal_request.c.id == legal_preservation.c.request_id)
                                    .where(legal_preservation.c.deleted_at.is_(None)))]
    found += [Deadline("Breach clock", c.reference, c.clock.on, CLOCK_WHAT.get(c.clock.key, c.clock.key)
                       + f", {rule_sets[c.rules].title if c.rules in rule_sets else c.rules}",
                       f"/console/officer/breaches/{c.reference}")
              for c in breach_service.running_clocks(conn, rule_sets, today)]
    found.append(certification_deadline(today, cpni_certification.generated(conn, today.year - 1)))
    due = len(accounts_due(conn, now))
    if due:
        found.append(Deadline("CPNI notice renewals", f"{due} account{'s' if due != 1 else ''}", today,
                              "the two-yearly CPNI notice is due (47 CFR 64.2008(d)(2)); the consent-cpni-notices "
                              "job sends it", ""))
    return in_order(found)


def store_counts(conn: Connection) -> StoreFigures:
    """The record store's figures (row counts only), moved here from the public home page."""
    return store_figures(conn)


def retention_status(conn: Connection, overdue_accounts: int) -> RetentionStatus:
    """The last finished retention run, with the count of closed accounts the plan says are due now."""
    last = conn.execute(select(func.max(retention_run.c.finished_at))
                        .where(retention_run.c.status == "finished")).scalar()
    return RetentionStatus(last, overdue_accounts)


def charts(conn: Connection, now: datetime) -> list[Chart]:
    """The last twelve months: legal requests by kind and outcome, access refused and break-glass uses by month,
    retention deletions by record class, privacy requests by type and days to answer."""
    today = now.date()
    since = datetime.combine(first_of_window(today), datetime.min.time(), tzinfo=UTC)
    months = last_months(today)
    legal = Counter((r.kind, r.state) for r in conn.execute(
        select(legal_request.c.kind, legal_request.c.state).where(legal_request.c.received_at >= since)))
    kinds = sorted({k for k, _ in legal})
    outcomes = sorted({s for _, s in legal})
    denies = Counter(_month(at) for (at,) in conn.execute(
        select(audit_event.c.occurred_at).where(audit_event.c.action == "access.deny",
                                                audit_event.c.occurred_at >= since)))
    glass = Counter(_month(at) for (at,) in conn.execute(
        select(break_glass.c.opened_at).where(break_glass.c.opened_at >= since)))
    deleted = dict(conn.execute(
        select(retention_tally.c.record_class, func.sum(retention_tally.c.deleted))
        .join(retention_run, retention_run.c.id == retention_tally.c.run_id)
        .where(retention_run.c.started_at >= since).group_by(retention_tally.c.record_class)).all())
    answered: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, received, closed in conn.execute(select(
            privacy_request.c.request_type, privacy_request.c.received_at, privacy_request.c.closed_at)
            .where(privacy_request.c.received_at >= since)):
        answered[kind][_band(received, closed)] += 1
    types = sorted(answered)
    bands = [label for label, _ in ANSWER_BANDS] + ["Not answered yet"]
    classes = sorted(deleted)
    return [
        Chart("chart-legal", "Legal requests by kind and outcome", tuple(k.replace("_", " ") for k in kinds),
              {s.replace("_", " ").capitalize(): [legal[(k, s)] for k in kinds] for s in outcomes}),
        Chart("chart-access", "Access refused and break-glass uses by month", tuple(months),
              {"Access refused": [denies[m] for m in months], "Break-glass uses": [glass[m] for m in months]}),
        Chart("chart-retention", "Records deleted by retention, by record class", tuple(classes),
              {"Records deleted": [int(deleted[c]) for c in classes]}),
        Chart("chart-privacy", "Privacy requests by type and days to answer", tuple(t.replace("_", " ") for t in types),
              {band: [answered[t][band] for t in types] for band in bands}),
    ]


def _month(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"


def _band(received: datetime, closed: datetime | None) -> str:
    if closed is None:
        return "Not answered yet"
    days = (closed - received).days
    return next(label for label, most in ANSWER_BANDS if days <= most)
