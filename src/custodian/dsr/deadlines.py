"""When a data-subject request must be answered, from the policy's jurisdiction table (issue 15 §3).

Pure: the received day is passed in. Calendar days and months count from the day of receipt; a month
ends on the same day number, or on the month's last day when it has none (GDPR Art. 12(3), Reg. 1182/71);
business days skip weekends and US federal holidays (legal/calendar.py). An extension is counted from
receipt too: 45 + 45 days, or one + two months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from custodian.legal.calendar import add_business_days, add_months
from custodian.policy.document_requests import DeadlineRule, Period, PrivacyRequests


class NoDeadlineRule(LookupError):
    """The policy has no deadline for this request type in this jurisdiction."""


@dataclass(frozen=True)
class Deadline:
    """The day a request is due, and the latest day an extension may move it to (None: no extension)."""

    due: date
    extended_due: date | None
    citation: str = ""


def rule_for(requests: PrivacyRequests, request_type: str, jurisdiction: str) -> DeadlineRule:
    """The rule naming `jurisdiction` exactly, else its country ("US" for "US-TX"); NoDeadlineRule if none."""
    code = jurisdiction.strip().upper()
    country = code.split("-", 1)[0]
    for wanted in (code, country):
        for rule in requests.deadlines:
            if request_type in rule.types and wanted in rule.jurisdictions:
                return rule
    raise NoDeadlineRule(f"the policy sets no deadline for {request_type} requests from {code}")


def deadline_for(requests: PrivacyRequests, request_type: str, jurisdiction: str, received_on: date) -> Deadline:
    """The due day of a request received on `received_on`, and its extended due day if it may be extended."""
    rule = rule_for(requests, request_type, jurisdiction)
    due = add_period(received_on, rule.period)
    extended = add_period(received_on, _sum(rule.period, rule.extension)) if rule.extension else None
    return Deadline(due, extended, rule.citation)


def add_period(day: date, period: Period) -> date:
    """`day` plus the period."""
    if period.days is not None:
        return day + timedelta(days=period.days)
    if period.business_days is not None:
        return add_business_days(day, period.business_days)
    assert period.months is not None  # the schema requires exactly one unit
    return add_months(day, period.months)


def _sum(first: Period, extension: Period) -> Period:
    if first.days is not None and extension.days is not None:
        return Period(days=first.days + extension.days)
    if first.months is not None and extension.months is not None:
        return Period(months=first.months + extension.months)
    if first.business_days is not None and extension.business_days is not None:
        return Period(business_days=first.business_days + extension.business_days)
    raise ValueError("a deadline and its extension are counted in the same unit")


def days_left(deadline: date, today: date) -> int:
    """Calendar days from `today` to `deadline` (negative once it has passed)."""
    return (deadline - today).days
