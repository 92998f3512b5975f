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


LINE_A, LINE_B = b"A" * 16, b"B" * 16


def test_a_number_targets_matches_carry_its_line() -> None:
    """Particularity: the match of a number names the line, so a production reaches that line's records only."""
    [match] = intersect_assignments([Assignment(1, at("2025-06-01"), None)], WINDOW, line=LINE_A)
    assert match == Match(1, WINDOW, LINE_A)


def test_matches_of_two_lines_of_one_account_are_never_joined_to_each_other_or_to_the_account() -> None:
    first, second = Window(at("2026-01-01"), at("2026-01-10")), Window(at("2026-01-05"), at("2026-01-20"))
    merged = merge_matches([Match(1, first, LINE_A), Match(1, second, LINE_B)])
    assert merged == [Match(1, first, LINE_A), Match(1, second, LINE_B)]


def test_a_whole_account_match_subsumes_the_same_accounts_line_inside_its_window_only() -> None:
    whole = Window(at("2026-01-10"), at("2026-01-20"))
    merged = merge_matches([Match(1, WINDOW, LINE_A), Match(1, whole), Match(2, WINDOW, LINE_A)])
    assert merged == [Match(1, whole), Match(1, Window(WINDOW.start, whole.start), LINE_A),
                      Match(1, Window(whole.end, WINDOW.end), LINE_A), Match(2, WINDOW, LINE_A)]


def _covers(matches: list[Match], account: int, line: bytes | None, moment: datetime) -> bool:
    return any(m.account_id == account and m.line == line and m.window.start <= moment < m.window.end
               for m in matches)


@given(st.lists(st.tuples(st.integers(1, 2), st.sampled_from([None, LINE_A, LINE_B]), st.integers(0, 50),
                          st.integers(1, 20)), max_size=8), st.integers(0, 70))
def test_merging_keeps_every_instant_on_its_line_or_under_its_account_and_never_widens_a_line(
        raw: list[tuple[int, bytes | None, int, int]], day: int) -> None:
    """Every instant a line reached is still reached by that line or by a whole-account match of its account;
    a line never reaches an instant it did not, and never overlaps its account's whole-account match."""
    base = at("2026-01-01")
    found = [Match(account, Window(datetime.fromtimestamp(base.timestamp() + s * 86400, UTC),
                                   datetime.fromtimestamp(base.timestamp() + (s + n) * 86400, UTC)), line)
             for account, line, s, n in raw]
    merged = merge_matches(found)
    moment = datetime.fromtimestamp(base.timestamp() + day * 86400 + 3600, UTC)
    for account in (1, 2):
        whole = _covers(merged, account, None, moment)
        assert whole == _covers(found, account, None, moment)
        for line in (LINE_A, LINE_B):
            before, after = _covers(found, account, line, moment), _covers(merged, account, line, moment)
            assert after == (before and not whole)
