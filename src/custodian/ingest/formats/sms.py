"""Custodian `sms` CSV: one message per row, numbers and body stored encrypted.

`from_number` / `to_number` are E.164 after normalisation; the other party may be a short code.
Times are ISO 8601; a time without an offset (or a bare date, meaning 00:00) is UTC.
"""

from __future__ import annotations

from datetime import UTC

from custodian.ingest.parse import (
    ParseOptions,
    RowRejected,
    choice,
    counterpart_number,
    instant,
    optional,
    phone,
    record_key,
    required,
    whole_number,
)
from custodian.ingest.records import SmsRow
from custodian.records.rules import DIRECTIONS

HEADER = ("account_ref", "direction", "from_number", "to_number", "sent_at", "segments", "body")


def parse(row: dict[str, str], options: ParseOptions) -> SmsRow:
    """Validate one SMS row; the account's own number is `from` when out, `to` when in."""
    direction = choice(row, "direction", DIRECTIONS)
    own_field, other_field = ("from_number", "to_number") if direction == "out" else (
        "to_number", "from_number")
    numbers = {own_field: phone(row, own_field, options.region),
               other_field: counterpart_number(row, other_field, options.region)}
    if not numbers[other_field]:
        raise RowRejected(f"{other_field}: required")
    sent_at = instant(row, "sent_at", UTC)
    assert sent_at is not None
    account_ref = required(row, "account_ref")
    segments = whole_number(row, "segments", minimum=1)
    body = row.get("body", "") if optional(row, "body") else ""
    return SmsRow(
        key=record_key(options.record_secret, "sms", account_ref, direction, numbers["from_number"],
                       numbers["to_number"],
                       sent_at.isoformat(), str(segments), body),
        account_ref=account_ref,
        direction=direction,
        from_number=numbers["from_number"],
        to_number=numbers["to_number"],
        sent_at=sent_at,
        segments=segments,
        body=body,
    )
