"""`numbers` CSV: the number assignment history (who held which number when)."""

from __future__ import annotations

from datetime import UTC

from custodian.ingest.parse import ParseOptions, RowRejected, instant, optional, phone, required
from custodian.ingest.records import NumberRow

HEADER = ("number", "account_ref", "extension", "assigned_from", "assigned_to", "carrier")


def parse(row: dict[str, str], options: ParseOptions) -> NumberRow:
    """Validate one assignment row; times are ISO 8601, a bare date meaning 00:00 UTC."""
    assigned_from = instant(row, "assigned_from", UTC)
    assigned_to = instant(row, "assigned_to", UTC, required_=False)
    assert assigned_from is not None
    if assigned_to is not None and assigned_to <= assigned_from:
        raise RowRejected("assigned_to: must be after assigned_from")
    return NumberRow(
        number=phone(row, "number", options.region),
        account_ref=required(row, "account_ref"),
        extension=optional(row, "extension"),
        assigned_from=assigned_from,
        assigned_to=assigned_to,
        carrier=optional(row, "carrier"),
    )
