"""Pure rules of the record store.

- A number belongs to at most one account at any instant (number assignment history).
- Payment cards are never stored: only brand and last four digits (PCI DSS 3.3/3.4; DESIGN.md
  "Payment cards are never stored").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

ACCOUNT_KINDS = frozenset({"residential", "business"})
ACCOUNT_PROFILES = frozenset({"standard", "hipaa"})
ACCOUNT_STATUSES = frozenset({"active", "suspended", "closed"})
CONTENT_KINDS = {
    "voice_message": "content.voice_message",
    "call_recording": "content.call_recording",
    "fax_incoming": "content.fax_incoming",
    "fax_outgoing": "content.fax_outgoing",
    "fax_sent": "content.fax_sent",
    "sms_body": "content.sms_body",
    "chat": "content.chat",
}
FAX_KINDS = frozenset({"fax_incoming", "fax_outgoing", "fax_sent"})
DIRECTIONS = frozenset({"in", "out"})

# A card number as people write it: 13-19 digits in one run, or in the groupings printed on cards
# (4-4-4-4[-3], 4-6-5, 4-6-4) with spaces or dashes. Issuer prefixes start with 2-6.
_CARD_CANDIDATE = re.compile(
    r"(?<!\d)(?:[2-6]\d{12,18}"
    r"|[2-6]\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"
    r"|3\d{3}([ -])\d{6}\2\d{4,5})(?!\d)"
)


@dataclass(frozen=True)
class Assignment:
    """A number held by an account from `start` until `end` (None = still held)."""

    account_id: int
    start: datetime
    end: datetime | None


def overlaps(a_start: datetime, a_end: datetime | None, b_start: datetime, b_end: datetime | None) -> bool:
    """True when two half-open periods [start, end) share any instant; None means open-ended."""
    a_before_b_ends = b_end is None or a_start < b_end
    b_before_a_ends = a_end is None or b_start < a_end
    return a_before_b_ends and b_before_a_ends


def conflicting_assignment(
    existing: Iterable[Assignment], start: datetime, end: datetime | None
) -> Assignment | None:
    """The first existing assignment of the same number that the new period would overlap."""
    for held in existing:
        if overlaps(held.start, held.end, start, end):
            return held
    return None


def holder_at(assignments: Iterable[Assignment], moment: datetime) -> int | None:
    """The account holding a number at `moment`, if any."""
    for held in assignments:
        if held.start <= moment and (held.end is None or moment < held.end):
            return held.account_id
    return None


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def contains_card_number(text: str) -> bool:
    """True when `text` holds a full payment card number (13-19 digits passing Luhn)."""
    for match in _CARD_CANDIDATE.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return True
    return False


@dataclass(frozen=True)
class HeldLine:
    """One number (by blind index) an account held from `start` until `end` (None = still held)."""

    line: bytes
    start: datetime
    end: datetime | None


def sole_line_at(held: Iterable[HeldLine], moment: datetime) -> bytes | None:
    """The account's only number at `moment`; None when it held none or several (the line is then unknown:
    a record that names no own number is placed on a line only when the account had exactly one)."""
    lines = {h.line for h in held if h.start <= moment and (h.end is None or moment < h.end)}
    return lines.pop() if len(lines) == 1 else None
