"""The pure hold rule: which records a hold keeps, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.retention.holds import Hold, InvalidHold, holds_class, is_held, validate_hold

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def a_hold(**overrides: object) -> Hold:
    values: dict[str, object] = dict(id=1, account_id=7, classes=frozenset(), window_start=None, window_end=None,
                                     until=NOW + timedelta(days=90), reason="preservation", source="cli",
                                     placed_by="test", placed_at=NOW - timedelta(days=1))
    values.update(overrides)
    return Hold(**values)  # type: ignore[arg-type]


def test_a_hold_without_classes_keeps_every_class_of_its_account() -> None:
    hold = a_hold()
    assert is_held([hold], 7, "content.voice_message", NOW - timedelta(days=400), NOW)
    assert is_held([hold], 7, "subscriber.basic", None, NOW)
    assert not is_held([hold], 8, "content.voice_message", NOW, NOW)


def test_a_hold_on_named_classes_keeps_only_those() -> None:
    hold = a_hold(classes=frozenset({"content.sms_body"}))
    assert is_held([hold], 7, "content.sms_body", NOW, NOW)
    assert not is_held([hold], 7, "content.voice_message", NOW, NOW)


def test_a_window_keeps_records_from_its_start_up_to_but_not_including_its_end() -> None:
    start, end = NOW - timedelta(days=60), NOW - timedelta(days=30)
    hold = a_hold(window_start=start, window_end=end)
    assert is_held([hold], 7, "cpni.call_log", start, NOW)
    assert is_held([hold], 7, "cpni.call_log", end - timedelta(microseconds=1), NOW)
    assert not is_held([hold], 7, "cpni.call_log", end, NOW)
    assert not is_held([hold], 7, "cpni.call_log", start - timedelta(microseconds=1), NOW)


def test_a_hold_ends_at_its_until_time() -> None:
    hold = a_hold(until=NOW)
    assert is_held([hold], 7, "content.chat", NOW, NOW - timedelta(seconds=1))
    assert not is_held([hold], 7, "content.chat", NOW, NOW)


def test_a_released_hold_keeps_nothing_from_its_release() -> None:
    hold = a_hold(released_at=NOW - timedelta(hours=1))
    assert not hold.active_at(NOW)
    assert hold.active_at(NOW - timedelta(hours=2))


def test_a_hold_keeps_nothing_before_it_was_placed() -> None:
    hold = a_hold(placed_at=NOW)
    assert not hold.active_at(NOW - timedelta(seconds=1))


def test_holds_class_ignores_the_window() -> None:
    hold = a_hold(classes=frozenset({"content.chat"}), window_start=NOW - timedelta(days=2), window_end=NOW)
    assert holds_class([hold], 7, "content.chat", NOW)
    assert not holds_class([hold], 7, "content.sms_body", NOW)


@given(offset=st.integers(min_value=-10_000, max_value=10_000))
def test_a_record_is_held_exactly_when_it_lies_in_the_window(offset: int) -> None:
    start, end = NOW - timedelta(days=10), NOW - timedelta(days=3)
    occurred = NOW + timedelta(minutes=offset * 3)
    hold = a_hold(window_start=start, window_end=end)
    assert is_held([hold], 7, "content.fax_sent", occurred, NOW) == (start <= occurred < end)


@pytest.mark.parametrize(("field", "kwargs"), [
    ("classes", {"classes": {"content.nonsense"}}),
    ("to", {"window_start": NOW, "window_end": NOW}),
    ("until", {"until": NOW}),
    ("reason", {"reason": "  "}),
])
def test_an_invalid_hold_names_the_field_at_fault(field: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = dict(classes=set(), window_start=None, window_end=None,
                                   until=NOW + timedelta(days=1), reason="why", now=NOW,
                                   known_classes=frozenset({"content.chat"}))
    args.update(kwargs)
    with pytest.raises(InvalidHold, match=f"^{field}:"):
        validate_hold(**args)  # type: ignore[arg-type]
