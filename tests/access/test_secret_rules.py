"""CPNI passwords and back-up questions are not made of biographical or account information (47 CFR 64.2010(e))."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custodian.access.secret_rules import (
    FAILURE_WINDOW,
    MAX_SECRET_FAILURES,
    answer_problem,
    attempts_left,
    locked_until,
    normalise_answer,
    password_problem,
    question_problem,
)


@given(st.text(max_size=60))
def test_normalising_an_answer_twice_changes_nothing(answer: str) -> None:
    assert normalise_answer(normalise_answer(answer)) == normalise_answer(answer)


def test_answers_match_whatever_the_case_and_spacing() -> None:
    assert normalise_answer("  The   QUILL\t") == normalise_answer("the quill") == "the quill"


def test_a_password_may_not_hold_the_account_reference_or_a_numbers_last_four_digits() -> None:
    numbers = ["+1 (512) 555-0100", "+14155550142"]
    assert password_problem("my-acc-0001", account_ref="ACC-0001", numbers=numbers) is not None
    assert password_problem("kite0142fly", account_ref="ACC-0001", numbers=numbers) is not None
    assert password_problem("kite0100", account_ref="ACC-0001", numbers=numbers) is not None
    assert password_problem("kestrel-harbour-19", account_ref="ACC-0001", numbers=numbers) is None
    assert password_problem("abc12", account_ref="", numbers=[]) == "password: at least 6 characters"


def test_a_back_up_question_may_not_ask_for_biographical_or_account_facts() -> None:
    for question in ("Mother's maiden name?", "What is your date of birth?", "Last four of your SSN please",
                     "What is your billing address?", "What was the amount of your last bill?"):
        assert question_problem(question) is not None, question
    assert question_problem("Which river did you row first?") is None
    assert answer_problem("  a ") == "answer: at least 3 characters"


def test_three_wrong_answers_in_24_hours_lock_the_customer_until_the_first_of_them_is_a_day_old() -> None:
    """The three-try limit is per customer over a rolling 24 hours (any ticket), not per ticket."""
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    failures = [now - timedelta(hours=20), now - timedelta(hours=2), now - timedelta(minutes=1)]
    assert locked_until(failures[:2], now) is None and attempts_left(failures[:2], now) == 1
    assert locked_until(failures, now) == now + timedelta(hours=4) and attempts_left(failures, now) == 0
    assert locked_until(failures, now + timedelta(hours=4)) is None  # the first has left the window
    assert locked_until([now - timedelta(hours=25), *failures[1:]], now) is None


@given(st.lists(st.integers(min_value=0, max_value=48 * 60), max_size=8))
def test_a_locked_customer_is_never_unlocked_while_three_failures_are_inside_the_window(minutes: list[int]) -> None:
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    failures = [now - timedelta(minutes=m) for m in minutes]
    until = locked_until(failures, now)
    inside = [at for at in failures if now - FAILURE_WINDOW < at <= now]
    assert (until is not None) == (len(inside) >= MAX_SECRET_FAILURES)
    if until is not None:
        assert until > now and attempts_left(failures, now) == 0
