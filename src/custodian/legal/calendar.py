"""Calendar arithmetic of the legal desk: calendar months (DRG V "up to 2 months") and business days
(DRG X "allow ten (10) business days"), US federal holidays from the `holidays` library."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end (Jan 31 + 1 = Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_touched(first: date, last: date) -> int:
    """How many calendar months the inclusive range first..last touches (0 when it is empty)."""
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


@lru_cache(maxsize=64)
def _us_holidays(year: int) -> frozenset[date]:
    import holidays  # loaded on the first due date counted, not by every command that imports the desk

    return frozenset(holidays.country_holidays("US", years=year))


def is_business_day(day: date) -> bool:
    """Monday to Friday and not a US federal holiday."""
    return day.weekday() < 5 and day not in _us_holidays(day.year)


def add_business_days(day: date, count: int) -> date:
    """The business day `count` business days after `day`."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current
