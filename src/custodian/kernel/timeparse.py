"""Times in, UTC out: every stored timestamp is timezone-aware UTC (`_at`), every date a date (`_on`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class InvalidTime(ValueError):
    """The text is not an ISO 8601 date or date-time."""


@lru_cache(maxsize=256)
def zone(name: str) -> tzinfo:
    """Return the IANA time zone `name` (UTC for 'UTC'), or raise InvalidTime."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidTime(f"unknown time zone {name!r}") from exc


def parse_instant(text: str, default_zone: tzinfo = UTC) -> datetime:
    """Parse an ISO 8601 date or date-time to aware UTC; a bare date means 00:00 in `default_zone`."""
    raw = text.strip()
    if not raw:
        raise InvalidTime("empty time")
    try:
        if len(raw) == 10:
            moment = datetime.combine(date.fromisoformat(raw), time(0, 0))
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidTime("not an ISO 8601 date or time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_zone)
    return moment.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    """A moment as canonical UTC text, `YYYY-MM-DD HH:MM:SS.ffffff` (no offset): what SQLite stores for
    a timestamp, what PostgreSQL's `to_char(..., 'YYYY-MM-DD HH24:MI:SS.US')` renders, and what the audit
    hash covers."""
    return moment.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def parse_day(text: str) -> date:
    """Parse an ISO 8601 calendar date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidTime("not an ISO 8601 date (YYYY-MM-DD)") from exc


def month_start(moment: datetime) -> datetime:
    """Return 00:00 UTC on the first day of `moment`'s month."""
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(moment: datetime) -> datetime:
    """Return 00:00 UTC on the first day of the month after `moment`'s month."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)
