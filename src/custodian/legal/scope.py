"""Scoping a request to accounts and windows from the number history (DRG V: "a given telephone number
may be assigned to many different users over a comparatively short period of time").

A production only ever contains records of matched accounts inside their matched windows: each match
is the intersection of one assignment of the number with the requested window. Particularity (Fourth
Amendment; DESIGN "a number target reaches that line's records inside its window, never the rest of a
multi-line account"): a number target's match carries its line, an account or e-mail target reaches the
whole account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from custodian.records.rules import Assignment


@dataclass(frozen=True, order=True)
class Window:
    """A half-open period of time [start, end) in UTC."""

    start: datetime
    end: datetime

    @classmethod
    def of_days(cls, first: date, last: date) -> Window:
        """The whole days first..last inclusive, in UTC."""
        return cls(datetime.combine(first, time.min, UTC), datetime.combine(last + timedelta(days=1), time.min, UTC))

    def first_day(self) -> date:
        """The day the window starts."""
        return self.start.date()

    def last_day(self) -> date:
        """The last day the window touches."""
        return (self.end - timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class Match:
    """An account that held a target during the window, for exactly which part of it, and which line.

    `line` is the blind index of the target number: the match then reaches only records where that number is
    the account's own party (particularity: "a given telephone number may be assigned to many different users",
    DRG V). None means the whole account (an account-reference or e-mail target names the account holder).
    """

    account_id: int
    window: Window
    line: bytes | None = None

    def sort_key(self) -> tuple[int, bytes, Window]:
        """Account, then whole-account before lines, then time."""
        return (self.account_id, b"" if self.line is None else b"\x01" + self.line, self.window)


def intersect_assignments(assignments: Iterable[Assignment], window: Window, line: bytes | None = None) -> list[Match]:
    """Every account that held the number during `window`, with the overlap and the line; ordered by time."""
    found = []
    for held in assignments:
        start = max(held.start, window.start)
        end = window.end if held.end is None else min(held.end, window.end)
        if start < end:
            found.append(Match(held.account_id, Window(start, end), line))
    return sorted(found, key=lambda match: (match.window.start, match.account_id))


def whole_window(account_ids: Iterable[int], window: Window) -> list[Match]:
    """Matches for targets that name an account directly (account reference, e-mail): the whole window."""
    return [Match(account_id, window) for account_id in sorted(set(account_ids))]


def merge_matches(matches: Iterable[Match]) -> list[Match]:
    """One match per account, line and contiguous period; a whole-account match subsumes the same account's
    line matches where their windows overlap (a line is never joined to another line or to the account)."""
    joined = _join_contiguous(matches)
    whole: dict[int, list[Window]] = {}
    for match in joined:
        if match.line is None:
            whole.setdefault(match.account_id, []).append(match.window)
    merged: list[Match] = []
    for match in joined:
        if match.line is None:
            merged.append(match)
        else:
            merged += [Match(match.account_id, rest, match.line)
                       for rest in subtract_windows(match.window, whole.get(match.account_id, []))]
    return sorted(merged, key=Match.sort_key)


def _join_contiguous(matches: Iterable[Match]) -> list[Match]:
    """Overlapping or touching windows of the same account and line become one."""
    joined: list[Match] = []
    for match in sorted(matches, key=Match.sort_key):
        last = joined[-1] if joined else None
        if last and (last.account_id, last.line) == (match.account_id, match.line) \
                and match.window.start <= last.window.end:
            end = max(last.window.end, match.window.end)
            joined[-1] = Match(last.account_id, Window(last.window.start, end), last.line)
        else:
            joined.append(match)
    return joined


def subtract_windows(window: Window, covered: Iterable[Window]) -> list[Window]:
    """The parts of `window` outside every `covered` window, in time order."""
    parts = [window]
    for cut in sorted(covered):
        rest: list[Window] = []
        for part in parts:
            if cut.end <= part.start or part.end <= cut.start:
                rest.append(part)
                continue
            if part.start < cut.start:
                rest.append(Window(part.start, cut.start))
            if cut.end < part.end:
                rest.append(Window(cut.end, part.end))
        parts = rest
    return parts
