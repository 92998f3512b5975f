"""Custodian `calls` CSV: call-detail records already placed on an account, with direction.

Times are ISO 8601; a time without an offset (or a bare date, meaning 00:00) is UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from custodian.ingest.parse import (
    ParseOptions,
    RowRejected,
    bounded,
    choice,
    instant,
    phone,
    record_key,
    required,
    utc_text,
    whole_number,
)
from custodian.ingest.records import CallRow

HEADER = ("account_ref", "direction", "own_number", "counterpart_number", "started_at",
          "answered_at", "ended_at", "duration_s", "billsec_s", "disposition")
CALL_DIRECTIONS = frozenset({"in", "out", "internal"})


def parse(row: dict[str, str], options: ParseOptions) -> CallRow:
    """Validate one call row; `own_number` is the account's side of the call."""
    direction = choice(row, "direction", CALL_DIRECTIONS)
    own = phone(row, "own_number", options.region)
    counterpart = phone(row, "counterpart_number", options.region, required_=False)
    started_at = instant(row, "started_at", UTC)
    answered_at = instant(row, "answered_at", UTC, required_=False)
    ended_at = instant(row, "ended_at", UTC, required_=False)
    assert started_at is not None
    if answered_at is not None and answered_at < started_at:
        raise RowRejected("answered_at: before started_at")
    if ended_at is not None and ended_at < started_at:
        raise RowRejected("ended_at: before started_at")
    account_ref = required(row, "account_ref")
    duration_s = whole_number(row, "duration_s")
    billsec_s = whole_number(row, "billsec_s")
    disposition = bounded(row, "disposition", 32).upper()
    src, dst = (counterpart, own) if direction == "in" else (own, counterpart)
    return CallRow(
        key=record_key(options.record_secret, "custodian", account_ref, direction, own, counterpart,
                       started_at.isoformat(), _iso(answered_at), _iso(ended_at),
                       str(duration_s), str(billsec_s), disposition),
        source_format="custodian",
        account_ref=account_ref,
        src=src,
        dst=dst,
        started_at=started_at,
        started_text=utc_text(started_at) or "",
        answered_text=utc_text(answered_at),
        ended_text=utc_text(ended_at),
        duration_s=duration_s,
        billsec_s=billsec_s,
        disposition=disposition,
        direction=direction,
    )


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""
