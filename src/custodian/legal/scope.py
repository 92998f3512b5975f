"""Scoping a request to accounts and windows from the number history (DRG V: "a given telephone number
may be assigned to many different users over a comparatively short period of time").

A production only ever contains records of matched accounts inside their matched windows: each match
is the intersection of one assignment of the number with the requested window.
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


@dataclass(frozen=True, order=True)
class Match:
    """An account that held a target during the window, and for exactly which part of it."""

    account_id: int
    window: Window


def intersect_assignments(assignments: Iterable[Assignment], window: Window) -> list[Match]:
    """Every account that held the number during `window`, with the overlap; ordered by time."""
    found = []
    for held in assignments:
        start = max(held.start, window.start)
        end = window.end if held.end is None else min(held.end, window.end)
        if start < end:
            found.append(Match(held.account_id, Window(start, end)))
    return sorted(found, key=lambda match: (match.window.start, match.account_id))


def whole_window(account_ids: Iterable[int], window: Window) -> list[Match]:
    """Matches for targets that name an account directly (account reference, e-mail): the whole window."""
    return [Match(account_id, window) for account_id in sorted(set(account_ids))]


def merge_matches(matches: Iterable[Match]) -> list[Match]:
    """One match per account and contiguous period: overlapping or touching windows are joined."""
    merged: list[Match] = []
    for match in sorted(matches):
        last = merged[-1] if merged else None
        if last and last.account_id == match.account_id and match.window.start <= last.window.end:
            end = max(last.window.end, match.window.end)
            merged[-1] = Match(last.account_id, Window(last.window.start, end))
        else:
            merged.append(match)
    return merged
