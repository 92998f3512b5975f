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

