"""Custodian `e911` CSV: the registered (dispatchable) address of each number, as filed for 911.

Times are ISO 8601; a time without an offset (or a bare date, meaning 00:00) is UTC.
"""

from __future__ import annotations

from datetime import UTC

from custodian.ingest.parse import ParseOptions, RowRejected, bounded, instant, optional, phone, required
from custodian.ingest.records import E911Row
from custodian.records.types import PostalAddress

HEADER = ("number", "account_ref", "street", "city", "state", "postal_code", "country", "registered_at")


def parse(row: dict[str, str], options: ParseOptions) -> E911Row:
    """Validate one registered address; every part of the address is required."""
    registered_at = instant(row, "registered_at", UTC)
    assert registered_at is not None
    country = (optional(row, "country") or "US").upper()
    if len(country) != 2 or not country.isalpha():
        raise RowRejected("country: must be a two-letter ISO 3166 code")
    return E911Row(
        number=phone(row, "number", options.region),
        account_ref=required(row, "account_ref"),
        address=PostalAddress(street=bounded(row, "street", 200), city=bounded(row, "city", 100),
                              state=bounded(row, "state", 60), postal_code=bounded(row, "postal_code", 20),
                              country=country),
        registered_at=registered_at,
    )
