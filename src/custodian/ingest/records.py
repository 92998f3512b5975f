"""Parsed rows, normalised and validated but not yet resolved to accounts or encrypted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from custodian.records.types import NewAccount, PostalAddress


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of an `accounts` file."""

    account: NewAccount


@dataclass(frozen=True, slots=True)
class NumberRow:
    """One line of a `numbers` file: a number held by an account for a period."""

    number: str
    account_ref: str
    extension: str
    assigned_from: datetime
    assigned_to: datetime | None
    carrier: str


@dataclass(slots=True)  # not frozen: built a million times per import, and frozen init is 6x slower
class CallRow:
    """One call-detail record from any switch format."""

    key: bytes
    source_format: str
    account_ref: str
    src: str
    dst: str
    started_at: datetime
    started_text: str  # the same moment as canonical UTC storage text (parse.utc_text)
    answered_text: str | None
    ended_text: str | None
    duration_s: int
    billsec_s: int
    disposition: str
    direction: str = ""
    extra: tuple[str, ...] = ()  # switch details in records.payload.CALL_EXTRA_FIELDS order


@dataclass(frozen=True, slots=True)
class SmsRow:
    """One SMS with its body."""

    key: bytes
    account_ref: str
    direction: str
    from_number: str
    to_number: str
    sent_at: datetime
    segments: int
    body: str


@dataclass(frozen=True, slots=True)
class BillingRow:
    """One billing transaction; cards only as brand and last four."""

    key: bytes
    account_ref: str
    occurred_at: datetime
    reference: str
    amount_cents: int
    currency: str
    method: str
    card_brand: str
    card_last4: str
    state: str


@dataclass(frozen=True, slots=True)
class E911Row:
    """The registered location of one number (where 911 calls from it are dispatched)."""

    number: str
    account_ref: str
    address: PostalAddress
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class CommentRow:
    """One entry of a support comment log."""

    key: bytes
    account_ref: str
    written_at: datetime
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class ContentRow:
    """One content item from a manifest; `path` is None for metadata only."""

    key: bytes
    account_ref: str
    kind: str
    occurred_at: datetime
    direction: str
    counterpart: str
    path: Path | None
    media_type: str
    own_number: str = ""  # the account's own number (its line), when the manifest names it
