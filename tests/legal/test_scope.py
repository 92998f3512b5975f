"""Scoping a number over a window from the number history (DRG V: "a given telephone number may be assigned to
many different users over a comparatively short period of time")."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from custodian.legal.scope import Match, Window, intersect_assignments, merge_matches
from custodian.records.rules import Assignment


def at(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


WINDOW = Window.of_days(date(2026, 1, 1), date(2026, 2, 28))


def test_every_holder_during_the_window_is_matched_with_only_the_overlap() -> None:
    history = [Assignment(1, at("2025-06-01"), at("2026-01-15", 12)), Assignment(2, at("2026-01-20"), None),
               Assignment(3, at("2025-01-01"), at("2025-12-31"))]
    assert intersect_assignments(history, WINDOW) == [
        Match(1, Window(at("2026-01-01"), at("2026-01-15", 12))),
        Match(2, Window(at("2026-01-20"), at("2026-03-01")))]


def test_match_days_are_inclusive_and_an_assignment_ending_at_midnight_does_not_reach_the_next_day() -> None:
    match = intersect_assignments([Assignment(1, at("2026-01-10"), at("2026-02-01"))], WINDOW)[0]
    assert (match.window.first_day(), match.window.last_day()) == (date(2026, 1, 10), date(2026, 1, 31))


def test_an_assignment_touching_the_window_edge_only_is_not_a_match() -> None:
    assert intersect_assignments([Assignment(1, at("2025-01-01"), at("2026-01-01"))], WINDOW) == []


def test_touching_windows_of_one_account_merge() -> None:
    merged = merge_matches([Match(1, Window(at("2026-01-01"), at("2026-01-10"))),
                            Match(1, Window(at("2026-01-10"), at("2026-01-20"))),
                            Match(2, Window(at("2026-01-05"), at("2026-01-06")))])
    assert merged == [Match(1, Window(at("2026-01-01"), at("2026-01-20"))),
                      Match(2, Window(at("2026-01-05"), at("2026-01-06")))]


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 400)), max_size=8))
def test_matches_never_leave_the_window_or_their_assignment(spans: list[tuple[int, int]]) -> None:
    base = at("2025-10-01").timestamp()
    history = [Assignment(i, datetime.fromtimestamp(base + s * 86400, UTC),
                          datetime.fromtimestamp(base + (s + n) * 86400, UTC)) for i, (s, n) in enumerate(spans)]
    for match in intersect_assignments(history, WINDOW):
        held = history[match.account_id]
        assert WINDOW.start <= match.window.start < match.window.end <= WINDOW.end
        assert held.start <= match.window.start and held.end is not None and match.window.end <= held.end
