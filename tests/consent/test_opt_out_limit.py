"""Opt-outs honoured within the policy's limit: business days, and which opt-outs no list has carried yet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from custodian.consent.opt_out_limit import OptOut, due_on, overdue_opt_outs

# Wednesday 25 November 2026; Thursday 26 is Thanksgiving (a US federal holiday).
RECORDED = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_the_limit_counts_business_days_skipping_weekends_and_federal_holidays() -> None:
    assert due_on(RECORDED, 10) == date(2026, 12, 10)
    assert due_on(RECORDED, 1) == date(2026, 11, 27)


def test_an_opt_out_is_overdue_only_after_its_due_day_without_a_list_pulled_since() -> None:
    opt_out = OptOut("r-1", "marketing", "email", RECORDED)
    on_due_day = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)
    day_after = on_due_day + timedelta(hours=2)
    assert overdue_opt_outs([opt_out], {}, business_days=10, now=on_due_day) == []
    [late] = overdue_opt_outs([opt_out], {}, business_days=10, now=day_after)
    assert (late.receipt_id, late.channel, late.due_on) == ("r-1", "email", date(2026, 12, 10))
    pulled_before = {("marketing", "email"): RECORDED - timedelta(minutes=1)}
    assert len(overdue_opt_outs([opt_out], pulled_before, business_days=10, now=day_after)) == 1
    pulled_since = {("marketing", "email"): RECORDED + timedelta(days=3)}
    assert overdue_opt_outs([opt_out], pulled_since, business_days=10, now=day_after) == []


def test_an_opt_out_of_every_medium_needs_a_fresh_list_on_each_channel_in_use() -> None:
    opt_out = OptOut("r-2", "marketing", "any", RECORDED)
    later = RECORDED + timedelta(days=30)
    pulls = {("marketing", "email"): RECORDED + timedelta(days=1), ("marketing", "sms"): RECORDED - timedelta(days=1)}
    assert [o.channel for o in overdue_opt_outs([opt_out], pulls, business_days=10, now=later)] == ["sms"]
    assert [o.channel for o in overdue_opt_outs([opt_out], {}, business_days=10, now=later)] == ["any"]
