"""Pure field parsing shared by every import format; a bad field raises RowRejected naming it.

Reasons never echo the offending value: import reports are shown and stored, and values are
personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from custodian.kernel.phone import InvalidPhoneNumber, nanp_e164, to_e164, try_e164
from custodian.kernel.timeparse import InvalidTime, parse_day, parse_instant
from custodian.kernel.timeparse import utc_text as canonical_utc_text


class RowRejected(ValueError):
    """One input row cannot be imported; the message says which field and why."""


@dataclass(frozen=True)
class ParseOptions:
    """Per-run parsing context: zone of naive times, default phone region, the file's folder."""

    zone: tzinfo = UTC
    region: str = "US"
    base_dir: Path = Path(".")
    record_secret: bytes = b""  # set by the runner from the keyring; see record_key


def required(row: Mapping[str, str], name: str) -> str:
    """A non-empty, stripped field."""
    value = row.get(name, "").strip()
    if not value:
        raise RowRejected(f"{name}: required")
    return value


def optional(row: Mapping[str, str], name: str) -> str:
    """A stripped field, possibly empty."""
    return row.get(name, "").strip()


def bounded(row: Mapping[str, str], name: str, max_length: int, *, required_: bool = True) -> str:
    """A stripped field of at most `max_length` characters (required unless told otherwise)."""
    value = required(row, name) if required_ else optional(row, name)
    if len(value) > max_length:
        raise RowRejected(f"{name}: longer than {max_length} characters")
    return value


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


def counterpart_number(row: Mapping[str, str], name: str, region: str) -> str:
    """An optional other party: E.164, a 3-6 digit short code (SMS services), or empty."""
    raw = row.get(name, "").strip()
    if raw.isdigit() and 3 <= len(raw) <= 6:
        return raw
    return phone(row, name, region, required_=False)


_SWITCH_NUMBERS: dict[str, dict[str, str]] = {}  # region -> switch text -> E.164 or the text


def number_or_raw(text: str, region: str) -> str:
    """E.164 when `text` is a phone number, else the raw text (an extension, 's'); cached per region."""
    cache = _SWITCH_NUMBERS.get(region)
    if cache is None:
        cache = _SWITCH_NUMBERS[region] = {}
    cached = cache.get(text)
    if cached is None:
        if len(cache) > 500_000:
            cache.clear()  # bounded memory on files with millions of distinct numbers
        stripped = text.strip()
        cached = cache[text] = nanp_e164(stripped, region) or try_e164(stripped, region) or stripped
    return cached


def instant(
    row: Mapping[str, str], name: str, zone: tzinfo, *, required_: bool = True
) -> datetime | None:
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


def utc_text(moment: datetime | None) -> str | None:
    """A UTC moment as canonical storage text, `YYYY-MM-DD HH:MM:SS.ffffff` (no offset)."""
    return None if moment is None else canonical_utc_text(moment)


SwitchTimes = tuple[datetime, str, str | None, str | None]


def switch_times(start: str, answer: str, end: str, zone: tzinfo, names: tuple[str, str, str]) -> SwitchTimes:
    """A switch record's start, answer and end as (start in UTC, start text, answer text, end text).

    Texts are canonical UTC storage text (see utc_text); answer and end are None when empty. This runs
    once per CDR on the largest imports, so the common case (a UTC switch writing `YYYY-MM-DD HH:MM:SS`)
    validates each time and reuses its text instead of converting to datetime and back.
    """
    fast = _canonical_utc_times(start, answer, end) if zone is UTC else None
    if fast is not None:
        return fast
    started_at = switch_time(start, names[0], zone, required=True)
    assert started_at is not None
    return (started_at, canonical_utc_text(started_at), utc_text(switch_time(answer, names[1], zone, required=False)),
            utc_text(switch_time(end, names[2], zone, required=False)))


def _canonical_utc_times(start: str, answer: str, end: str) -> SwitchTimes | None:
    if len(start) != 19 or start[10] != " " or (answer and len(answer) != 19) or (end and len(end) != 19):
        return None
    try:
        started_at = datetime.fromisoformat(start + "+00:00")  # 6x cheaper than .replace(tzinfo=UTC)
        if answer:
            datetime.fromisoformat(answer)
        if end:
            datetime.fromisoformat(end)
    except ValueError:
        return None  # the general path names the bad field
    return (started_at, start + ".000000", answer + ".000000" if answer else None,
            end + ".000000" if end else None)


def whole_number(row: Mapping[str, str], name: str, *, minimum: int = 0) -> int:
    """A non-negative (or >= minimum) integer."""
    raw = required(row, name)
    if not raw.lstrip("-").isdigit():
        raise RowRejected(f"{name}: must be a whole number")
    value = int(raw)
    if value < minimum:
        raise RowRejected(f"{name}: must be at least {minimum}")
    return value


def switch_time(text: str, name: str, zone: tzinfo, *, required: bool) -> datetime | None:
    """A switch timestamp (YYYY-MM-DD HH:MM:SS) in `zone`, as UTC; empty is None unless required."""
    text = text.strip()
    if not text:
        if required:
            raise RowRejected(f"{name}: required")
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise RowRejected(f"{name}: not a date-time (YYYY-MM-DD HH:MM:SS)") from exc
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    if zone is UTC:
        return datetime.fromisoformat(text + "+00:00") if len(text) == 19 else moment.replace(tzinfo=UTC)
    return moment.replace(tzinfo=zone).astimezone(UTC)


def seconds(text: str, name: str) -> int:
    """A non-negative whole number of seconds."""
    text = text.strip()
    if not text.isdigit():
        raise RowRejected(f"{name}: must be a whole number of seconds")
    return int(text)


def fields_by_name(header: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    """Pair a data row with the header, rejecting rows of the wrong width."""
    if len(values) != len(header):
        raise RowRejected(f"expected {len(header)} fields, found {len(values)}")
    return dict(zip(header, values, strict=True))


def record_key(secret: bytes, *parts: str) -> bytes:
    """A 128-bit identity for a source record: the same row always gets the same key.

    Keyed (BLAKE2b with the keyring's record-key secret) because the parts are personal data:
    an unkeyed hash of a phone number could be confirmed by guessing from a database copy.
    """
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16, key=secret).digest()
