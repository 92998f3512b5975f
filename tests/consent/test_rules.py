"""The consent decision: every basis, the CPNI notice's 30-day and two-year edges, one-time oral approval."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custodian.consent.purposes import PurposeRule
from custodian.consent.rules import Choice, Decision, decide, two_years_after

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TEXT = "a" * 64
OLD_TEXT = "b" * 64
OPT_IN = PurposeRule("transcripts", "opt_in", "opt_in", False, False, False, TEXT, frozenset({TEXT}))
OPT_OUT = replace(OPT_IN, name="offers", choice="opt_out", declared_choice="opt_out")
CPNI_OPT_OUT = replace(OPT_OUT, name="calling_plan_offers", uses_cpni=True)
ESSENTIAL = replace(OPT_IN, name="provide_service", choice="none", declared_choice="none")


def chose(choice: str, days_ago: float = 1, text: str = TEXT) -> Choice:
    return Choice(choice, NOW - timedelta(days=days_ago), text)


def test_an_essential_purpose_needs_no_choice() -> None:
    assert decide(ESSENTIAL, chose("denied"), (), NOW) == Decision(True, "no choice: essential")


def test_an_opt_in_purpose_is_allowed_only_after_a_grant() -> None:
    """Seed 002 P51: "give affirmative or explicit (opt-in) choices"."""
    assert decide(OPT_IN, None, (), NOW) == Decision(False, "opt_in not given")
    assert decide(OPT_IN, chose("granted"), (), NOW) == Decision(True, "opt_in granted")
    assert decide(OPT_IN, chose("denied"), (), NOW) == Decision(False, "denied")
    assert decide(OPT_IN, chose("withdrawn"), (), NOW) == Decision(False, "withdrawn")


def test_a_grant_made_after_the_moment_asked_about_does_not_count_yet() -> None:
    assert decide(OPT_IN, chose("granted", days_ago=-1), (), NOW) == Decision(False, "opt_in not given")


def test_a_grant_under_wording_since_changed_materially_must_be_renewed() -> None:
    """Seed 002 P64: "SpectrumVoIP will seek consent in advance" for a materially different purpose."""
    assert decide(OPT_IN, chose("granted", text=OLD_TEXT), (), NOW) == Decision(
        False, "consent given under earlier wording: renew")


def test_an_opt_out_purpose_is_allowed_until_the_person_opts_out_whatever_wording_they_saw() -> None:
    """Seed 002 P50: "a clear, conspicuous, and readily available mechanism to choose (opt-out)"."""
    assert decide(OPT_OUT, None, (), NOW) == Decision(True, "opt_out not exercised")
    assert decide(OPT_OUT, chose("denied", text=OLD_TEXT), (), NOW) == Decision(False, "opted out")
    assert decide(OPT_OUT, chose("withdrawn"), (), NOW) == Decision(False, "opted out")
    assert decide(OPT_OUT, chose("granted"), (), NOW) == Decision(True, "opt_in granted")


def test_cpni_opt_out_use_needs_a_notice_and_waits_thirty_days_after_it() -> None:
    """47 CFR 64.2008(d)(1): "Carriers must wait a 30-day minimum period of time after giving customers notice
    and an opportunity to opt-out before assuming customer approval to use, disclose, or permit access to CPNI"."""
    assert decide(CPNI_OPT_OUT, None, (), NOW) == Decision(False, "cpni opt-out notice not sent")
    sent = NOW - timedelta(days=30)
    assert decide(CPNI_OPT_OUT, None, (sent,), NOW - timedelta(microseconds=1)) == Decision(
        False, "cpni opt-out notice period running")
    assert decide(CPNI_OPT_OUT, None, (sent,), NOW) == Decision(True, "cpni opt-out approval inferred")
    assert decide(CPNI_OPT_OUT, chose("denied"), (sent,), NOW) == Decision(False, "opted out")


def test_cpni_opt_out_approval_lapses_when_the_notice_is_two_years_old() -> None:
    """47 CFR 64.2008(d)(2): "Carriers using the opt-out mechanism must provide notices to their customers
    every two years"."""
    sent = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert decide(CPNI_OPT_OUT, None, (sent,), NOW - timedelta(microseconds=1)).allowed
    assert decide(CPNI_OPT_OUT, None, (sent,), NOW) == Decision(
        False, "cpni opt-out notice older than two years: renew")


def test_a_renewed_notice_keeps_approval_while_its_own_waiting_period_runs() -> None:
    first = NOW - timedelta(days=700)
    renewed = NOW - timedelta(days=5)
    assert decide(CPNI_OPT_OUT, None, (renewed, first), NOW) == Decision(True, "cpni opt-out approval inferred")


@given(days=st.integers(min_value=0, max_value=800), seconds=st.integers(min_value=0, max_value=86_399))
def test_cpni_opt_out_approval_holds_exactly_from_day_30_until_two_years(days: int, seconds: int) -> None:
    """64.2008(d)(1) and (d)(2) together: inferred approval only inside [notice + 30 days, notice + 2 years)."""
    sent = datetime(2024, 2, 29, 8, 0, tzinfo=UTC)
    at = sent + timedelta(days=days, seconds=seconds)
    decision = decide(CPNI_OPT_OUT, None, (sent,), at)
    assert decision.allowed == (sent + timedelta(days=30) <= at < two_years_after(sent))
    if at < sent + timedelta(days=30):
        assert decision.basis == "cpni opt-out notice period running"


def test_one_time_oral_approval_lasts_for_the_call_only() -> None:
    """47 CFR 64.2008(f): oral notice to obtain "limited, one-time use of CPNI ... for the duration of the call"."""
    call = Choice("granted", NOW - timedelta(minutes=5), TEXT, valid_until=NOW + timedelta(minutes=10))
    assert decide(OPT_IN, None, (), NOW, oral=call) == Decision(True, "one-time oral approval for this call")
    assert decide(CPNI_OPT_OUT, None, (), NOW, oral=call).allowed
    after = NOW + timedelta(minutes=10)
    assert decide(OPT_IN, None, (), after, oral=call) == Decision(False, "oral approval ended with the call")
    assert decide(CPNI_OPT_OUT, None, (), after, oral=call) == Decision(False, "oral approval ended with the call")


def test_a_lasting_choice_made_after_the_oral_approval_wins() -> None:
    call = Choice("granted", NOW - timedelta(minutes=5), TEXT, valid_until=NOW + timedelta(minutes=10))
    assert decide(OPT_IN, chose("withdrawn", days_ago=0), (), NOW, oral=call) == Decision(False, "withdrawn")


def test_after_the_call_a_lasting_grant_still_holds() -> None:
    call = Choice("granted", NOW - timedelta(minutes=5), TEXT, valid_until=NOW - timedelta(minutes=1))
    assert decide(OPT_IN, chose("granted", days_ago=3), (), NOW, oral=call) == Decision(True, "opt_in granted")
