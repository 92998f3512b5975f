"""Quotes from SpectrumVoIP's fee schedule (DRG XI "Cost Reimbursement"), one test per fee rule."""

from __future__ import annotations

from typing import Any

import pytest

from custodian.legal.fees import quote
from custodian.legal.types import QuoteRequest
from tests.builders.legal import spectrumvoip

TWO_MONTHS = {"from": "2026-01-01", "to": "2026-02-28"}


def lines(**fields: Any) -> dict[str, tuple[float, int, int]]:
    result = quote(QuoteRequest.model_validate({"accounts": 1, **fields}), list(spectrumvoip().document.legal.fees))
    found = {line.code: (line.quantity, line.unit_cents, line.amount_cents) for line in result.lines}
    assert result.total_cents == sum(amount for _, _, amount in found.values())
    return found


def test_basic_records_cost_fifty_dollars_per_account_for_any_combination() -> None:
    """'$50.00 Per account for any combination of the following: Basic Subscriber Information, Billing History
    Information, Additional Number or Extensions, Comment Logs'."""
    classes = ["subscriber.basic", "billing.transactions", "numbers.assignments", "support.comment_log"]
    assert lines(accounts=2, record_classes=classes) == {"basic_records": (2, 5000, 10000)}
    assert lines(accounts=3, record_classes=["support.comment_log"]) == {"basic_records": (3, 5000, 15000)}


def test_preservation_and_expedited_handling_cost_one_hundred_dollars_per_account_each() -> None:
    """'$100.00 Per account for: Preservation, and/or Expedited Handling, if available'."""
    assert lines(accounts=2, preservation=True) == {"preservation": (2, 10000, 20000)}
    assert lines(accounts=2, expedite=True) == {"expedite": (2, 10000, 20000)}
    assert lines(accounts=1, preservation=True, expedite=True) == {
        "preservation": (1, 10000, 10000), "expedite": (1, 10000, 10000)}


@pytest.mark.parametrize(("window", "months"), [
    (TWO_MONTHS, 2), ({"from": "2026-01-31", "to": "2026-02-01"}, 2), ({"from": "2026-03-05", "to": "2026-03-05"}, 1),
    ({"from": "2025-12-15", "to": "2026-02-15"}, 3),
])
def test_call_and_fax_logs_cost_forty_dollars_per_calendar_month_touched_per_account(
        window: dict[str, str], months: int) -> None:
    """'$40.00/Month Call/Fax Log Records per account' (a month is a calendar month the range touches)."""
    assert lines(accounts=2, record_classes=["cpni.call_log", "cpni.fax_log"], date_range=window) == {
        "call_fax_logs": (2 * months, 4000, 2 * months * 4000)}


def test_sms_logs_are_a_separate_forty_dollar_monthly_line() -> None:
    """'$40.00/Month SMS Log Records per account'."""
    assert lines(accounts=1, record_classes=["cpni.sms_log", "cpni.call_log"], date_range=TWO_MONTHS) == {
        "call_fax_logs": (2, 4000, 8000), "sms_logs": (2, 4000, 8000)}


def test_content_costs_eighty_dollars_per_month_per_content_type() -> None:
    """'$80.00/Month Per Content of Communications Type: Faxes; Content of SMS Messages; Voice Messages
    (Call Recordings nested under it)'."""
    classes = ["content.fax_incoming", "content.fax_sent", "content.sms_body", "content.voice_message",
               "content.call_recording"]
    assert lines(accounts=2, record_classes=classes, date_range=TWO_MONTHS) == {
        "content.faxes": (4, 8000, 32000), "content.sms_content": (4, 8000, 32000),
        "content.voice_messages": (4, 8000, 32000)}


def test_chat_data_is_billed_by_engineer_time_not_by_month() -> None:
    """'$250.00/hour/Engineer Glip Data — Requests requiring more than 0.5 hours will be billed at a one- (1-)
    hour minimum'."""
    assert lines(record_classes=["content.chat"], date_range=TWO_MONTHS, chat_engineer_hours=0.75) == {
        "chat_data": (1, 25000, 25000)}
    assert lines(record_classes=["content.chat"], date_range=TWO_MONTHS, chat_engineer_hours=0.5) == {}


@pytest.mark.parametrize(("field", "code", "rate"), [
    ("paralegal_hours", "paralegal_time", 19000), ("engineer_hours", "engineer_time", 25000),
    ("attorney_hours", "attorney_time", 45000)])
def test_hourly_work_has_a_one_hour_minimum_once_it_exceeds_half_an_hour(field: str, code: str, rate: int) -> None:
    """'$190.00/hour/Paralegal Time; $250.00/hour/Engineer Time; $450/hour/Attorney Time. Requests requiring more
    than 0.5 hours will be billed at a one- (1-) hour minimum.'"""
    assert lines(**{field: 0.5}) == {}
    assert lines(**{field: 0.6}) == {code: (1, rate, rate)}
    assert lines(**{field: 2.5}) == {code: (2.5, rate, int(2.5 * rate))}


def test_pages_cost_a_quarter_each_beyond_ten() -> None:
    """'$0.25/Page Photocopies and facsimiles exceeding ten pages'."""
    assert lines(pages=10) == {}
    assert lines(pages=14) == {"pages": (4, 25, 100)}


def test_a_notarized_document_costs_sixty_dollars_plus_ten_per_signature() -> None:
    """'$60.00 for travel and $10 per signature Per notarized document request (i.e. affidavit)'."""
    assert lines(notarized_documents=1, signatures=3) == {"notary_travel": (1, 6000, 6000),
                                                          "notary_signature": (3, 1000, 3000)}


def test_actual_cost_lines_are_never_guessed_in_a_quote() -> None:
    """'Pen Register/Trap and Trace — SpectrumVoIP's actual cost'."""
    fees = {fee.code: fee for fee in spectrumvoip().document.legal.fees}
    assert fees["pen_register"].amount_cents is None and fees["wiretap"].amount_cents is None
    assert "pen_register" not in lines(accounts=5, record_classes=["cpni.call_log"], date_range=TWO_MONTHS)


def test_the_issue_example_quote_adds_up() -> None:
    found = lines(accounts=2, record_classes=["subscriber.basic", "cpni.call_log"], date_range=TWO_MONTHS,
                  expedite=True, paralegal_hours=1)
    assert found == {"basic_records": (2, 5000, 10000), "expedite": (2, 10000, 20000),
                     "call_fax_logs": (4, 4000, 16000), "paralegal_time": (1, 19000, 19000)}


@pytest.mark.parametrize(("instrument", "item"), [("pen_register_order", "Pen Register/Trap and Trace"),
                                                   ("wiretap_order", "Wiretap")])
def test_prospective_orders_bill_the_schedules_actual_cost_line(instrument: str, item: str) -> None:
    """DRG XI: "Pen Register/Trap and Trace" and "Wiretap" at "SpectrumVoIP's actual cost"."""
    from custodian.legal.fees import actual_cost_fees

    fees = list(spectrumvoip().document.legal.fees)
    assert [fee.item for fee in actual_cost_fees(instrument, fees)] == [item]
    assert actual_cost_fees("subpoena", fees) == []
