"""The transparency report: legal requests counted by requester type, instrument and outcome, for a
half-year or quarter (issue #4 "Transparency report"). Pure: the facts of each request are handed in.

National security process (national security letters, FISA orders) is reported only "in bands of 250
starting with 0-249" or "in bands of 500 starting with 0-499" (50 U.S.C. 1874(a)), never exactly: it is
left out of every exact count, so no figure can be subtracted to reveal it, and shown in bands only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from custodian.legal.calendar import add_months

PERIOD = re.compile(r"^(\d{4})(?:H([12])|Q([1-4]))?$")
OUTCOMES = ("data_produced", "no_data", "rejected", "withdrawn", "pending")
NATIONAL_SECURITY = ("national_security_letter", "fisa_order")


@dataclass(frozen=True)
class RequestFacts:
    """What the report needs of one request (no personal data)."""

    received_on: date
    kind: str
    requester_type: str
    instrument_type: str
    state: str
    targets: int
    accounts_produced: int
    content: bool
    nondisclosure: bool
    notices_sent: int


def parse_period(text: str) -> tuple[date, date]:
    """"2026H1" -> (2026-01-01, 2026-06-30); also "2026Q3" and a whole year "2026"."""
    found = PERIOD.match(text.strip().upper())
    if not found:
        raise ValueError(f"period {text!r}: use YEAR, YEARH1/H2 or YEARQ1-Q4 (e.g. 2026H1)")
    year, half, quarter = int(found.group(1)), found.group(2), found.group(3)
    months, first_month = (6, 1 + 6 * (int(half) - 1)) if half else ((3, 1 + 3 * (int(quarter) - 1)) if quarter
                                                                      else (12, 1))
    first = date(year, first_month, 1)
    return first, date.fromordinal(add_months(first, months).toordinal() - 1)


def outcome_of(facts: RequestFacts) -> str:
    """Some data produced / no data / rejected / withdrawn / still pending."""
    if facts.state in ("rejected", "withdrawn"):
        return facts.state
    if facts.accounts_produced:
        return "data_produced"
    return "no_data" if facts.state in ("delivered", "closed") else "pending"


def band(count: int, width: int) -> str:
    """The band a count falls in, starting at 0: band(7, 250) -> "0-249"."""
    low = count // width * width
    return f"{low}-{low + width - 1}"


def build_report(provider: str, period: str, requests: Iterable[RequestFacts],
                 rejected_at_intake: Iterable[date] = (), band_width: int = 250) -> dict[str, object]:
    """Every count of the report for the requests received in `period`; national security process in bands
    (50 U.S.C. 1874(a)). Submissions refused at intake for missing required fields were never received as
    requests: they are one count apart, without detail."""
    first, last = parse_period(period)
    received = [r for r in requests if first <= r.received_on <= last]
    chosen = [r for r in received if r.instrument_type not in NATIONAL_SECURITY]
    secret = [r for r in received if r.instrument_type in NATIONAL_SECURITY]
    outcomes = Counter(outcome_of(r) for r in chosen)
    return {
        "provider": provider, "period": period.upper(), "from": first.isoformat(), "to": last.isoformat(),
        "requests": len(chosen),
        "by_requester_type": dict(sorted(Counter(r.requester_type for r in chosen).items())),
        "by_instrument": dict(sorted(Counter(r.instrument_type for r in chosen).items())),
        "outcomes": {name: outcomes.get(name, 0) for name in OUTCOMES},
        "accounts_specified": sum(r.targets for r in chosen),
        "accounts_produced": sum(r.accounts_produced for r in chosen),
        "content_requests": sum(1 for r in chosen if r.content),
        "non_content_requests": sum(1 for r in chosen if not r.content and r.kind == "data"),
        "preservation_requests": sum(1 for r in chosen if r.kind == "preservation"),
        "emergency_requests": sum(1 for r in chosen if r.kind == "emergency"),
        "nondisclosure_orders": sum(1 for r in chosen if r.nondisclosure),
        "customer_notices_sent": sum(r.notices_sent for r in chosen),
        "rejected_at_intake": sum(1 for day in rejected_at_intake if first <= day <= last),
        "national_security": {
            **{name: band(sum(1 for r in secret if r.instrument_type == name), band_width)
               for name in NATIONAL_SECURITY},
            "accounts_specified": band(sum(r.targets for r in secret), band_width),
        },
    }


def report_rows(report: dict[str, object]) -> list[tuple[str, str, object]]:
    """The report flattened to (section, key, value) rows, for CSV."""
    rows: list[tuple[str, str, object]] = []
    for section, value in report.items():
        if isinstance(value, dict):
            rows.extend((section, str(key), count) for key, count in value.items())
        else:
            rows.append(("summary", section, value))
    return rows
