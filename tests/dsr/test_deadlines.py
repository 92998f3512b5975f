"""Deadlines of data-subject requests from the policy's jurisdiction table (issue 15 §3)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from custodian.dsr.deadlines import NoDeadlineRule, add_period, days_left, deadline_for
from custodian.legal.calendar import is_business_day
from custodian.policy.document_requests import EU_AND_UK, DeadlineRule, Period, PrivacyRequests

DEFAULTS = PrivacyRequests()
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize("state", ["US-CA", "US-VA", "US-CO", "US-CT", "US-TX"])
def test_state_privacy_laws_give_45_days_extendable_once_by_45(state: str) -> None:
    """Cal. Civ. Code 1798.130(a)(2): "within 45 days of receiving a verifiable consumer request ... The time
    period ... may be extended once by an additional 45 days when reasonably necessary, provided the consumer
    is provided notice of the extension within the first 45-day period." """
    deadline = deadline_for(DEFAULTS, "access", state, date(2026, 3, 2))
    assert deadline.due == date(2026, 4, 16)
    assert deadline.extended_due == date(2026, 5, 31)


def test_an_opt_out_takes_15_business_days_skipping_weekends_and_federal_holidays_with_no_extension() -> None:
    """Cal. Code Regs. tit. 11, 7026(f): comply with a request to opt-out "as soon as feasibly possible, but no
    later than 15 business days from the date the business receives the request"."""
    # Received Friday 2026-06-26: 3 July (Independence Day observed) is skipped, so is every weekend.
    deadline = deadline_for(DEFAULTS, "opt_out", "US-CA", date(2026, 6, 26))
    assert deadline.due == date(2026, 7, 20)
    assert deadline.extended_due is None


def test_gdpr_gives_one_month_extendable_by_two_more() -> None:
    """GDPR Art. 12(3): "within one month of receipt of the request. That period may be extended by two further
    months where necessary"."""
    deadline = deadline_for(DEFAULTS, "deletion", "DE", date(2026, 1, 31))
    assert deadline.due == date(2026, 2, 28)  # February has no 31st: its last day
    assert deadline.extended_due == date(2026, 4, 30)  # three months from receipt


@pytest.mark.parametrize("code", sorted(EU_AND_UK))
def test_every_eu_member_and_the_united_kingdom_has_the_gdpr_month(code: str) -> None:
    assert deadline_for(DEFAULTS, "access", code, date(2026, 5, 15)).due == date(2026, 6, 15)


def test_shine_the_light_and_a_cpni_copy_take_30_days_without_extension() -> None:
    assert deadline_for(DEFAULTS, "shine_the_light", "US-CA", date(2026, 1, 10)).due == date(2026, 2, 9)
    cpni = deadline_for(DEFAULTS, "cpni_copy", "US-NY", date(2026, 1, 10))  # federal: every state
    assert (cpni.due, cpni.extended_due) == (date(2026, 2, 9), None)


def test_a_type_the_table_does_not_cover_in_a_jurisdiction_has_no_deadline() -> None:
    with pytest.raises(NoDeadlineRule, match="shine_the_light requests from DE"):
        deadline_for(DEFAULTS, "shine_the_light", "DE", date(2026, 1, 10))


def test_a_rule_naming_the_state_wins_over_one_naming_its_country() -> None:
    requests = PrivacyRequests(deadlines=[
        DeadlineRule(jurisdictions=["US"], types=["access"], period=Period(days=60)),
        DeadlineRule(jurisdictions=["US-CA"], types=["access"], period=Period(days=10)),
    ])
    assert deadline_for(requests, "access", "us-ca", date(2026, 1, 1)).due == date(2026, 1, 11)
    assert deadline_for(requests, "access", "US-OR", date(2026, 1, 1)).due == date(2026, 3, 2)


def test_a_period_names_exactly_one_unit_and_an_extension_uses_the_same_unit() -> None:
    with pytest.raises(ValidationError, match="one of days"):
        Period(days=3, months=1)
    with pytest.raises(ValidationError, match="same unit"):
        DeadlineRule(jurisdictions=["US"], types=["access"], period=Period(days=45), extension=Period(months=1))


@given(DAYS, st.integers(min_value=1, max_value=36))
def test_a_month_ends_on_the_same_day_number_or_the_last_day_of_a_shorter_month(received: date, months: int) -> None:
    due = add_period(received, Period(months=months))
    assert (due.year - received.year) * 12 + due.month - received.month == months
    last_day = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(received.day, last_day)


@given(DAYS)
def test_the_gdpr_extension_ends_two_months_after_the_first_month_counted_from_receipt(received: date) -> None:
    deadline = deadline_for(DEFAULTS, "access", "FR", received)
    assert deadline.extended_due is not None
    assert deadline.due < deadline.extended_due
    assert deadline.extended_due == add_period(received, Period(months=3))
    assert deadline.due >= received + timedelta(days=28)


@given(DAYS)
def test_an_opt_out_is_due_on_a_business_day_with_exactly_15_business_days_after_receipt(received: date) -> None:
    due = deadline_for(DEFAULTS, "opt_out", "US-TX", received).due
    between = [received + timedelta(days=n) for n in range(1, (due - received).days + 1)]
    assert is_business_day(due)
    assert sum(is_business_day(day) for day in between) == 15


def test_days_left_count_down_to_the_deadline_and_below_zero_after_it() -> None:
    assert days_left(date(2026, 1, 10), date(2026, 1, 4)) == 6
    assert days_left(date(2026, 1, 10), date(2026, 1, 12)) == -2
