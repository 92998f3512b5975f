"""The transparency report: counts by requester type, instrument and outcome for a period."""

from __future__ import annotations

from datetime import date

import pytest

from custodian.legal.transparency import RequestFacts, build_report, outcome_of, parse_period, report_rows


def facts(**changes: object) -> RequestFacts:
    base: dict[str, object] = {
        "received_on": date(2026, 2, 1), "kind": "data", "requester_type": "law_enforcement",
        "instrument_type": "subpoena", "state": "closed", "targets": 1, "accounts_produced": 1, "content": False,
        "nondisclosure": False, "notices_sent": 1}
    return RequestFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_periods_are_half_years_quarters_or_years() -> None:
    assert parse_period("2026H1") == (date(2026, 1, 1), date(2026, 6, 30))
    assert parse_period("2026h2") == (date(2026, 7, 1), date(2026, 12, 31))
    assert parse_period("2026Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError, match="period"):
        parse_period("2026H3")


def test_outcomes_distinguish_produced_no_data_rejected_withdrawn_and_pending() -> None:
    assert outcome_of(facts()) == "data_produced"
    assert outcome_of(facts(accounts_produced=0)) == "no_data"
    assert outcome_of(facts(state="rejected", accounts_produced=0)) == "rejected"
    assert outcome_of(facts(state="withdrawn", accounts_produced=0)) == "withdrawn"
    assert outcome_of(facts(state="in_review", accounts_produced=0)) == "pending"


def test_the_report_counts_only_requests_received_in_the_period() -> None:
    report = build_report("SpectrumVoIP, Inc.", "2026H1", [
        facts(),
        facts(requester_type="civil", instrument_type="subpoena", state="rejected", accounts_produced=0,
              notices_sent=0, targets=2),
        facts(kind="preservation", instrument_type="none", state="in_review", accounts_produced=0, notices_sent=0),
        facts(kind="emergency", instrument_type="emergency_form", content=True, nondisclosure=True, notices_sent=0),
        facts(received_on=date(2026, 7, 1)),
    ])
    assert report["requests"] == 4
    assert report["by_requester_type"] == {"civil": 1, "law_enforcement": 3}
    assert report["by_instrument"] == {"emergency_form": 1, "none": 1, "subpoena": 2}
    assert report["outcomes"] == {"data_produced": 2, "no_data": 0, "rejected": 1, "withdrawn": 0, "pending": 1}
    assert (report["accounts_specified"], report["accounts_produced"]) == (5, 2)
    assert (report["content_requests"], report["non_content_requests"]) == (1, 2)
    assert (report["preservation_requests"], report["emergency_requests"]) == (1, 1)
    assert (report["nondisclosure_orders"], report["customer_notices_sent"]) == (1, 1)
    assert ("outcomes", "rejected", 1) in report_rows(report) and ("summary", "requests", 4) in report_rows(report)
