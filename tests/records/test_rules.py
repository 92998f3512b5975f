"""Pure record rules: one holder per number at any instant; full card numbers recognised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.records.rules import (
    Assignment,
    conflicting_assignment,
    contains_card_number,
    holder_at,
    luhn_valid,
    overlaps,
)

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
HORIZON = 60  # periods and moments are whole hours within this many hours of EPOCH


def _at(hours: int) -> datetime:
    return EPOCH + timedelta(hours=hours)


@st.composite
def periods(draw: st.DrawFn) -> tuple[datetime, datetime | None]:
    """A half-open period [start, end) of whole hours; end None = still held."""
    start = draw(st.integers(min_value=0, max_value=HORIZON - 1))
    length = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=HORIZON)))
    return _at(start), None if length is None else _at(start + length)


def _contains(start: datetime, end: datetime | None, moment: datetime) -> bool:
    return start <= moment and (end is None or moment < end)


def _shares_an_hour(a: tuple[datetime, datetime | None], b: tuple[datetime, datetime | None]) -> bool:
    # Periods start and end on whole hours, so two of them share an instant iff they share a whole hour.
    return any(_contains(*a, _at(h)) and _contains(*b, _at(h)) for h in range(0, 3 * HORIZON))


def _history(candidates: list[tuple[int, tuple[datetime, datetime | None]]]) -> list[Assignment]:
    """Assignments as the importer accepts them: each one only if it overlaps none before it."""
    accepted: list[Assignment] = []
    for account_id, (start, end) in candidates:
        if conflicting_assignment(accepted, start, end) is None:
            accepted.append(Assignment(account_id, start, end))
    return accepted


@given(periods(), periods())
def test_overlap_is_symmetric(a: tuple[datetime, datetime | None], b: tuple[datetime, datetime | None]) -> None:
    assert overlaps(*a, *b) == overlaps(*b, *a)


@given(periods(), periods())
def test_two_periods_overlap_exactly_when_they_share_an_instant(
        a: tuple[datetime, datetime | None], b: tuple[datetime, datetime | None]) -> None:
    assert overlaps(*a, *b) == _shares_an_hour(a, b)


@given(periods())
def test_a_period_always_overlaps_itself(a: tuple[datetime, datetime | None]) -> None:
    assert overlaps(*a, *a)


def test_a_number_handed_over_at_the_end_of_one_assignment_does_not_overlap() -> None:
    assert not overlaps(_at(0), _at(10), _at(10), None)
    assert not overlaps(_at(10), None, _at(0), _at(10))
    assert overlaps(_at(0), _at(11), _at(10), None)


def test_two_open_ended_assignments_always_overlap() -> None:
    assert overlaps(_at(0), None, _at(50), None)


@given(st.lists(st.tuples(st.integers(1, 5), periods()), max_size=8), periods())
def test_a_conflict_is_reported_exactly_when_some_existing_assignment_overlaps(
        candidates: list[tuple[int, tuple[datetime, datetime | None]]],
        new: tuple[datetime, datetime | None]) -> None:
    existing = [Assignment(account_id, start, end) for account_id, (start, end) in candidates]
    clash = conflicting_assignment(existing, *new)
    if clash is None:
        assert not any(overlaps(a.start, a.end, *new) for a in existing)
    else:
        assert clash in existing
        assert overlaps(clash.start, clash.end, *new)


@given(st.lists(st.tuples(st.integers(1, 5), periods()), max_size=10),
       st.integers(min_value=-5, max_value=3 * HORIZON))
def test_an_accepted_history_has_at_most_one_holder_at_any_moment(
        candidates: list[tuple[int, tuple[datetime, datetime | None]]], hour: int) -> None:
    history = _history(candidates)
    moment = _at(hour) + timedelta(minutes=30) * (hour % 2)
    holding = [a for a in history if _contains(a.start, a.end, moment)]
    assert len(holding) <= 1
    assert holder_at(history, moment) == (holding[0].account_id if holding else None)


def test_holder_at_follows_a_number_through_its_reassignment() -> None:
    history = [Assignment(1, _at(0), _at(10)), Assignment(2, _at(10), None)]
    assert holder_at(history, _at(-1)) is None
    assert holder_at(history, _at(0)) == 1
    assert holder_at(history, _at(10) - timedelta(microseconds=1)) == 1
    assert holder_at(history, _at(10)) == 2
    assert holder_at(history, _at(10_000)) == 2


def test_holder_at_is_none_in_a_gap_between_assignments() -> None:
    history = [Assignment(1, _at(0), _at(5)), Assignment(2, _at(8), _at(9))]
    assert holder_at(history, _at(6)) is None
    assert holder_at(history, _at(9)) is None


@pytest.mark.parametrize("text", [
    "4111111111111111",                 # Visa, contiguous
    "4111 1111 1111 1111",              # printed 4-4-4-4 with spaces
    "4111-1111-1111-1111",              # 4-4-4-4 with dashes
    "5555555555554444",                 # Mastercard
    "378282246310005",                  # Amex, contiguous
    "3782 822463 10005",                # Amex printed 4-6-5
    "3782-822463-10005",
    "6011111111111117",                 # Discover
    "paid with 4111 1111 1111 1111 yesterday",
    "card:4111111111111111;",
])
def test_a_full_card_number_is_detected(text: str) -> None:
    assert contains_card_number(text)


@pytest.mark.parametrize("text", [
    "PAY-DEMO100033-202312-1",
    "INV-2026-000123",
    "INV-1001",
    "2024-05-01",
    "2024-05-01T10:00:00Z",
    "2024-05-01 10:00:00",
    "20240501",
    "+15125550100",
    "4242",
    "4111111111111112",                 # 16 digits failing Luhn
    "4111 1111 1111",                   # too short to be a card
    "",
])
def test_references_dates_numbers_and_last_fours_are_not_card_numbers(text: str) -> None:
    assert not contains_card_number(text)


def _with_check_digit(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("every body has a Luhn check digit")


@given(st.text(alphabet="0123456789", min_size=15, max_size=15), st.sampled_from(["", " ", "-"]))
def test_any_luhn_valid_sixteen_digit_visa_is_detected_however_grouped(body: str, separator: str) -> None:
    number = _with_check_digit("4" + body[1:])
    written = separator.join(number[i:i + 4] for i in range(0, 16, 4))
    assert contains_card_number(f"ref {written} end")


@given(st.text(alphabet="0123456789", min_size=15, max_size=15), st.integers(min_value=0, max_value=15),
       st.integers(min_value=1, max_value=9))
def test_changing_one_digit_of_a_card_number_stops_it_being_detected(body: str, position: int, delta: int) -> None:
    number = _with_check_digit("4" + body[1:])
    changed = str((int(number[position]) + delta) % 10)
    altered = number[:position] + changed + number[position + 1:]
    if altered[0] in "23456":  # still looks like an issuer prefix: only Luhn can tell
        assert not contains_card_number(altered)
