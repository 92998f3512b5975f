"""Legal holds: which records a hold keeps from deletion (pure; `now` passed in).

A preservation request (18 U.S.C. 2703(f)) or litigation hold keeps an account's existing records —
all classes, or the named ones, optionally only those that occurred within a window — until the
hold ends. Held records survive retention and customer deletion (issue #6, "Held records survive
retention and customer deletion until the hold ends").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Hold:
    """One legal hold on an account. `classes` empty = every class; window bounds are [start, end)."""

    id: int
    account_id: int
    classes: frozenset[str]
    window_start: datetime | None
    window_end: datetime | None
    until: datetime
    reason: str
    source: str
    placed_by: str
    placed_at: datetime
    released_at: datetime | None = None
    released_by: str = ""

    def active_at(self, now: datetime) -> bool:
        """True while the hold is in effect: placed, not yet expired, not released."""
        if self.released_at is not None and self.released_at <= now:
            return False
        return self.placed_at <= now < self.until

    def covers(self, record_class: str, occurred_at: datetime | None, now: datetime) -> bool:
        """True when this hold, at `now`, keeps a record of `record_class` that occurred at `occurred_at`.

        A record with no occurrence time (subscriber information, billing profile) is covered
        whenever its class is: a window cannot exclude what has no time.
        """
        if not self.active_at(now):
            return False
        if self.classes and record_class not in self.classes:
            return False
        if occurred_at is None:
            return True
        if self.window_start is not None and occurred_at < self.window_start:
            return False
        return not (self.window_end is not None and occurred_at >= self.window_end)


def is_held(holds: Iterable[Hold], account_id: int, record_class: str, occurred_at: datetime | None,
            now: datetime) -> bool:
    """True when any of `holds` keeps this record of `account_id` at `now`."""
    return any(h.account_id == account_id and h.covers(record_class, occurred_at, now) for h in holds)


def holds_class(holds: Iterable[Hold], account_id: int, record_class: str, now: datetime) -> bool:
    """True when some active hold of the account reaches `record_class` (for any occurrence time)."""
    return any(h.account_id == account_id and h.active_at(now) and (not h.classes or record_class in h.classes)
               for h in holds)


class InvalidHold(ValueError):
    """A hold request that cannot be placed (the message names the field)."""


def validate_hold(classes: Iterable[str], window_start: datetime | None, window_end: datetime | None,
                  until: datetime, reason: str, now: datetime, known_classes: frozenset[str]) -> None:
    """Raise InvalidHold naming the field when a new hold's terms make no sense."""
    unknown = sorted(set(classes) - known_classes)
    if unknown:
        raise InvalidHold(f"classes: unknown record class {', '.join(unknown)}")
    if window_start is not None and window_end is not None and window_end <= window_start:
        raise InvalidHold("to: the window must end after it starts")
    if until <= now:
        raise InvalidHold("until: a hold must end in the future")
    if not reason.strip():
        raise InvalidHold("reason: say why the records are held")
