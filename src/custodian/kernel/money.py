"""Money as integer cents: never floats, never rounding surprises."""

from __future__ import annotations

import re

_AMOUNT = re.compile(r"^-?\d+$")


class InvalidAmount(ValueError):
    """The text is not an amount in integer cents."""


def parse_cents(text: str) -> int:
    """Parse an integer amount of cents ("1999" is $19.99)."""
    raw = text.strip()
    if not _AMOUNT.match(raw):
        raise InvalidAmount("must be a whole number of cents")
    return int(raw)


def format_cents(cents: int, currency: str = "USD") -> str:
    """Render cents for people: 1999 -> '19.99 USD'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d} {currency}"
