"""The request lifecycle, the queue and the desk's calendar (DRG V.C "Time for Response", X)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from custodian.legal.calendar import add_business_days, add_months, months_touched
from custodian.legal.lifecycle import (
    QueueEntry,
    TransitionNotAllowed,
    check_transition,
    due_on,
    inquiry_allowed_on,
    queue_order,
)


def test_the_happy_path_and_its_exits_are_allowed_and_nothing_skips_review() -> None:
    path = ["received", "in_review", "approved", "producing", "awaiting_payment", "delivered", "closed"]
    for current, target in itertools.pairwise(path):
        check_transition(current, target)
    check_transition("received", "needs_information")
    check_transition("needs_information", "in_review")
    check_transition("in_review", "rejected")
    for current, target in [("received", "approved"), ("in_review", "producing"), ("closed", "in_review"),
                            ("rejected", "approved"), ("approved", "rejected"), ("approved", "delivered")]:
        with pytest.raises(TransitionNotAllowed):
            check_transition(current, target)


def test_law_enforcement_comes_before_civil_then_expedited_then_order_received() -> None:
    """'Requests are generally handled in the order received, subject to other pending expedited requests,
    with law enforcement requests given priority.'"""
    def entry(i: int, who: str, day: int, expedite: bool = False, kind: str = "data") -> QueueEntry:
        return QueueEntry(i, who, kind, expedite, datetime(2026, 3, day, tzinfo=UTC))
    entries = [entry(1, "civil", 1), entry(2, "law_enforcement", 5), entry(3, "law_enforcement", 3),
               entry(4, "civil", 2, expedite=True), entry(5, "law_enforcement", 9, expedite=True),
               entry(6, "civil", 9, kind="emergency")]
    assert [e.request_id for e in queue_order(entries)] == [6, 5, 3, 2, 4, 1]


def test_the_response_is_due_on_the_requested_date_else_within_thirty_days() -> None:
    """'generally a response may be expected within thirty (30) days'."""
    assert due_on(date(2026, 3, 2), None) == date(2026, 4, 1)
    assert due_on(date(2026, 3, 2), date(2026, 3, 20)) == date(2026, 3, 20)


def test_status_inquiries_wait_ten_business_days_skipping_weekends_and_federal_holidays() -> None:
    """'please allow SpectrumVoIP ten (10) business days to respond to your request before you inquire as to its
    status.'"""
    assert inquiry_allowed_on(date(2026, 3, 2)) == date(2026, 3, 16)
    # Memorial Day (2026-05-25) is skipped.
    assert add_business_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_calendar_months_clamp_and_count_touched_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 2) == date(2026, 2, 15)
    assert months_touched(date(2026, 1, 31), date(2026, 2, 1)) == 2
    assert months_touched(date(2026, 2, 1), date(2026, 1, 1)) == 0
