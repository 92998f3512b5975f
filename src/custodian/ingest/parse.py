"""Pure field parsing shared by every import format. A bad field raises RowRejected naming the field.

Reasons never echo the offending value: import reports are shown and stored, and values are
personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from custodian.kernel.phone import InvalidPhoneNumber, to_e164, try_e164
from custodian.kernel.timeparse import InvalidTime, parse_day, parse_instant


class RowRejected(ValueError):
    """One input row cannot be imported; the message says which field and why."""


@dataclass(frozen=True)
class ParseOptions:
    """Per-run parsing context: the zone naive times are in, the default phone region, the file's folder."""

    zone: tzinfo = UTC
    region: str = "US"
    base_dir: Path = Path(".")


def required(row: Mapping[str, str], name: str) -> str:
    """A non-empty, stripped field."""
    value = row.get(name, "").strip()
    if not value:
        raise RowRejected(f"{name}: required")
    return value


def optional(row: Mapping[str, str], name: str) -> str:
    """A stripped field, possibly empty."""
    return row.get(name, "").strip()


def choice(row: Mapping[str, str], name: str, allowed: frozenset[str] | set[str]) -> str:
    """A required field that must be one of `allowed`."""
    value = required(row, name).lower()
    if value not in allowed:
        raise RowRejected(f"{name}: must be one of {', '.join(sorted(allowed))}")
    return value


def phone(row: Mapping[str, str], name: str, region: str, *, required_: bool = True) -> str:
    """A phone number normalised to E.164."""
    raw = row.get(name, "").strip()
    if not raw:
        if required_:
            raise RowRejected(f"{name}: required")
        return ""
    try:
        return to_e164(raw, region)
    except InvalidPhoneNumber as exc:
        raise RowRejected(f"{name}: {exc}") from exc


def number_or_raw(text: str, region: str) -> str:
    """E.164 when `text` is a phone number, else the raw text (an extension, 's')."""
    return try_e164(text, region) or text.strip()


def instant(row: Mapping[str, str], name: str, zone: tzinfo, *, required_: bool = True) -> datetime | None:
    """An ISO 8601 date-time (or bare date = 00:00) converted to UTC."""
    raw = row.get(name, "").strip()
    if not raw:
        if required_:
            raise RowRejected(f"{name}: required")
        return None
    try:
        return parse_instant(raw, zone)
    except InvalidTime as exc:
        raise RowRejected(f"{name}: {exc}") from exc


def day(row: Mapping[str, str], name: str, *, required_: bool = True) -> date | None:
    """An ISO 8601 calendar date."""
    raw = row.get(name, "").strip()
    if not raw:
        if required_:
            raise RowRejected(f"{name}: required")
        return None
    try:
        return parse_day(raw)
    except InvalidTime as exc:
        raise RowRejected(f"{name}: {exc}") from exc


def whole_number(row: Mapping[str, str], name: str, *, minimum: int = 0) -> int:
    """A non-negative (or >= minimum) integer."""
    raw = required(row, name)
    if not raw.lstrip("-").isdigit():
        raise RowRejected(f"{name}: must be a whole number")
    value = int(raw)
    if value < minimum:
        raise RowRejected(f"{name}: must be at least {minimum}")
    return value


def fields_by_name(header: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    """Pair a data row with the header, rejecting rows of the wrong width."""
    if len(values) != len(header):
        raise RowRejected(f"expected {len(header)} fields, found {len(values)}")
    return dict(zip(header, values, strict=True))


def record_key(*parts: str) -> bytes:
    """A 128-bit identity for a source record: the same input row always gets the same key."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).digest()
