"""The transparency report: counts by requester type, instrument and outcome for a period."""

from __future__ import annotations

from datetime import date

import pytest

from custodian.legal.transparency import RequestFacts, band, build_report, outcome_of, parse_period, report_rows


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


def test_submissions_rejected_at_intake_are_one_count_apart_from_the_requests() -> None:
    """Only requests received count as requests; junk submissions refused at intake are one figure, per period."""
    report = build_report("SpectrumVoIP, Inc.", "2026H1", [facts()],
                          rejected_at_intake=[date(2026, 2, 3), date(2026, 6, 30), date(2026, 7, 1)])
    assert report["requests"] == 1 and report["rejected_at_intake"] == 2
    assert ("summary", "rejected_at_intake", 2) in report_rows(report)


@pytest.mark.parametrize(("width", "expected"), [(250, "0-249"), (500, "0-499")])
def test_national_security_process_is_counted_only_in_bands(width: int, expected: str) -> None:
    """50 U.S.C. 1874(a): a provider may report national security letters and FISA orders "in bands of 250
    starting with 0-249" or "in bands of 500 starting with 0-499"; no exact figure, in any output, may reveal
    them (not even by subtracting one total from another)."""
    import csv
    import io

    from custodian.web.legal_documents import render_transparency_html

    secret = [facts(instrument_type="national_security_letter", targets=3, nondisclosure=True, notices_sent=0)
              for _ in range(7)] + [facts(instrument_type="fisa_order", content=False, targets=2)]
    report = build_report("SpectrumVoIP, Inc.", "2026H1", [facts(), *secret], band_width=width)
    assert report["national_security"] == {"national_security_letter": expected, "fisa_order": expected,
                                           "accounts_specified": expected}
    assert report["requests"] == 1 and report["by_instrument"] == {"subpoena": 1}
    assert report["by_requester_type"] == {"law_enforcement": 1} and report["accounts_specified"] == 1
    assert report["nondisclosure_orders"] == 0 and report["customer_notices_sent"] == 1
    out = io.StringIO()
    csv.writer(out).writerows(report_rows(report))
    html = render_transparency_html(report)
    for text in (out.getvalue(), html):
        assert expected in text and "national_security_letter,7" not in text and ">7<" not in text
    assert band(250, 250) == "250-499" and band(999, 500) == "500-999"
