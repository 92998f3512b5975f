"""The pure rules of customer notice, the objection period and payment before delivery."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custodian.legal.notice_rules import (
    NoticeState,
    gag_in_force,
    notice_text,
    notified_after_delivery,
    notified_on_acceptance,
    production_blocker,
    withholds_delivery_until_paid,
)

DAY = date(2026, 3, 2)
REQUESTERS = ("law_enforcement", "foreign_government", "civil", "customer")


def test_a_data_request_is_noticed_on_acceptance_and_an_emergency_only_after_delivery() -> None:
    """18 U.S.C. 2702(b)(8) gives no prior notice of an emergency disclosure; DRG VIII notifies of Data Requests."""
    assert notified_on_acceptance("data") and not notified_after_delivery("data")
    assert notified_after_delivery("emergency") and not notified_on_acceptance("emergency")
    assert not notified_on_acceptance("preservation") and not notified_after_delivery("preservation")


def test_an_order_binds_until_the_day_it_is_lifted() -> None:
    """'... will notify the affected customer(s) as soon as the order is overturned or expires.'"""
    assert gag_in_force(True, None, DAY)
    assert gag_in_force(True, DAY + timedelta(days=1), DAY)
    assert not gag_in_force(True, DAY, DAY)
    assert not gag_in_force(False, None, DAY)


@given(st.sampled_from([r for r in REQUESTERS if r != "civil"]), st.integers(0, 90), st.integers(-30, 30))
def test_governmental_process_never_waits_for_an_objection(requester: str, days: int, offset: int) -> None:
    """2703(c)(3): a governmental entity 'is not required to provide notice to a subscriber or customer'."""
    notices = [NoticeState("pending", None), NoticeState("sent", DAY)]
    assert production_blocker(requester, notices, days, DAY + timedelta(days=offset)) is None


@given(st.integers(0, 90), st.integers(0, 120))
def test_a_civil_production_starts_exactly_objection_days_after_the_last_notice(days: int, waited: int) -> None:
    """Civil requests wait legal.notification.objection_days after the notice so the customer can move to quash."""
    notices = [NoticeState("sent", DAY - timedelta(days=3)), NoticeState("sent", DAY), NoticeState("withheld", None)]
    blocker = production_blocker("civil", notices, days, DAY + timedelta(days=waited))
    assert (blocker is None) == (waited >= days)
    if blocker is not None:
        assert f"production may start on {(DAY + timedelta(days=days)).isoformat()}" in blocker


def test_a_civil_production_waits_while_a_notice_is_unsent_and_not_when_none_is_owed() -> None:
    assert production_blocker("civil", [NoticeState("failed", None)], 14, DAY) is not None
    assert production_blocker("civil", [NoticeState("withheld", None)], 14, DAY) is None


@given(st.booleans(), st.sampled_from(("data", "emergency", "preservation")), st.sampled_from(REQUESTERS))
def test_only_civil_data_requests_are_held_for_payment(policy: bool, kind: str, requester: str) -> None:
    """18 U.S.C. 2706 is a claim for reimbursement: 'a governmental entity obtaining the contents of
    communications, records, or other information ... shall pay ... a fee for reimbursement'."""
    held = withholds_delivery_until_paid(policy, kind, requester)
    assert held == (policy and kind == "data" and requester == "civil")


def test_the_notice_after_an_order_ended_says_how_it_ended_and_a_civil_one_names_the_objection_day() -> None:
    text = notice_text("SpectrumVoIP", "LR-1", "ACC-1", "subpoena", "civil", occasion="order_ended",
                       order_end="was lifted on 2026-04-10", objection_until=date(2026, 4, 25))
    assert "that order was lifted on 2026-04-10" in text
    assert "We will not produce any records before 2026-04-25" in text
