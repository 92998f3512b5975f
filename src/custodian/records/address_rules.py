"""The address of record and its 30 days (47 CFR 64.2003(b), 64.2010(b), (f)); pure.

64.2003(b): "Address of record. An 'address of record,' whether postal or electronic, is an address
that the carrier has associated with the customer's account for at least 30 days." So call detail
goes only to an address that became the address of record 30 days ago or more (64.2010(b)), and a
change notice goes "by mail to the address of record" as it was before any recent change, never
"to the new account information" (64.2010(f)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Medium = Literal["email", "postal"]
MEDIA: tuple[Medium, ...] = ("email", "postal")
ADDRESS_OF_RECORD_AGE = timedelta(days=30)


@dataclass(frozen=True)
class AddressOfRecord:
    """One address the account had, of one medium, from `became_at` until the next of its medium."""

    medium: Medium
    address: str
    became_at: datetime


@dataclass(frozen=True)
class Eligibility:
    """The address call detail may be sent to, or why not and from when it may."""

    address: str
    problem: str = ""
    eligible_at: datetime | None = None


def current(history: Iterable[AddressOfRecord], medium: Medium, now: datetime) -> AddressOfRecord | None:
    """The address of `medium` in force at `now` (the latest that had become it by then), if any."""
    before = [entry for entry in history if entry.medium == medium and entry.became_at <= now]
    return max(before, key=lambda entry: entry.became_at) if before else None


def call_detail_address(history: Iterable[AddressOfRecord], medium: Medium, now: datetime) -> Eligibility:
    """Where call detail of `medium` may be sent now: the current address, if it has been the address of
    record for at least 30 days (64.2003(b)); else the refusal with the moment it becomes eligible."""
    found = current(history, medium, now)
    if found is None or not found.address:
        return Eligibility("", f"the account has no {_WORD[medium]} address of record")
    eligible_at = found.became_at + ADDRESS_OF_RECORD_AGE
    if eligible_at > now:
        return Eligibility("", f"the {_WORD[medium]} address of record was changed on {found.became_at:%Y-%m-%d}; "
                               "an address of record must be on the account for at least 30 days before call "
                               f"detail is sent to it (from {eligible_at:%Y-%m-%d %H:%M} UTC)", eligible_at)
    return Eligibility(found.address)


def notice_address(history: Iterable[AddressOfRecord], medium: Medium, now: datetime) -> str:
    """Where a change notice of `medium` goes: the address of record as it was 30 days ago; for an account
    younger than that, the first address it had (never one a change brought in); "" when there is none."""
    entries = [entry for entry in history if entry.medium == medium]
    settled = current(entries, medium, now - ADDRESS_OF_RECORD_AGE)
    if settled is None and entries:
        settled = min(entries, key=lambda entry: entry.became_at)
    return settled.address if settled else ""


_WORD = {"email": "e-mail", "postal": "postal"}
